package io.blkflight.bench;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;
import io.blkflight.model.EventNames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * What blkflight costs the application, measured side by side in one run (a benchmark, not a test):
 * {@link RandomIoWorkload} on ext4 over a loop device backed by /dev/shm (so the device is not the
 * bottleneck), alternately without the agent, with JFR alone (the settings of the agent's recording, without
 * the agent), with the agent but no recording (the kernel side and the collector's drain alone), with the
 * agent at its defaults (output=: compact format, kernel stacks sampled, files named, JFR's file reads and writes
 * for Java linking), without naming files (files=off), without those file events (linkThreshold=off), in the full
 * format, with kernel stacks on, and
 * under the biosnoop-style bpftrace script users reach for today. Each round runs every configuration
 * once, in a rotating order; the figures are medians over rounds of the ratio to the run without the
 * agent in the same round. Also prints the bytes per request of each agent recording (every event a request
 * needs: requests, their shapes, addresses and kernel stacks) and its losses.
 * With "buffered" for the read percentage, the workload is {@link BufferedAppends} instead (4 KiB appends through
 * the page cache, each dirtying a fresh page): what following the JVM's dirtying costs (agent, writeback=off beside
 * the defaults). Arguments (all optional): rounds (5), measured seconds per run (10), threads (4), read percentage (70),
 * seconds of warm-up before the measurement in each run (5: the JIT compiles the agent's and JFR's code in
 * the first seconds, a cost of starting, not of running).
 */
public final class CostBenchmark {
    private static final Pattern RESULT = Pattern.compile("ops=(\\d+) seconds=([\\d.]+) p50=(\\d+) p99=(\\d+) collectorCpu=(-?\\d+) machineCpu=(-?\\d+)");

    /**
     * Per operation over the measured seconds (one operation is one request): collectorCpu, the CPU time of the
     * agent's collector thread; machineCpu, the busy CPU time of the whole machine. 0 when unknown.
     */
    private record Run(double opsPerSecond, long p99, long requests, double bytesPerRequest, long lost,
            double collectorCpuPerOp, double machineCpuPerOp) {
    }

    private interface Config {
        Run run(Path file, int threads, double seconds, int readPercent, Path work) throws Exception;
    }

    private static double warmupSeconds;

    /** The read percentage that stands for the buffered-append workload. */
    private static final int BUFFERED = -1;

    private static String jdk = ChildJvm.JDK_17;

