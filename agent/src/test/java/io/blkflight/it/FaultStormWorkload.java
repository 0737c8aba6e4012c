package io.blkflight.it;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A storm of page faults on a mapped file: threads "storm-N" touch its pages in a scattered order, each touch of a
 * page not in the page cache faulting and reading it (with the device's readahead off, one request per fault), over
 * and over: between passes the mapping goes (Unsafe.invokeCleaner) and its pages leave the page cache
 * (posix_fadvise DONTNEED, through the test's JNI library). Optionally with a profiler's SIGPROF timer running, as
 * async-profiler's cpu mode has, or with the agent's signal taken by other code part-way. Prints the touches made, how
 * long, the process's CPU time and the faulting threads' own (which includes the kernel side's programs, the signals'
 * delivery and the agent's handler: all run in the faulting thread). Option short-threads: the faults are made by
 * threads that live for 16 of them each, one after another, so that signals meet threads as they end. Arguments: the library, the file, threads, seconds, then options: profile
 * (a 1 ms SIGPROF timer), take-signal=N (install another handler on signal N a quarter of the way).
 */
public final class FaultStormWorkload {
    private static final int PAGE = 4096;

    private FaultStormWorkload() {
    }

    public static void main(String[] args) throws Exception {
        System.load(Path.of(args[0]).toAbsolutePath().toString());
        Path file = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        long nanos = Long.parseLong(args[3]) * 1_000_000_000L;
        int takeSignal = 0;
        boolean shortThreads = false;
        for (int i = 4; i < args.length; i++) {
            if (args[i].equals("short-threads")) {
                shortThreads = true;
            } else if (args[i].equals("profile")) {
                check(NativeReader.profilingTimer0(1000), "the profiling timer");
            } else if (args[i].startsWith("take-signal=")) {
                takeSignal = Integer.parseInt(args[i].substring("take-signal=".length()));
            }
        }
        AtomicLong faults = new AtomicLong();
        AtomicLong workerCpu = new AtomicLong();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long deadline = start + nanos;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int seed = t;
            boolean shortLived = shortThreads;
            workers[t] = new Thread(() -> {
                long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                faults.addAndGet(shortLived ? shortThreads(file, deadline, seed, threads) : storm(file, deadline, seed, threads));
                // The kernel side's programs, the signal's delivery and the handler all run in the faulting thread.
                workerCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu);
            }, "storm-" + t);
            workers[t].start();
        }
        if (takeSignal != 0) {
            // A quarter of the way: within the first pass over the file, whose faults all read.
            Thread.sleep(nanos / 4_000_000);
            check(NativeReader.takeSignal0(takeSignal), "taking signal " + takeSignal);
            System.out.println("took signal " + takeSignal);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - start;
        System.out.println("storm faults " + faults.get() + " in " + elapsed + " ns, process cpu "
                + (os.getProcessCpuTime() - cpuBefore) + " ns, workers' cpu " + workerCpu.get() + " ns");
    }

    private static void check(int result, String what) {
        if (result != 0) {
            throw new IllegalStateException(what + " failed: errno " + -result);
        }
    }

    /** Touches this thread's share of the pages (every threads-th page), in a scattered order, pass after pass. */
    static long storm(Path file, long deadline, int seed, int threads) {
        long touched = 0;
        while (System.nanoTime() < deadline) {
            MappedByteBuffer map = MappedScanWorkload.map(file);
            int pages = map.capacity() / PAGE;
            int mine = (pages - seed + threads - 1) / threads;
            // A stride coprime with the count visits every page once, far from the last.
            int stride = 7919;
            while (mine % stride == 0) {
                stride += 2;
            }
            long sum = 0;
            for (int i = 0; i < mine && (i & 63) != 0 || i < mine && System.nanoTime() < deadline; i++) {
                int page = (int) ((long) i * stride % mine) * threads + seed;
                sum += touch(map, page * PAGE); // fault: storm
                touched++;
            }
            unmap(map);
            if (sum == 42) {
                System.out.print("");
            }
            NativeReader.dropCache0(file.toString());
        }
        return touched;
    }

    /**
     * Threads that live for a few faults: each touches 16 pages of this worker's share and ends at once, its last
     * fault's signal arriving as it ends; the next one starts. Returns the pages touched.
     */
    static long shortThreads(Path file, long deadline, int seed, int threads) {
        long touched = 0;
        int next = 0;
        while (System.nanoTime() < deadline) {
            MappedByteBuffer map = MappedScanWorkload.map(file);
            int pages = map.capacity() / PAGE;
            for (int first = seed; first < pages && System.nanoTime() < deadline; first += 16 * threads) {
                int start = first;
                Thread brief = new Thread(() -> {
                    for (int page = start; page < start + 16 * threads && page < pages; page += threads) {
                        touch(map, page * PAGE); // fault: brief
                    }
                }, "brief-" + seed + "-" + next++);
                brief.start();
                try {
                    brief.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return touched;
                }
                touched += 16;
            }
            unmap(map);
            NativeReader.dropCache0(file.toString());
        }
        return touched;
    }

    static byte touch(MappedByteBuffer map, int offset) {
        return map.get(offset);
    }

    private static void unmap(MappedByteBuffer map) {
        try {
            Field field = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            unsafe.getClass().getMethod("invokeCleaner", java.nio.ByteBuffer.class).invoke(unsafe, map);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unmapping failed", e);
        }
    }
}
