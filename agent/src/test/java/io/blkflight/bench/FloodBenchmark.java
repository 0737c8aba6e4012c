package io.blkflight.bench;

import io.blkflight.model.EventNames;
import io.blkflight.it.ChildJvm;
import io.blkflight.it.LoopDevice;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the agent's pipeline after the kernel side first loses requests. No device on this machine
 * completes requests fast enough to find out (the CPUs give out near 80,000 requests/s, the collector
 * would take millions), so native/bench/flood.c writes request records straight into a running agent's
 * ring buffer, at rising rates, until the first record finds it full. The JVM runs the agent at its
 * defaults ({@code output=}, compact format) with four idle Java threads the records name as issuers; the
 * device they name is a real loop device. Afterwards the recording is checked: every record written must
 * be a request event with its Java thread, and the loss must be in the agent's statistics.
 * A benchmark, not a test. Arguments: the flood binary, seconds per rate, the rates (records per second).
 */
public final class FloodBenchmark {
    private static final Pattern READY = Pattern.compile("pid=(\\d+) tids=([\\d,]+)");
    private static final Pattern TOTAL = Pattern.compile("total: (\\d+) written, (\\d+) lost");

    private FloodBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jvmOptions = new ArrayList<>();
        for (String option : System.getProperty("flood.jvm", "").split(" ")) {
            if (!option.isEmpty()) {
                jvmOptions.add(option);
            }
        }
        Outcome outcome = run(args[0], System.getProperty("flood.options", ""), jvmOptions, args[1],
                List.of(args).subList(2, args.length), System.out);
        System.out.printf("recording: %,d bytes; %,d request events, %,d of them naming a flood-issuer Java thread; statistics:"
                        + " %,d emitted, %,d recorded, %,d lost with the ring buffer full, %,d not recorded%n",
                outcome.recordingBytes(), outcome.requests(), outcome.withThread(), outcome.emitted(), outcome.recorded(),
                outcome.lostRingBufferFull(), outcome.notRecorded());
        System.out.printf("JFR's own data loss (jdk.DataLoss): %,d bytes%n", outcome.dataLoss());
        if (!outcome.accountedFor()) {
            System.out.printf("MISMATCH: the %,d records the ring buffer took should be as many request events with their"
                    + " Java thread, and the %,d it refused should be counted lost%n", outcome.written(), outcome.lost());
        }
    }

    /**
     * What one flood came to: the records written into the ring buffer and refused by it (the flood tool's
     * count), and what the recording holds.
     */
    public record Outcome(long written, long lost, long requests, long withThread, long emitted, long recorded,
                          long lostRingBufferFull, long notRecorded, long dataLoss, long recordingBytes) {
        /** Every record the ring buffer took is a request event naming its Java thread; every refused one is counted. */
        public boolean accountedFor() {
            return withThread == written && lostRingBufferFull >= lost && dataLoss == 0;
        }
    }

    /**
     * Floods a fresh JVM running the agent ({@code output=} plus the options) on a loop device of its own at
     * the rates, seconds each, with the flood tool; the tool's lines go to out.
     */
    public static Outcome run(String tool, String options, List<String> jvmOptions, String seconds, List<String> rates,
                              PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("blkflight-flood");
        Path recording = work.resolve("flood.jfr");
        try (LoopDevice device = LoopDevice.create("flood", 64)) {
            ChildJvm jvm = ChildJvm.of(ChildJvm.JDK_17).withAgent("output=" + recording + (options.isEmpty() ? "" : "," + options));
            jvmOptions.forEach(jvm::jvmOption);
            Process target = new ProcessBuilder(jvm.command(FloodTarget.class.getName(), "4"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            Matcher ready = line == null ? null : READY.matcher(line);
            if (ready == null || !ready.find()) {
                target.destroyForcibly();
                throw new IllegalStateException("the flood target did not start: " + line);
            }
            out.printf("agent with output=%s in JVM %s; records name Java threads %s and %s (%s)%n",
                    options.isEmpty() ? "" : "," + options, ready.group(1), ready.group(2), device.name(), device.number());
            List<String> command = new ArrayList<>(List.of(tool, ready.group(1), device.number(), ready.group(2), seconds));
            command.addAll(rates);
            Process flood = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long written = -1;
            long lost = -1;
            try (BufferedReader report = new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8))) {
                for (String row = report.readLine(); row != null; row = report.readLine()) {
                    out.println(row);
                    Matcher total = TOTAL.matcher(row);
                    if (total.matches()) {
                        written = Long.parseLong(total.group(1));
                        lost = Long.parseLong(total.group(2));
                    }
                }
            }
            int exit = flood.waitFor();
            target.getOutputStream().close();
            if (!target.waitFor(300, TimeUnit.SECONDS)) {
                target.destroyForcibly();
                throw new IllegalStateException("the flood target did not end");
            }
            if (exit != 0 || written < 0) {
                throw new IllegalStateException("flood failed");
            }
            return read(recording, written, lost);
        } finally {
            Files.deleteIfExists(recording);
            Files.deleteIfExists(work);
        }
    }

    /** What the recording holds of a flood, and JFR's own losses (jdk.DataLoss: its buffers overran the disk). */
    private static Outcome read(Path recording, long written, long lost) throws Exception {
        long requests = 0;
        long withThread = 0;
        long dataLoss = 0;
        RecordedEvent last = null;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String name = event.getEventType().getName();
                if (name.equals(EventNames.COMPACT_REQUEST) || name.equals(EventNames.BLOCK_REQUEST)) {
                    requests++;
                    RecordedThread thread = event.getThread("javaThread");
                    if (thread != null && thread.getJavaName() != null && thread.getJavaName().startsWith("flood-issuer-")) {
                        withThread++;
                    }
                } else if (name.equals("jdk.DataLoss")) {
                    dataLoss += event.getLong("amount");
                } else if (name.equals(EventNames.COLLECTOR_STATISTICS)
                        && (last == null || event.getLong("requestsEmitted") >= last.getLong("requestsEmitted"))) {
                    last = event;
                }
            }
        }
        if (last == null) {
            throw new IllegalStateException("the recording has no " + EventNames.COLLECTOR_STATISTICS + " event");
        }
        return new Outcome(written, lost, requests, withThread, last.getLong("requestsEmitted"), last.getLong("requestsRecorded"),
                last.getLong("lostRingBufferFull"), last.getLong("lostNotRecorded"), dataLoss, Files.size(recording));
    }
}
