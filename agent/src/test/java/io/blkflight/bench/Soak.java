package io.blkflight.bench;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;
import io.blkflight.model.EventNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.consumer.EventStream;

/**
 * The soak (a benchmark-style run, not a test): {@link SoakWorkload} under the agent for a long time,
 * sampling the JVM's heap after a full GC, its native memory (Native Memory Tracking), its resident set
 * and the kernel memory of blkflight's BPF maps, then reading every loss counter from the recording.
 * Prints the figures and whether they stayed flat. Needs root. Arguments: minutes (10), sample seconds (30).
 */
public final class Soak {
    private static final List<String> MAPS = List.of("requests", "task_states", "events", "stacks", "bios", "counters",
            "ring_peak", "selected_device");

    private record Sample(long second, long heapUsed, long nativeCommitted, long rss, long mapMemory,
                          Map<String, Long> nativeByCategory) {
    }

    private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)",
            Pattern.MULTILINE);

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String extraOptions = args.length > 2 && !args[2].isEmpty() ? "," + args[2] : "";
        Path work = Files.createTempDirectory("blkflight-soak");
        Path recording = work.resolve("soak.jfr");
        try (LoopDevice device = LoopDevice.create("soak", 2048)) {
            Commands.run("dd", "if=/dev/zero", "of=" + device.mountPoint().resolve("random.bin"), "bs=1M", "count=1024",
                    "oflag=direct", "status=none");
            List<String> command = ChildJvm.of(ChildJvm.JDK_17)
                    .jvmOption("-XX:NativeMemoryTracking=summary")
                    .jvmOption("-XX:StartFlightRecording:maxsize=256m,filename=" + recording + ",settings=default")
                    .withAgent("devices=" + device.name() + extraOptions)
                    .command(SoakWorkload.class.getName(), device.mountPoint().toString(), Double.toString(minutes * 60));
            Process workload = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("workload.out").toFile()).start();
            String pid = Long.toString(workload.pid());
            List<Sample> samples = new ArrayList<>();
            long started = System.nanoTime();
            System.out.printf("soak: %.0f minutes of mixed I/O on %s, sampling every %d s%n", minutes, device.name(), every);
            System.out.printf("%8s %12s %14s %12s %14s%n", "second", "heap (MiB)", "native (MiB)", "RSS (MiB)", "BPF maps (KiB)");
            while (workload.isAlive()) {
                if (workload.waitFor(every, TimeUnit.SECONDS)) {
                    break;
                }
                try {
                    Sample sample = sample(pid, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                    samples.add(sample);
                    System.out.printf("%8d %12.1f %14.1f %12.1f %14.1f%n", sample.second(), sample.heapUsed() / 1048576.0,
                            sample.nativeCommitted() / 1048576.0, sample.rss() / 1048576.0, sample.mapMemory() / 1024.0);
                } catch (Exception e) {
                    System.out.println("sample failed: " + e.getMessage());
                }
            }
            System.out.println(Files.readString(work.resolve("workload.out")).trim());
            summarize(samples, recording);
        }
    }

    private static Sample sample(String pid, long second) throws Exception {
        Commands.run("jcmd", pid, "GC.run");
        Matcher heap = Pattern.compile("used (\\d+)K").matcher(Commands.run("jcmd", pid, "GC.heap_info"));
        long heapUsed = heap.find() ? Long.parseLong(heap.group(1)) * 1024 : -1;
        String nmtSummary = Commands.run("jcmd", pid, "VM.native_memory", "summary");
        Matcher nmt = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(nmtSummary);
        long nativeCommitted = nmt.find() ? Long.parseLong(nmt.group(1)) * 1024 : -1;
        Map<String, Long> byCategory = new TreeMap<>();
        for (Matcher category = NMT_CATEGORY.matcher(nmtSummary); category.find(); ) {
            byCategory.put(category.group(1).trim(), Long.parseLong(category.group(2)) * 1024);
        }
        Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc", pid, "status")));
        long resident = rss.find() ? Long.parseLong(rss.group(1)) * 1024 : -1;
        long mapMemory = 0;
        Matcher map = Pattern.compile("name (\\S+)\\s+flags[^\\n]*\\n\\s*key[^\\n]*memlock (\\d+)B").matcher(Commands.run("bpftool", "map", "show"));
        while (map.find()) {
            if (MAPS.contains(map.group(1))) {
                mapMemory += Long.parseLong(map.group(2));
            }
        }
        return new Sample(second, heapUsed, nativeCommitted, resident, mapMemory, byCategory);
    }

    private static void summarize(List<Sample> samples, Path recording) throws Exception {
        Map<String, Long> losses = new TreeMap<>();
        long[] recorded = {0};
        try (EventStream events = EventStream.openFile(recording)) {
            events.onEvent(EventNames.BLOCK_REQUEST, e -> recorded[0]++);
            events.onEvent(EventNames.COMPACT_REQUEST, e -> recorded[0]++);
            events.onEvent(EventNames.COLLECTOR_STATISTICS, e -> {
                for (String loss : List.of("lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull", "endUnseen",
                        "lostExpired", "lostNotRecorded", "stackCollisions", "stacksLost", "unresolvedThreads",
                        "requestsEmitted", "requestsRecorded")) {
                    losses.merge(loss, e.getLong(loss), Math::max);
                }
            });
            events.start();
        }
        System.out.println();
        System.out.println("collector counters at the end: " + losses);
        System.out.println("block requests in the recording (maxsize 256 MB keeps the newest): " + String.format(Locale.ROOT, "%,d", recorded[0]));
        if (samples.size() >= 3) {
            Sample early = samples.get(1);
            Sample last = samples.get(samples.size() - 1);
            System.out.printf("from second %d to %d: heap %+.1f MiB, native %+.1f MiB, RSS %+.1f MiB, BPF maps %+.1f KiB%n",
                    early.second(), last.second(), (last.heapUsed() - early.heapUsed()) / 1048576.0,
                    (last.nativeCommitted() - early.nativeCommitted()) / 1048576.0, (last.rss() - early.rss()) / 1048576.0,
                    (last.mapMemory() - early.mapMemory()) / 1024.0);
            StringBuilder growth = new StringBuilder();
            last.nativeByCategory().entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - early.nativeByCategory().getOrDefault(e.getKey(), 0L)))
                    .filter(e -> Math.abs(e.getValue()) >= 256 * 1024)
                    .sorted((a, b) -> Long.compare(Math.abs(b.getValue()), Math.abs(a.getValue())))
                    .forEach(e -> growth.append(String.format(Locale.ROOT, " %s %+.1f MiB,", e.getKey(), e.getValue() / 1048576.0)));
            System.out.println("native memory by NMT category, same interval:" + (growth.length() == 0 ? " no category moved 0.25 MiB"
                    : growth.substring(0, growth.length() - 1)));
        }
        long unexplained = losses.getOrDefault("lostRingBufferFull", 0L) + losses.getOrDefault("lostInflightMapFull", 0L)
                + losses.getOrDefault("lostBioMapFull", 0L)
                + losses.getOrDefault("lostExpired", 0L) + losses.getOrDefault("lostNotRecorded", 0L);
        System.out.println(unexplained == 0 ? "losses: none" : "losses: " + unexplained + " (see the counters above)");
        System.out.println("recorded with status end-unseen (the kernel side missed their end; not lost): "
                + losses.getOrDefault("endUnseen", 0L));
    }
}