    private CostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        // "buffered": 4 KiB appends through the page cache (BufferedAppends) instead of O_DIRECT random I/O.
        int readPercent = args.length > 3 ? (args[3].equals("buffered") ? BUFFERED : Integer.parseInt(args[3])) : 70;
        warmupSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 5;
        Path work = Files.createTempDirectory("blkflight-bench");
        Path script = work.resolve("biosnoop.bt");
        try (InputStream in = CostBenchmark.class.getResourceAsStream("/bench/biosnoop.bt")) {
            Files.write(script, in.readAllBytes());
        }
        // Every run on JDK 17 unless BENCH_JDK=25.
        jdk = System.getenv().getOrDefault("BENCH_JDK", "17").equals("25") ? ChildJvm.JDK_25 : ChildJvm.JDK_17;
        System.out.println("JDK of the workload: " + jdk);
        Map<String, Config> configs = new LinkedHashMap<>();
        configs.put("no agent", (f, t, s, r, w) -> workload(ChildJvm.of(jdk), f, t, s, r, null));
        // What JFR itself costs with the settings the agent's output= recording uses (the JDK's default
        // profile plus file reads and writes from 20 us with stack traces, which link requests to calls).
        Path settings = work.resolve("blkflight.jfc");
        Files.writeString(settings, Commands.run(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ChildJvm.agentJar().toAbsolutePath().toString(), "settings"));
        configs.put("JFR only, no agent", (f, t, s, r, w) -> jfrOnly(settings, f, t, s, r, w));
        // The kernel side and the collector's drain without any recording: what the BPF programs cost alone.
        configs.put("agent, no recording", (f, t, s, r, w) -> workload(ChildJvm.of(jdk).withAgent(""), f, t, s, r, null));
        configs.put("agent, defaults", (f, t, s, r, w) -> agent("", f, t, s, r, w));
        // The defaults without kernel stacks: what sampled stacks (stacks=200/s) add to them.
        configs.put("agent, stacks=off", (f, t, s, r, w) -> agent("stacks=off", f, t, s, r, w));
        // The same without naming each request's file (files=on is the default).
        configs.put("agent, files=off", (f, t, s, r, w) -> agent("files=off", f, t, s, r, w));
        // The same without JFR's file reads and writes, which output= records to link requests to Java calls.
        configs.put("agent, linkThreshold=off", (f, t, s, r, w) -> agent("linkThreshold=off", f, t, s, r, w));
        configs.put("agent, format=full", (f, t, s, r, w) -> agent("format=full", f, t, s, r, w));
        configs.put("agent, stacks=all", (f, t, s, r, w) -> agent("stacks=all", f, t, s, r, w));
        // The defaults without following the JVM's dirtying (what recording writeback adds).
        configs.put("agent, writeback=off", (f, t, s, r, w) -> agent("writeback=off", f, t, s, r, w));
        // The defaults without Java stacks of faults and native calls (faultStacks=2000/s is the default).
        configs.put("agent, faultStacks=off", (f, t, s, r, w) -> agent("faultStacks=off", f, t, s, r, w));
        configs.put("bpftrace biosnoop", (f, t, s, r, w) -> bpftrace(script, f, t, s, r, w));
        // More agent configurations to compare, for experiments: BENCH_AGENTS="label=options;label=options".
        for (String extra : System.getenv().getOrDefault("BENCH_AGENTS", "").split(";")) {
            int equals = extra.indexOf('=');
            if (equals > 0) {
                String options = extra.substring(equals + 1);
                configs.put(extra.substring(0, equals), (f, t, s, r, w) -> agent(options, f, t, s, r, w));
            }
        }
        // Only some configurations: BENCH_ONLY="no agent|agent, defaults" (their labels).
        String only = System.getenv().getOrDefault("BENCH_ONLY", "");
        if (!only.isEmpty()) {
            List<String> chosen = List.of(only.split("\\|"));
            configs.keySet().retainAll(chosen);
            if (!configs.containsKey("no agent") || configs.size() != chosen.size()) {
                throw new IllegalArgumentException("BENCH_ONLY names unknown configurations or leaves out 'no agent': "
                        + only);
            }
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        configs.keySet().forEach(name -> results.put(name, new ArrayList<>()));

        try (LoopDevice device = LoopDevice.create("bench", 1536)) {
            Path file = device.mountPoint().resolve("bench.bin");
            Commands.run("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=1024", "oflag=direct", "status=none");
            System.out.printf("device %s (%s), %d rounds of %.0f s measured after %.0f s of warm-up, %d threads, %d%% reads, "
                    + "4 KiB O_DIRECT%n", device.name(), device.number(), rounds, seconds, warmupSeconds, threads, readPercent);
            if (readPercent == BUFFERED) {
                System.out.println("  (workload: 4 KiB buffered appends, a fresh page dirtied by each; the reads figure does not apply)");
            }
            List<String> order = new ArrayList<>(configs.keySet());
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < order.size(); i++) {
                    String name = order.get((i + round) % order.size());
                    Run run = configs.get(name).run(file, threads, seconds, readPercent, work);
                    results.get(name).add(run);
                    System.out.printf("  round %d %-26s %,10.0f ops/s  p99 %,8d ns  CPU %5.2f us/op%s%n", round + 1, name,
                            run.opsPerSecond(), run.p99(), run.machineCpuPerOp() / 1000, run.requests() > 0 ? String.format(Locale.ROOT,
                                    "  %,d requests recorded, %.1f bytes each, %d lost, collector %.0f ns each",
                                    run.requests(), run.bytesPerRequest(), run.lost(), run.collectorCpuPerOp()) : "");
                }
            }
        }
        System.out.println();
        System.out.printf("%-26s %14s %14s %12s %14s %14s %16s %16s%n", "configuration", "throughput", "vs no agent", "p99 vs",
                "CPU us/op", "CPU vs", "bytes/request", "collector ns/req");
        List<Run> baseline = results.get("no agent");
        for (Map.Entry<String, List<Run>> entry : results.entrySet()) {
            List<Run> runs = entry.getValue();
            double[] throughput = new double[runs.size()];
            double[] p99 = new double[runs.size()];
            double[] size = new double[runs.size()];
            double[] cpu = new double[runs.size()];
            double[] collector = runs.stream().mapToDouble(Run::collectorCpuPerOp).toArray();
            for (int i = 0; i < runs.size(); i++) {
                throughput[i] = runs.get(i).opsPerSecond() / baseline.get(i).opsPerSecond();
                p99[i] = (double) runs.get(i).p99() / baseline.get(i).p99();
                size[i] = runs.get(i).bytesPerRequest();
                cpu[i] = runs.get(i).machineCpuPerOp() / baseline.get(i).machineCpuPerOp();
            }
            System.out.printf("%-26s %,12.0f/s %13.3fx %11.3fx %14.2f %13.3fx %16s %16s%n", entry.getKey(),
                    median(runs.stream().mapToDouble(Run::opsPerSecond).toArray()), median(throughput), median(p99),
                    median(runs.stream().mapToDouble(Run::machineCpuPerOp).toArray()) / 1000, median(cpu),
                    median(size) > 0 ? String.format(Locale.ROOT, "%.1f", median(size)) : "-",
                    median(collector) > 0 ? String.format(Locale.ROOT, "%.0f", median(collector)) : "-");
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static Run workload(ChildJvm jvm, Path file, int threads, double seconds, int readPercent, Path recording)
            throws Exception {
        Commands.Result result = jvm.run(RandomIoWorkload.class.getName(), file.toString(), Integer.toString(threads),
                Double.toString(seconds), readPercent == BUFFERED ? "buffered" : Integer.toString(readPercent),
                Double.toString(warmupSeconds));
        Matcher m = RESULT.matcher(result.stdout());
        if (result.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("the workload failed: " + result.stderr() + result.stdout());
        }
        double ops = Long.parseLong(m.group(1)) / Double.parseDouble(m.group(2));
        long p99 = Long.parseLong(m.group(4));
        long operations = Long.parseLong(m.group(1));
        long collectorCpu = Long.parseLong(m.group(5));
        long machineCpu = Long.parseLong(m.group(6));
        double collectorPerOp = collectorCpu > 0 ? (double) collectorCpu / operations : 0;
        double machinePerOp = machineCpu > 0 ? (double) machineCpu / operations : 0;
        if (recording == null) {
            return new Run(ops, p99, 0, 0, 0, collectorPerOp, machinePerOp);
        }
        long requests = 0;
        long lost = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String name = event.getEventType().getName();
            if (name.equals(EventNames.BLOCK_REQUEST) || name.equals(EventNames.COMPACT_REQUEST)) {
                requests++;
            } else if (name.equals(EventNames.COLLECTOR_STATISTICS)) {
                long total = 0;
                for (String loss : List.of("lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull",
                        "lostExpired", "lostNotRecorded")) {
                    total += event.getLong(loss);
                }
                lost = Math.max(lost, total);
            }
        }
        return new Run(ops, p99, requests, requests == 0 ? 0 : (double) bytesOfRequests(recording) / requests, lost,
                collectorPerOp, machinePerOp);
    }

    private static Run agent(String options, Path file, int threads, double seconds, int readPercent, Path work) throws Exception {
        Path recording = work.resolve("agent.jfr");
        Files.deleteIfExists(recording);
        return workload(ChildJvm.of(jdk).withAgent("output=" + recording + (options.isEmpty() ? "" : "," + options)),
                file, threads, seconds, readPercent, recording);
    }

    private static Run jfrOnly(Path settings, Path file, int threads, double seconds, int readPercent, Path work)
            throws Exception {
        Path recording = work.resolve("jfr-only.jfr");
        Files.deleteIfExists(recording);
        return workload(ChildJvm.of(jdk).jvmOption("-XX:StartFlightRecording:settings=default,settings=" + settings
                + ",filename=" + recording), file, threads, seconds, readPercent, null);
    }

    private static Run bpftrace(Path script, Path file, int threads, double seconds, int readPercent, Path work) throws Exception {
        Path lines = work.resolve("biosnoop.out");
        Process tracer = new ProcessBuilder("bpftrace", script.toString())
                .redirectOutput(lines.toFile()).redirectError(work.resolve("bpftrace.err").toFile()).start();
        try {
            for (int i = 0; i < 200 && !Files.readString(lines).contains("Attaching"); i++) {
                Thread.sleep(50);
            }
            if (!Files.readString(lines).contains("Attaching")) {
                throw new IllegalStateException("bpftrace did not attach: " + Files.readString(work.resolve("bpftrace.err")));
            }
            return workload(ChildJvm.of(jdk), file, threads, seconds, readPercent, null);
        } finally {
            tracer.destroy();
            tracer.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Every event a recorded request needs, in either format: what a request costs in the file. */
    static final List<String> REQUEST_EVENTS = List.of(EventNames.BLOCK_REQUEST, EventNames.COMPACT_REQUEST,
            EventNames.REQUEST_SHAPE, EventNames.REQUEST_ADDRESS, EventNames.KERNEL_STACK);

    /** The bytes the request events take in the recording, from the JDK's own jfr summary. */
    static long bytesOfRequests(Path recording) throws IOException, InterruptedException {
        String summary = Commands.run(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(), "summary", recording.toString());
        long bytes = 0;
        for (String eventName : REQUEST_EVENTS) {
            Matcher m = Pattern.compile("^\\s*" + Pattern.quote(eventName) + "\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE).matcher(summary);
            if (m.find()) {
                bytes += Long.parseLong(m.group(2));
            }
        }
        return bytes;
    }
}
