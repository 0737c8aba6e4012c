package io.blkflight.report;

import io.blkflight.events.EventNames;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * A short account of a recording: what the collector ran with, what it lost, and the block requests
 * by device and operation, by Java thread and by system call.
 */
public final class Summary {
    private static final String[] LOSSES = {
        "lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull", "lostUnfinished", "lostExpired", "lostNotRecorded",
    };
    private static final int TOP_THREADS = 10;

    private final Map<String, LatencySample> byDeviceAndOperation = new TreeMap<>();
    private final Map<String, LatencySample> byThread = new TreeMap<>();
    private final Map<String, LatencySample> bySyscall = new TreeMap<>();
    private final LatencySample all = new LatencySample();
    private RecordedEvent configuration;
    private RecordedEvent statistics;
    private Instant first;
    private Instant last;

    /** Reads the recording and prints the summary. */
    public static void print(Path file, PrintStream out) throws ReportException {
        Summary summary = new Summary();
        RecordingInput.forEach(file, summary::accept);
        summary.print(file.toString(), out);
    }

    void accept(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case EventNames.BLOCK_REQUEST:
                addRequest(event);
                break;
            case EventNames.COLLECTOR_CONFIGURATION:
                if (configuration == null || !event.getStartTime().isBefore(configuration.getStartTime())) {
                    configuration = event;
                }
                break;
            case EventNames.COLLECTOR_STATISTICS:
                if (statistics == null || !event.getStartTime().isBefore(statistics.getStartTime())) {
                    statistics = event;
                }
                break;
            default:
                break;
        }
    }

    private void addRequest(RecordedEvent request) {
        long latency = request.getDuration().toNanos();
        long bytes = request.getLong("bytes");
        all.add(latency, bytes);
        String device = request.getString("device") + " " + request.getString("operation");
        byDeviceAndOperation.computeIfAbsent(device, k -> new LatencySample()).add(latency, bytes);
        RecordedThread thread = request.getThread("javaThread");
        String issuer = thread != null ? thread.getJavaName() : "(" + request.getString("comm") + ", not a Java thread)";
        byThread.computeIfAbsent(issuer, k -> new LatencySample()).add(latency, bytes);
        bySyscall.computeIfAbsent(request.getString("syscall"), k -> new LatencySample()).add(latency, bytes);
        if (first == null || request.getStartTime().isBefore(first)) {
            first = request.getStartTime();
        }
        if (last == null || request.getEndTime().isAfter(last)) {
            last = request.getEndTime();
        }
    }

    void print(String source, PrintStream out) {
        out.println("blkflight summary of " + source);
        if (configuration != null) {
            String state = configuration.getString("state");
            out.println("  collector: " + state
                    + ("failed".equals(state) ? " (" + configuration.getString("reason") + ")" : "")
                    + ", kernel " + configuration.getString("kernelRelease")
                    + ", scope " + configuration.getString("scope")
                    + ", devices " + configuration.getString("devices")
                    + ", " + configuration.getString("mode")
                    + " (" + (configuration.getString("probes").isEmpty() ? 0 : configuration.getString("probes").split(",").length)
                    + " probes)");
        }
        if (all.count() == 0) {
            out.println("  no block requests recorded");
        } else {
            out.println("  " + Format.count(all.count()) + " requests, " + Format.bytes(all.bytes()) + ", over "
                    + Format.nanos(Duration.between(first, last).toNanos()));
        }
        if (statistics != null) {
            List<String> losses = new ArrayList<>();
            for (String loss : LOSSES) {
                long n = statistics.getLong(loss);
                if (n > 0) {
                    losses.add(statistics.getEventType().getField(loss).getLabel() + ": " + Format.count(n));
                }
            }
            out.println("  losses: " + (losses.isEmpty() ? "none" : String.join(", ", losses))
                    + "; untracked requests of other processes or disks: " + Format.count(statistics.getLong("untracked")));
        }
        if (all.count() == 0) {
            return;
        }
        table(out, "device / operation", byDeviceAndOperation, Integer.MAX_VALUE);
        table(out, "issuing thread", byThread, TOP_THREADS);
        table(out, "system call", bySyscall, Integer.MAX_VALUE);
    }

    private static void table(PrintStream out, String title, Map<String, LatencySample> groups, int limit) {
        int width = Math.max(title.length(), groups.keySet().stream().mapToInt(String::length).max().orElse(0));
        out.println();
        out.printf("  %-" + width + "s %10s %10s %10s %10s %10s%n", title, "requests", "bytes", "p50", "p99", "max");
        List<Map.Entry<String, LatencySample>> rows = new ArrayList<>(groups.entrySet());
        rows.sort(Comparator.comparingInt((Map.Entry<String, LatencySample> e) -> e.getValue().count()).reversed());
        for (Map.Entry<String, LatencySample> row : rows.subList(0, Math.min(limit, rows.size()))) {
            LatencySample s = row.getValue();
            out.printf("  %-" + width + "s %10s %10s %10s %10s %10s%n", row.getKey(), Format.count(s.count()),
                    Format.bytes(s.bytes()), Format.nanos(s.percentile(50)), Format.nanos(s.percentile(99)),
                    Format.nanos(s.max()));
        }
        if (rows.size() > limit) {
            out.println("  ... and " + (rows.size() - limit) + " more");
        }
    }
}
