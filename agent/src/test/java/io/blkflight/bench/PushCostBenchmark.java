package io.blkflight.bench;

import com.sun.net.httpserver.HttpServer;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.Sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What push= costs (a benchmark, not a test): {@link RandomIoWorkload} (4 KiB O_DIRECT random reads and writes on
 * ext4 over a loop device backed by /dev/shm) under the agent with push=, an OTLP profile every pushIntervalSeconds
 * to a receiver on loopback that decodes each and sums its requests. Every 200 ms it reads the CPU time of the
 * agent's push threads ("blkflight push events": JFR's stream, converting and linking the requests, building the
 * profile; "blkflight push": encoding, sending) from /proc/PID/task/TID/schedstat; the collector's thread, for scale,
 * as the workload measures it. Steady state: from the first profile's arrival to the last interval's (the exit's left out), the push
 * threads' CPU over the requests of the profiles that arrived in between (those of the second to the last
 * interval; a profile sent twice, after a timeout, counts twice). Arguments (all optional): seconds (60), pushIntervalSeconds (10), threads (2), read percentage (70),
 * format (otlp; pprof profiles are not decoded here, so their requests are the workload's operations instead).
 */
public final class PushCostBenchmark {
    private record Arrival(long nanos, long requests) {
    }

    private record Sampled(long nanos, long pushCpu) {
    }

    private PushCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int readPercent = args.length > 3 ? Integer.parseInt(args[3]) : 70;
        String format = args.length > 4 ? args[4] : "otlp";
        String jdk = System.getenv().getOrDefault("BENCH_JDK", "17").equals("25") ? ChildJvm.JDK_25 : ChildJvm.JDK_17;

        List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            long arrived = System.nanoTime();
            long requests = -1;
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (format.equals("otlp")) {
                    ExportProfilesServiceRequest request = ExportProfilesServiceRequest.parseFrom(body);
                    Profile profile = request.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
                    requests = 0;
                    for (Sample sample : profile.getSamplesList()) {
                        requests += sample.getValues(0);
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                e.printStackTrace();
            }
            arrivals.add(new Arrival(arrived, requests));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (LoopDevice device = LoopDevice.create("pushcost", 1536)) {
            Path file = device.mountPoint().resolve("bench.bin");
            Commands.run("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=1024", "oflag=direct", "status=none");
            List<String> command = ChildJvm.of(jdk)
                    .withAgent("devices=" + device.name() + ",push=http://127.0.0.1:" + server.getAddress().getPort()
                            + ",pushInterval=" + interval + "s,pushFormat=" + format)
                    .command(RandomIoWorkload.class.getName(), file.toString(), Integer.toString(threads),
                            Integer.toString(seconds), Integer.toString(readPercent), "1");
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<Sampled> samples = new ArrayList<>();
            while (process.isAlive()) {
                Sampled sample = sample(process.pid());
                if (sample != null) {
                    samples.add(sample);
                }
                process.waitFor(200, TimeUnit.MILLISECONDS);
            }
            String result = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            System.out.println("JDK " + jdk + ", " + threads + " threads, " + readPercent + "% reads, " + seconds
                    + " s, push every " + interval + " s (" + format + ") on " + device.name());
            System.out.println("workload: " + result);
            System.out.println("profiles received: " + arrivals.size() + " " + arrivals.stream().map(a -> Long.toString(a.requests())).toList());
            // The last samples may be of the exiting JVM, its threads gone (the collector's before the push's).
            Sampled last = new Sampled(0, samples.stream().mapToLong(Sampled::pushCpu).max().orElse(0));
            long ops = Long.parseLong(result.replaceAll("(?s).*ops=(\\d+).*", "$1"));
            System.out.printf(Locale.ROOT, "whole run (JIT warm-up and exit included): push threads %.3f s CPU; %.0f ns"
                    + " per request of the workload's %d operations%n", last.pushCpu() / 1e9, (double) last.pushCpu() / ops, ops);
            // Steady state: between the first and the last regular profile's arrival.
            List<Arrival> regular = arrivals.subList(0, Math.max(0, arrivals.size() - 1));
            if (format.equals("otlp") && regular.size() >= 3) {
                Arrival first = regular.get(0);
                Arrival end = regular.get(regular.size() - 1);
                long requests = regular.subList(1, regular.size()).stream().mapToLong(Arrival::requests).sum();
                Sampled from = at(samples, first.nanos());
                Sampled to = at(samples, end.nanos());
                long push = to.pushCpu() - from.pushCpu();
                System.out.printf(Locale.ROOT, "steady state over %.1f s: %,d requests pushed (%.0f/s); push threads %.3f s"
                        + " CPU = %.0f ns per request (%.2f%% of one CPU)%n",
                        (end.nanos() - first.nanos()) / 1e9, requests, requests / ((end.nanos() - first.nanos()) / 1e9),
                        push / 1e9, (double) push / requests, 100.0 * push / (end.nanos() - first.nanos()));
            }
            long collector = Long.parseLong(result.replaceAll("(?s).*collectorCpu=(-?\\d+).*", "$1"));
            if (collector > 0) {
                System.out.printf(Locale.ROOT, "for scale, the collector thread over the measured seconds: %.0f ns per request%n",
                        (double) collector / ops);
            }
        } finally {
            server.stop(0);
        }
    }

    /** The last sample taken at or before the time. */
    private static Sampled at(List<Sampled> samples, long nanos) {
        Sampled found = samples.get(0);
        for (Sampled sample : samples) {
            if (sample.nanos() <= nanos) {
                found = sample;
            }
        }
        return found;
    }

    /** CPU time so far of the process's push threads (their names as /proc cuts them, 15 bytes). */
    private static Sampled sample(long pid) {
        long push = 0;
        long now = System.nanoTime();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    long cpu = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split("\\s+")[0]);
                    if (name.startsWith("blkflight push")) {
                        push += cpu;
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the reading.
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Sampled(now, push);
    }
}
