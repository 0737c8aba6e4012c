package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.Formats;
import io.blkflight.model.RequestLabels;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The report's --slowest N: the N slowest requests in a table, each with the Java call site that caused it and where
 * its time went (in the queue before the driver had it, or in the device), optionally each one's own tree.
 */
final class SlowestTable {
    /** Java frames shown for a request's call site, innermost first. */
    private static final int CALL_SITE_FRAMES = 4;
    private static final Comparator<BlockRequest> SLOWER_LAST = Comparator.comparingLong(BlockRequest::duration)
            .thenComparing(Comparator.comparingLong(BlockRequest::start).reversed());

    private final int limit;
    /** The slowest so far, the fastest of them at the head. */
    private final PriorityQueue<BlockRequest> slowest = new PriorityQueue<>(SLOWER_LAST);

    SlowestTable(int limit) {
        this.limit = limit;
    }

    /** The slowest requests, the slowest first. */
    List<BlockRequest> slowest() {
        List<BlockRequest> rows = new ArrayList<>(slowest);
        rows.sort(SLOWER_LAST.reversed());
        return rows;
    }

    void add(BlockRequest request) {
        slowest.add(request);
        if (slowest.size() > limit) {
            slowest.poll();
        }
    }

    /** Prints the first {@code shown} of them (it may keep more, for the HTML page). */
    void print(PrintStream out, long selected, boolean trees, String noStacksWhy, int shown) {
        List<BlockRequest> rows = slowest();
        rows = rows.subList(0, Math.min(shown, rows.size()));
        out.println();
        out.println("the " + Formats.count(rows.size()) + " slowest of " + Formats.count(selected) + " selected requests"
                + " (latency: submission to completion; queue: submission to issue to the driver; device: issue to completion)");
        if (rows.isEmpty()) {
            return;
        }
        int threadWidth = Math.max(6, rows.stream().mapToInt(r -> RequestLabels.thread(r).length()).max().orElse(0));
        int callWidth = Math.max(4, rows.stream().mapToInt(r -> RequestLabels.call(r).length()).max().orElse(0));
        int deviceWidth = Math.max(4, rows.stream().mapToInt(r -> r.device().length()).max().orElse(0));
        String format = "  %4s  %-15s %10s %10s %10s %6s  %-" + deviceWidth + "s %-9s %10s  %-" + threadWidth + "s  %-"
                + callWidth + "s  %s%n";
        out.printf(format, "#", "submitted (UTC)", "latency", "queue", "device", "queue%", "disk", "operation", "size",
                "thread", "call", "file");
        int rank = 0;
        for (BlockRequest request : rows) {
            rank++;
            long queue = request.queueTime();
            long device = request.serviceTime();
            out.printf(format, rank, Formats.timeOfDay(request.start()), Formats.nanos(request.duration()), Formats.nanos(queue),
                    Formats.nanos(device), queue == BlockRequest.NOT_AVAILABLE || request.duration() <= 0 ? "-"
                            : Math.round(100.0 * queue / request.duration()) + "%",
                    request.device(), request.operation(), Formats.bytes(request.bytes()), RequestLabels.thread(request),
                    RequestLabels.call(request), request.hasFile() ? request.file() : "-");
            if (request.isWriteback()) {
                out.println("        written back by " + request.comm() + " (tid " + request.osThreadId() + ")"
                        + (request.dirtiedTime() == BlockRequest.NOT_AVAILABLE ? ""
                        : ", its pages last dirtied " + Formats.nanos(request.start() - request.dirtiedTime()) + " before"));
            }
            out.println("        " + RequestLabels.callSite(request, CALL_SITE_FRAMES));
        }
        if (trees) {
            for (BlockRequest request : rows) {
                out.println();
                RequestPrinter.print(request, out, noStacksWhy);
            }
        }
    }
}
