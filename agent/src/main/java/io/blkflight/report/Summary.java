package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.FileGroups;
import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.LinkCounts;
import io.blkflight.model.RequestLabels;
import io.blkflight.model.ThreadGrouping;

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
    /** Without --virtual-threads: virtual threads one row each up to this many, then by name prefix. */
    static final int MAX_VIRTUAL_ROWS = 1_000;
    /** Distinct virtual threads a grouped row counts exactly; beyond, it says "at least". */
    private static final int MAX_COUNTED_THREADS = 100_000;

    /** As --virtual-threads asked; null: one row each, by prefix once there are more than MAX_VIRTUAL_ROWS. */
    private final ThreadGrouping grouping;
    private ThreadGrouping virtualRows = ThreadGrouping.EACH;
    private int virtualEachRows;

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
        /** A row of virtual threads grouped: the ids of those it holds (up to MAX_COUNTED_THREADS). */
        java.util.Set<Long> virtualThreads;
        /** A virtual thread's own row: the row of its name prefix, should the rows be grouped later, and its id. */
        String prefixRow;
        long threadId;

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

        void addAll(Group other) {
            latency.addAll(other.latency);
            bytes += other.bytes;
            readBytes += other.readBytes;
            rangeBytes += other.rangeBytes;
        }

        void countThread(long id) {
            if (virtualThreads == null) {
                virtualThreads = new java.util.HashSet<>();
            }
            if (virtualThreads.size() < MAX_COUNTED_THREADS) {
                virtualThreads.add(id);
            }
        }
    }

    private Summary(ThreadGrouping grouping) {
        this.grouping = grouping;
        if (grouping != null) {
            virtualRows = grouping;
        }
    }

    static void print(Path file, PrintStream out, Progress progress) throws ReportException {
        print(file, null, out, progress);
    }

    /** With virtual threads grouped as asked (null: each, or by prefix when there are very many). */
    static void print(Path file, ThreadGrouping grouping, PrintStream out, Progress progress) throws ReportException {
        try (RecordedRequests recorded = RecordedRequests.open(file, progress)) {
            Summary summary = new Summary(grouping);
            recorded.forEach(summary::add);
            summary.print(recorded, out);
        }
    }

    private void add(BlockRequest request) {
        all.add(request);
        links.add(request);
        byDeviceAndOperation.computeIfAbsent(request.device() + " " + request.operation(), k -> new Group()).add(request);
        addToThreadRow(request);
        bySyscall.computeIfAbsent(RequestLabels.call(request), k -> new Group()).add(request);
        files.add(request);
        first = Math.min(first, request.start());
        last = Math.max(last, request.end());
    }

    /** The issuing thread's row; a virtual thread's as the grouping says (see {@link ThreadGrouping}). */
    private void addToThreadRow(BlockRequest request) {
        String writeback = request.isWriteback() ? " (writeback)" : "";
        if (!request.virtualThread()) {
            byThread.computeIfAbsent(RequestLabels.thread(request), k -> new Group()).add(request);
            return;
        }
        String row = virtualRows == ThreadGrouping.EACH ? request.issuer() + " (virtual" + (writeback.isEmpty() ? ")" : ", writeback)")
                : virtualRows.label(request) + writeback;
        Group group = byThread.get(row);
        if (group == null) {
            group = new Group();
            byThread.put(row, group);
            if (virtualRows == ThreadGrouping.EACH) {
                group.prefixRow = ThreadGrouping.PREFIX.label(request) + writeback;
                group.threadId = request.javaThreadId();
                virtualEachRows++;
            }
        }
        group.add(request);
        if (virtualRows != ThreadGrouping.EACH) {
            group.countThread(request.javaThreadId());
        } else if (grouping == null && virtualEachRows > MAX_VIRTUAL_ROWS) {
            groupVirtualThreadsByPrefix();
        }
    }

    /** Too many virtual threads for a row each: their rows become rows by name prefix. */
    private void groupVirtualThreadsByPrefix() {
        Map<String, Group> rows = new TreeMap<>();
        for (Map.Entry<String, Group> row : byThread.entrySet()) {
            Group group = row.getValue();
            if (group.prefixRow == null) {
                rows.put(row.getKey(), group);
                continue;
            }
            Group prefix = rows.computeIfAbsent(group.prefixRow, k -> new Group());
            prefix.addAll(group);
            prefix.countThread(group.threadId);
        }
        byThread.clear();
        byThread.putAll(rows);
        virtualRows = ThreadGrouping.PREFIX;
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
        table(out, virtualRows == ThreadGrouping.EACH ? "issuing thread"
                : virtualRows == ThreadGrouping.CARRIER ? "issuing thread, virtual ones by carrier"
                : "issuing thread, virtual ones by name prefix", rowsWithThreadCounts(), TOP_THREADS);
        if (grouping == null && virtualRows != ThreadGrouping.EACH) {
            out.println("  (more than " + Formats.count(MAX_VIRTUAL_ROWS) + " virtual threads: grouped by name prefix;"
                    + " --virtual-threads each lists them one by one)");
        }
        table(out, links.writeback() > 0 || bySyscall.keySet().stream().anyMatch(k -> k.startsWith("[writeback"))
                ? "system call or [writeback]" : "system call", bySyscall, Integer.MAX_VALUE);
        FilesTable.print(files, out, TOP_FILES, null);
    }

    /** The thread rows, a row of grouped virtual threads saying how many it holds. */
    private Map<String, Group> rowsWithThreadCounts() {
        Map<String, Group> rows = new TreeMap<>();
        for (Map.Entry<String, Group> row : byThread.entrySet()) {
            java.util.Set<Long> threads = row.getValue().virtualThreads;
            rows.put(threads == null ? row.getKey() : row.getKey() + " (" + (threads.size() >= MAX_COUNTED_THREADS ? "at least " : "")
                    + Formats.count(threads.size()) + " virtual thread" + (threads.size() == 1 ? ")" : "s)"), row.getValue());
        }
        return rows;
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
