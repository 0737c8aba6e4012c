package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.LinkCounts;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short account of a recording: what the collector ran with, what it lost, and the block requests
 * by device and operation, by issuing thread and by system call.
 */
final class Summary {
    private static final int TOP_THREADS = 10;

    private final Map<String, Group> byDeviceAndOperation = new TreeMap<>();
    private final Map<String, Group> byThread = new TreeMap<>();
    private final Map<String, Group> bySyscall = new TreeMap<>();
    private final Group all = new Group();
    private final LinkCounts links = new LinkCounts();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    /** Requests, bytes and latency of one group. */
    private static final class Group {
        final LatencyHistogram latency = new LatencyHistogram();
        long bytes;

        void add(BlockRequest request) {
            latency.add(request.duration());
            bytes += request.bytes();
        }
    }

    static void print(Path file, PrintStream out, Progress progress) throws ReportException {
        RecordedRequests recorded = RecordedRequests.open(file, progress);
        Summary summary = new Summary();
        recorded.forEach(summary::add);
        summary.print(file.toString(), recorded, out);
    }

    private void add(BlockRequest request) {
        all.add(request);
        links.add(request);
        byDeviceAndOperation.computeIfAbsent(request.device() + " " + request.operation(), k -> new Group()).add(request);
        String issuer = request.javaThreadName() != null ? request.javaThreadName() : "(" + request.comm() + ", not a Java thread)";
        byThread.computeIfAbsent(issuer, k -> new Group()).add(request);
        bySyscall.computeIfAbsent(request.syscall(), k -> new Group()).add(request);
        first = Math.min(first, request.start());
        last = Math.max(last, request.end());
    }

    private void print(String source, RecordedRequests recorded, PrintStream out) {
        out.println("blkflight summary of " + source);
        Header.print(recorded, out);
        if (recorded.malformed() > 0) {
            out.println("  " + recorded.malformedNote());
        }
        long count = all.latency.count();
        if (count == 0) {
            out.println("  no block requests recorded");
            return;
        }
        out.println("  " + Formats.count(count) + " requests, " + Formats.bytes(all.bytes) + ", over " + Formats.nanos(last - first));
        out.println("  " + links.describe());
        table(out, "device / operation", byDeviceAndOperation, Integer.MAX_VALUE);
        table(out, "issuing thread", byThread, TOP_THREADS);
        table(out, "system call", bySyscall, Integer.MAX_VALUE);
    }

    private static void table(PrintStream out, String title, Map<String, Group> groups, int limit) {
        int width = Math.max(title.length(), groups.keySet().stream().mapToInt(String::length).max().orElse(0));
        out.println();
        out.printf("  %-" + width + "s %10s %10s %10s %10s %10s%n", title, "requests", "bytes", "p50", "p99", "max");
        List<Map.Entry<String, Group>> rows = new ArrayList<>(groups.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, Group> e) -> e.getValue().latency.count()).reversed());
        for (Map.Entry<String, Group> row : rows.subList(0, Math.min(limit, rows.size()))) {
            LatencyHistogram h = row.getValue().latency;
            out.printf("  %-" + width + "s %10s %10s %10s %10s %10s%n", row.getKey(), Formats.count(h.count()),
                    Formats.bytes(row.getValue().bytes), Formats.nanos(h.percentile(50)), Formats.nanos(h.percentile(99)),
                    Formats.nanos(h.max()));
        }
        if (rows.size() > limit) {
            out.println("  ... and " + (rows.size() - limit) + " more");
        }
    }
}
