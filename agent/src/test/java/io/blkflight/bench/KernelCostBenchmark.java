package io.blkflight.bench;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kernel side's cost alone, with less noise than separate runs can give on a shared machine: one
 * {@link RandomIoWorkload} JVM (no agent) runs on ext4 over a loop device in /dev/shm, while
 * native/bench/kernel_cost.c attaches, in shuffled windows of a few seconds, nothing, programs that return
 * at once (the floor any BPF tool pays on those tracepoints), or the collector's own programs. It prints
 * the ratios per window kind and each program's kernel run time. A benchmark, not a test.
 * Arguments: the kernel-cost binary, rounds (20), seconds per window (2).
 */
public final class KernelCostBenchmark {
    private KernelCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String tool = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double window = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        // Three windows per round, each with 150 ms to settle, then the bpf_stats phase; margin for the rest.
        double seconds = rounds * 3 * (window + 0.2) + 2 * window + 30;
        try (LoopDevice device = LoopDevice.create("kcost", 1536)) {
            Path file = device.mountPoint().resolve("bench.bin");
            Commands.run("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=1024", "oflag=direct", "status=none");
            Process workload = new ProcessBuilder(ChildJvm.of(ChildJvm.JDK_17).command(RandomIoWorkload.class.getName(),
                    file.toString(), "4", Double.toString(seconds), "70", "3"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                Thread.sleep(4_000); // the workload's JIT warm-up
                System.out.printf("workload: 4 threads of 4 KiB O_DIRECT random I/O (70%% reads) on %s (%s), pid %d%n",
                        device.name(), device.number(), workload.pid());
                Process measure = new ProcessBuilder(tool, Long.toString(workload.pid()), device.name(),
                        Double.toString(window), Integer.toString(rounds)).inheritIO().start();
                if (!measure.waitFor((long) seconds, TimeUnit.SECONDS) || measure.exitValue() != 0) {
                    measure.destroy();
                    throw new IllegalStateException("kernel-cost failed or did not finish");
                }
            } finally {
                workload.destroy();
                workload.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
