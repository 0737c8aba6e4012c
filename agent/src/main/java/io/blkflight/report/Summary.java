package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.FileGroups;
import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.LinkCounts;
import io.blkflight.model.RequestLabels;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short account of a recording: what the collector ran with, what it lost, and the block requests
 * by device and operation, by issuing thread, by system call and by file.
 */
final class Summary {
    private static final int TOP_THREADS = 10;
    private static final int TOP_FILES = 20;

    private final Map<String, Group> byDeviceAndOperation = new TreeMap<>();
    private final Map<String, Group> byThread = new TreeMap<>();
    private final Map<String, Group> bySyscall = new TreeMap<>();
    private final Group all = new Group();
    private final FileGroups files = new FileGroups();
    private final LinkCounts links = new LinkCounts();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    /** Requests, bytes and latency of one group; bytes read or written apart from the ranges discarded or zeroed. */
    private static final class Group {
        final LatencyHistogram latency = new LatencyHistogram();
        long bytes;
        long readBytes;
        long rangeBytes;

        void add(BlockRequest request) {
            latency.add(request.duration());
            if (request.movesData()) {
                bytes += request.bytes();
                if (request.operation().equals("read")) {
                    readBytes += request.bytes();
                }
            } else {
                rangeBytes += request.bytes();
            }
        }
    }

    static void print(Path file, PrintStream out, Progress progress) throws ReportException {
        try (RecordedRequests recorded = RecordedRequests.open(file, progress)) {
            Summary summary = new Summary();
            recorded.forEach(summary::add);
            summary.print(recorded, out);
        }
    }

    private void add(BlockRequest request) {
        all.add(request);
        links.add(request);
        byDeviceAndOperation.computeIfAbsent(request.device() + " " + request.operation(), k -> new Group()).add(request);
        byThread.computeIfAbsent(RequestLabels.thread(request), k -> new Group()).add(request);
        bySyscall.computeIfAbsent(RequestLabels.call(request), k -> new Group()).add(request);
        files.add(request);
        first = Math.min(first, request.start());
        last = Math.max(last, request.end());
    }

    private void print(RecordedRequests recorded, PrintStream out) {
        out.println("blkflight summary of " + recorded.source());
        Header.print(recorded, out);
        if (recorded.malformed() > 0) {
            out.println("  " + recorded.malformedNote());
        }
        long count = all.latency.count();
        if (count == 0) {
            out.println("  no block requests recorded");
            return;
        }
        out.println("  " + Formats.count(count) + " requests over " + Formats.nanos(last - first) + ": "
                + Formats.bytes(all.readBytes) + " read, " + Formats.bytes(all.bytes - all.readBytes) + " written"
                + (all.rangeBytes > 0 ? "; " + Formats.bytes(all.rangeBytes) + " discarded or zeroed (ranges, not data moved)" : ""));
        out.println("  " + links.describe());
        table(out, "device / operation", byDeviceAndOperation, Integer.MAX_VALUE);
        table(out, "issuing thread", byThread, TOP_THREADS);
        table(out, links.writeback() > 0 || bySyscall.keySet().stream().anyMatch(k -> k.startsWith("[writeback"))
                ? "system call or [writeback]" : "system call", bySyscall, Integer.MAX_VALUE);
        FilesTable.print(files, out, TOP_FILES, null);
    }

    /**
     * A table of groups by requests. "bytes" are data read or written; where any group discarded or zeroed a range,
     * a "discarded" column keeps those apart.
     */
    private static void table(PrintStream out, String title, Map<String, Group> groups, int limit) {
        int width = Math.max(title.length(), groups.keySet().stream().mapToInt(String::length).max().orElse(0));
        boolean ranges = groups.values().stream().anyMatch(g -> g.rangeBytes > 0);
        out.println();
        out.printf("  %-" + width + "s %10s %10s %10s %10s %10s%s%n", title, "requests", "bytes", "p50", "p99", "max",
                ranges ? String.format(" %10s", "discarded") : "");
        List<Map.Entry<String, Group>> rows = new ArrayList<>(groups.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, Group> e) -> e.getValue().latency.count()).reversed());
        for (Map.Entry<String, Group> row : rows.subList(0, Math.min(limit, rows.size()))) {
            LatencyHistogram h = row.getValue().latency;
            Group group = row.getValue();
            out.printf("  %-" + width + "s %10s %10s %10s %10s %10s%s%n", row.getKey(), Formats.count(h.count()),
                    group.bytes == 0 && group.rangeBytes > 0 ? "-" : Formats.bytes(group.bytes), Formats.nanos(h.percentile(50)),
                    Formats.nanos(h.percentile(99)), Formats.nanos(h.max()),
                    ranges ? String.format(" %10s", group.rangeBytes > 0 ? Formats.bytes(group.rangeBytes) : "-") : "");
        }
        if (rows.size() > limit) {
            out.println("  ... and " + (rows.size() - limit) + " more");
        }
    }
}
