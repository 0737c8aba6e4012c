package io.blkflight.kernels;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One boot of a Debian kernel under qemu by {@code scripts/kernels/run-guest.sh}, and what the guest
 * wrote back: for each run the workload's exit code, output and recording, and the guest's view of its
 * devices (device numbers, write caches, each file's physical blocks by filefrag) and of its kernel
 * (release, block tracepoints).
 */
final class Guest {
    /** The kernels of the matrix and what each must offer: scripts/kernels/kernels.conf. */
    record Kernel(String name, String packageName, String version, boolean hasIoStart) {
        @Override
        public String toString() {
            return "Debian " + name + " (" + packageName + " " + version + ")";
        }
    }

    /** One JVM in the guest: data files on one device, the other file on another, these agent options. */
    record Run(String name, String dataDevice, String otherDevice, String agentOptions) {
        /** A run named *-hidden runs with kernel.kptr_restrict=2 (scripts/kernels/init). */
        boolean hidesKernelAddresses() {
            return name.endsWith("-hidden");
        }

        boolean scopeAll() {
            return agentOptions.contains("scope=all");
        }

        /** sys_enter/sys_exit follow the JVM's threads: syscallStart=on, or function-level mode. */
        boolean followsSystemCalls() {
            return agentOptions.contains("syscallStart=on") || agentOptions.contains("functions=");
        }

        boolean stacks() {
            return agentOptions.contains("stacks=on");
        }
    }


    private final Path results;
    final String seconds;

    private Guest(Path results, String seconds) {
        this.results = results;
        this.seconds = seconds;
    }

    static Path repository() {
        Path repo = Path.of(System.getProperty("blkflight.repository", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(repo.resolve("scripts/kernels/run-guest.sh"))) {
            throw new AssertionError("no scripts/kernels/run-guest.sh under " + repo
                    + ": run the test from the agent module, or set -Dblkflight.repository=REPO");
        }
        return repo;
    }

    /** The kernels of kernels.conf, or those named in -Dblkflight.kernels=6.1,6.12. */
    static List<Kernel> kernels() throws IOException {
        String only = System.getProperty("blkflight.kernels", "");
        List<Kernel> kernels = new ArrayList<>();
        for (String line : Files.readAllLines(repository().resolve("scripts/kernels/kernels.conf"))) {
            String[] fields = line.trim().split("\\s+");
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (fields.length < 5 || !(fields[4].equals("io_start") || fields[4].equals("getrq"))) {
                throw new AssertionError("scripts/kernels/kernels.conf: a line needs name, package, version, "
                        + "series and io_start|getrq: " + line);
            }
            if (only.isBlank() || List.of(only.split(",")).contains(fields[0])) {
                kernels.add(new Kernel(fields[0], fields[1], fields[2], fields[4].equals("io_start")));
            }
        }
        if (kernels.isEmpty()) {
            throw new AssertionError("no kernel of scripts/kernels/kernels.conf is named in blkflight.kernels=" + only);
        }
        return kernels;
    }

    /**
     * Boots the kernel with the runs, fetching it first if it is not cached. A guest that cannot boot or
     * does not finish, or a kernel that cannot be fetched, fails the test with the script's reason.
     */
    static Guest boot(Kernel kernel, List<Run> runs, Path out) throws IOException, InterruptedException {
        Files.createDirectories(out.getParent());
        Path runsFile = out.getParent().resolve(kernel.name() + ".runs");
        StringBuilder lines = new StringBuilder();
        for (Run run : runs) {
            lines.append(run.name()).append(' ').append(run.dataDevice()).append(' ').append(run.otherDevice())
                    .append(' ').append(run.agentOptions()).append('\n');
        }
        Files.writeString(runsFile, lines);
        List<String> command = List.of("env",
                "BLKFLIGHT_AGENT_JAR=" + ChildJvm.agentJar().toAbsolutePath(),
                "BLKFLIGHT_TEST_CLASSES=" + Path.of(ChildJvm.testClasses()).toAbsolutePath(),
                "bash", repository().resolve("scripts/kernels/run-guest.sh").toString(), kernel.name(),
                out.toAbsolutePath().toString(), runsFile.toAbsolutePath().toString());
        Commands.Result result = Commands.runAllowingFailure(1800, command);
        if (result.exitCode() != 0) {
            throw new AssertionError("the guest of " + kernel + " did not run (run-guest.sh exited with " + result.exitCode()
                    + "): " + (result.stderr() + result.stdout()).trim()
                    + (Files.exists(out.resolve("console.log")) ? "\n(console: " + out.resolve("console.log") + ")" : ""));
        }
        return new Guest(out.resolve("results"), result.stdout().trim());
    }

    static String hostRelease() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    }

    String read(String file) throws IOException {
        Path path = results.resolve(file);
        if (!Files.exists(path)) {
            throw new AssertionError("the guest wrote no " + file + " (results in " + results + ")");
        }
        return Files.readString(path).trim();
    }

    Path recording(Run run) {
        return results.resolve(run.name() + ".jfr");
    }

    String kernelRelease() throws IOException {
        return read("kernel-release");
    }

    Set<String> blockTracepoints() throws IOException {
        return new LinkedHashSet<>(List.of(read("block-tracepoints").split("\\s+")));
    }

    /** "major:minor" of a guest disk. */
    String deviceNumber(String device) throws IOException {
        return read(device + ".dev");
    }

    /** The request sector of a file's block, from filefrag in the guest after the run. */
    long sectorOf(Run run, String device, String file, long block) throws IOException {
        Long found = sectors(run, device, file).get(block);
        if (found == null) {
            throw new AssertionError("filefrag in the guest shows no physical block for block " + block + " of "
                    + file + " on " + device);
        }
        return found;
    }

    /** The request sector of each block of a file, from filefrag in the guest after the run. */
    Map<Long, Long> sectors(Run run, String device, String file) throws IOException {
        Map<Long, Long> sectors = new HashMap<>();
        LoopDevice.parseFilefrag(read(run.name() + "-" + device + "-" + file + ".filefrag"))
                .forEach((logical, physical) -> sectors.put(logical, physical * (LoopDevice.BLOCK_SIZE / 512)));
        return sectors;
    }
}
