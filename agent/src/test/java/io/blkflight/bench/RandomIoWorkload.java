package io.blkflight.bench;

import java.nio.file.Path;

/**
 * The benchmark's application: threads doing 4 KiB O_DIRECT random reads and writes as fast as they can
 * for a fixed time, each call timed. Prints one line: "ops=N seconds=S p50=NS p99=NS collectorCpu=NS machineCpu=NS":
 * over the measured seconds, the CPU time of the agent's collector thread (-1 without the agent) and the busy
 * CPU time of the whole machine. Arguments: the
 * file (preallocated), threads, seconds, percentage of reads (or "buffered": {@link BufferedAppends}, 4 KiB appends
 * through the page cache to a file per thread next to the given one), and optionally seconds of warm-up before the
 * measured time (default 1; the JIT compiles the agent's code in the first seconds). It depends on nothing
 * but the JDK, so that every configuration runs the same class path.
 */
public final class RandomIoWorkload {
    private RandomIoWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        boolean buffered = args[3].equals("buffered");
        int readPercent = buffered ? 0 : Integer.parseInt(args[3]);
        double warmup = args.length > 4 ? Double.parseDouble(args[4]) : 1;
        long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
        long end = warmupEnd + (long) (seconds * 1e9);
        long[] busyAtStart = new long[1];
        long[] collectorAtStart = new long[1];
        Thread cpuClock = new Thread(() -> {
            try {
                Thread.sleep(Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000));
                busyAtStart[0] = machineBusyNanos();
                collectorAtStart[0] = collectorCpuNanos();
            } catch (Exception e) {
                busyAtStart[0] = -1;
            }
        }, "cpu-clock");
        cpuClock.start();
        long[][] latencies = new long[threads][];
        long[] ops = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            latencies[t] = new long[1 << 16];
            workers[t] = new Thread(() -> {
                try (RandomBlocks random = buffered ? null : new RandomBlocks(file, index * 7919L + 1, readPercent);
                     BufferedAppends appends = buffered ? new BufferedAppends(file.resolveSibling("appends-" + index + ".log")) : null) {
                    for (long now = System.nanoTime(); now < end; ) {
                        long before = System.nanoTime();
                        if (buffered) {
                            appends.next();
                        } else {
                            random.next();
                        }
                        now = System.nanoTime();
                        if (before >= warmupEnd) {
                            if (ops[index] == latencies[index].length) {
                                latencies[index] = java.util.Arrays.copyOf(latencies[index], latencies[index].length * 2);
                            }
                            latencies[index][(int) ops[index]++] = now - before;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "io-" + (t + 1));
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long busy = machineBusyNanos();
        long collector = collectorCpuNanos();
        cpuClock.join();
        long machineCpu = busyAtStart[0] < 0 ? -1 : busy - busyAtStart[0];
        long collectorCpu = collector < 0 || collectorAtStart[0] < 0 ? -1 : collector - collectorAtStart[0];
        long total = 0;
        for (int t = 0; t < threads; t++) {
            total += ops[t];
        }
        long[] all = new long[(int) total];
        int filled = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, filled, (int) ops[t]);
            filled += (int) ops[t];
        }
        java.util.Arrays.sort(all);
        System.out.printf("ops=%d seconds=%.3f p50=%d p99=%d collectorCpu=%d machineCpu=%d%n", total, seconds,
                all[(int) (total * 0.50)], all[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)], collectorCpu, machineCpu);
    }

    /**
     * The CPU time all CPUs of the machine have spent busy so far (user, nice, system, irq, softirq from
     * /proc/stat's first line, in clock ticks of 10 ms): whatever ran, the tracer's own processes included.
     */
    private static long machineBusyNanos() throws java.io.IOException {
        String[] fields = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long ticks = 0;
        for (int i : new int[] {1, 2, 3, 6, 7}) {
            ticks += Long.parseLong(fields[i]);
        }
        return ticks * 10_000_000L;
    }

    /** The CPU time the agent's collector thread has used, -1 when there is none. */
    private static long collectorCpuNanos() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("blkflight collector")) {
                return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
            }
        }
        return -1;
    }
}
