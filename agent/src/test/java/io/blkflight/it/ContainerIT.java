package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.report.ReportCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent where services run: in a PID namespace of their own (what every container runtime makes; the JVM
 * is pid 1 there), nested in another, in a cgroup of their own with scope=cgroup, with only CAP_BPF and
 * CAP_PERFMON, and where /proc/kallsyms hides addresses. The O_DIRECT workload of DirectIoIT must be recorded
 * exactly as on the host: every request with its Java thread, system call and times, and linked to its call.
 */
class ContainerIT {
    private static final String[] PID_NAMESPACE = {"unshare", "--pid", "--fork", "--mount-proc", "--"};
    private static final int SCAN_BLOCKS = 64;

    private static LoopDevice traced;
    private static LoopDevice other;

    @TempDir
    Path work;

    @BeforeAll
    static void createDevices() throws Exception {
        Privileges.requireRoot();
        traced = LoopDevice.create("container", 64);
        other = LoopDevice.create("container-other", 32);
        traced.zeroFile(DirectIoPlan.DATA, DirectIoPlan.DATA_BLOCKS);
        other.zeroFile(DirectIoPlan.OTHER, 8);
        traced.zeroFile("scan.bin", SCAN_BLOCKS);
        traced.zeroFile("outside.bin", 256);
    }

    @AfterAll
    static void removeDevices() throws Exception {
        if (traced != null) {
            traced.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private Recorded runDirectIo(ChildJvm jvm, Path recording) throws Exception {
        Commands.Result result = jvm.withAgent("output=" + recording)
                .run(DirectIoWorkload.class.getName(), traced.mountPoint().toString(), other.mountPoint().toString());
        assertThat(result.exitCode()).as("the workload's exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.stderr()).as("the agent starts without a warning").doesNotContain("warning");
        assertThat(result.stdout()).contains("workload done, pid 1");
        return Recorded.read(recording);
    }

    /**
     * The report's line on linking for the workload's own threads on the traced disk, e.g. "linked to a Java stack:
     * 9 of 9 requests issued by Java threads (...". (The JVM's start reads jars through mappings, which no file
     * event links, on the host as in a namespace.)
     */
    private static String linkLine(Path recording) {
        List<String> args = new ArrayList<>(List.of("report", "--requests", "0", "--device", traced.name()));
        DirectIoPlan.STEPS.stream().map(DirectIoPlan.Step::thread).distinct().forEach(thread -> {
            args.add("--thread");
            args.add(thread);
        });
        args.add(recording.toString());
        StringWriter out = new StringWriter();
        int code = ReportCommand.run(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(code).as("report of %s", recording).isZero();
        return out.toString().lines().filter(line -> line.contains("linked to a Java stack")).findFirst().orElse("");
    }

    private static void assertAsOnTheHost(Recorded recorded, Path recording) throws Exception {
        DirectIoChecks.assertEveryStepRecorded(recorded, traced, 1, false);
        assertThat(recorded.requests).as("scope=self in the namespace: only the JVM's own requests, as its pid 1 (and the"
                + " writeback of its pages by kernel threads, which the namespace does not see)")
                .allMatch(e -> e.getString("origin").equals("writeback") ? e.getInt("pid") == 0 : e.getInt("pid") == 1);
        assertThat(recorded.requests).as("the host's view of the issuer is kept")
                .allMatch(e -> e.getInt("hostPid") > 1);
        assertThat(recorded.lastStatistics().getLong("unresolvedThreads")).as("requests without their Java thread").isZero();
        Set<String> workloadThreads = DirectIoPlan.STEPS.stream().map(DirectIoPlan.Step::thread).collect(Collectors.toSet());
        long issued = recorded.requests.stream().filter(e -> e.getString("device").equals(traced.name())
                && e.getThread("javaThread") != null && workloadThreads.contains(e.getThread("javaThread").getJavaName()))
                .count();
        assertThat(issued).as("the workload's requests on the traced disk").isPositive();
        assertThat(linkLine(recording)).as("every request of the workload's threads linked to its call")
                .contains("linked to a Java stack: " + issued + " of " + issued + " requests issued by Java threads");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void inAPidNamespaceEveryRequestIsRecordedAndLinkedAsOnTheHost(String jdk) throws Exception {
        Path recording = work.resolve("pidns.jfr");
        Recorded recorded = runDirectIo(ChildJvm.of(jdk).under(PID_NAMESPACE), recording);

        assertAsOnTheHost(recorded, recording);
    }

    @Test
    void inANestedPidNamespaceToo() throws Exception {
        List<String> nested = new ArrayList<>(List.of(PID_NAMESPACE));
        nested.addAll(List.of(PID_NAMESPACE));
        Path recording = work.resolve("nested.jfr");
        Recorded recorded = runDirectIo(ChildJvm.of(ChildJvm.JDK_17).under(nested.toArray(String[]::new)), recording);

        assertAsOnTheHost(recorded, recording);
    }

    @Test
    void scopeAllInANamespaceNamesProcessesByTheNamespacesPids() throws Exception {
        Path recording = work.resolve("all.jfr");
        Process outside = ddLoop(traced.mountPoint().resolve("outside.bin"));
        Commands.Result result;
        try {
            result = ChildJvm.of(ChildJvm.JDK_17).under(PID_NAMESPACE)
                    .withAgent("output=" + recording + ",scope=all,devices=" + traced.name())
                    .run(DirectIoWorkload.class.getName(), traced.mountPoint().toString(), other.mountPoint().toString());
        } finally {
            stop(outside);
        }
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        Recorded recorded = Recorded.read(recording);

        DirectIoChecks.assertEveryStepRecorded(recorded, traced, 1, false);
        List<Recorded.Request> dd = recorded.requests.stream().filter(e -> e.getString("comm").equals("dd")).toList();
        assertThat(dd).as("dd, outside the namespace, with scope=all").isNotEmpty()
                .allMatch(e -> e.getInt("pid") == 0, "a process the namespace does not see has no pid in it")
                .allMatch(e -> e.getInt("hostPid") > 0, "its host pid is kept")
                .allMatch(e -> e.getThread("javaThread") == null);
    }

    @Test
    void scopeCgroupRecordsEveryProcessOfTheJvmsCgroupAndNoOther() throws Exception {
        Path cgroup = Cgroup2.create("blkflight-it-" + ProcessHandle.current().pid());
        Path recording = work.resolve("cgroup.jfr");
        Path scan = traced.mountPoint().resolve("scan.bin");
        Process outside = ddLoop(traced.mountPoint().resolve("outside.bin"));
        Commands.Result result;
        try {
            result = ChildJvm.of(ChildJvm.JDK_17).under("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs")
                    + " && exec \"$@\"", "in-cgroup")
                    .withAgent("output=" + recording + ",scope=cgroup,devices=" + traced.name())
                    .run(CgroupWorkload.class.getName(), scan.toString(), Integer.toString(SCAN_BLOCKS));
        } finally {
            stop(outside);
            Cgroup2.remove(cgroup);
        }
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        assertThat(result.stderr()).contains("following block I/O of the processes of cgroup " + cgroup);
        Recorded recorded = Recorded.read(recording);
        Set<Long> scanSectors = traced.physicalBlocks(scan).values().stream()
                .map(block -> block * (LoopDevice.BLOCK_SIZE / 512)).collect(Collectors.toSet());
        Set<Long> outsideSectors = traced.physicalBlocks(traced.mountPoint().resolve("outside.bin")).values().stream()
                .map(block -> block * (LoopDevice.BLOCK_SIZE / 512)).collect(Collectors.toSet());

        assertThat(recorded.requests.stream().filter(e -> e.getThread("javaThread") != null
                && e.getThread("javaThread").getJavaName().equals("cg-reader")))
                .as("the JVM's own reads").hasSize(SCAN_BLOCKS);
        List<Recorded.Request> child = recorded.requests.stream().filter(e -> e.getString("comm").equals("dd")
                && scanSectors.contains(e.getLong("sector"))).toList();
        assertThat(child).as("the JVM's child dd, in the same cgroup: every block it read").hasSize(SCAN_BLOCKS)
                .allMatch(e -> e.getString("cgroup").equals("/" + cgroup.getFileName()), "named with its cgroup");
        assertThat(recorded.requests).as("nothing of the dd outside the cgroup")
                .noneMatch(e -> outsideSectors.contains(e.getLong("sector")));
    }

    @Test
    void aScopeThatCannotMatchTheJvmIsSaidNeverSilentlyEmpty() throws Exception {
        Path recording = work.resolve("unmatched.jfr");
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .jvmOption("-Dblkflight.test.kernelSidePid=999999")
                .withAgent("output=" + recording)
                .run(SequentialReadWorkload.class.getName(), traced.mountPoint().resolve("outside.bin").toString(), "256");
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();

        assertThat(result.agentLines()).as("the agent's lines").anySatisfy(line -> assertThat(line)
                .contains("this JVM did block I/O").contains("the collector followed none of its requests"));
        Recorded recorded = Recorded.read(recording);
        assertThat(recorded.requests).as("nothing followed").isEmpty();
        assertThat(recorded.lastStatistics().getLong("ownIoNotFollowed")).as("the JVM's own I/O, by /proc/self/io")
                .isGreaterThanOrEqualTo(256L * LoopDevice.BLOCK_SIZE);
        StringWriter out = new StringWriter();
        ReportCommand.run(new String[] {"summary", recording.toString()}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(out.toString()).contains("this JVM's own I/O not followed: ");
    }

    /**
     * Without CAP_SYSLOG /proc/kallsyms shows no addresses, so the kernel side cannot know iomap's direct-I/O
     * completion by name: it learns it (and bio_chain_endio's) from the first direct I/O request it proves to be
     * one. Reads of 32 KiB on a device that takes 8 KiB per request are split: the first request the kernel side
     * meets is a split-off part, whose file comes through the bio it was split from.
     */
    @Test
    void withOnlyCapBpfAndCapPerfmonAndHiddenKernelAddressesStacksAreAddressesAndDirectIoIsNamed() throws Exception {
        Path shared = Files.createDirectories(work.resolve("shared"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path data = traced.mountPoint().resolve("scan.bin");
        Path recording = shared.resolve("unprivileged.jfr");
        String restrict = Files.readString(Path.of("/proc/sys/kernel/kptr_restrict")).trim();
        Path maxSectors = Path.of("/sys/block", traced.name(), "queue", "max_sectors_kb");
        String sectors = Files.readString(maxSectors).trim();
        Commands.Result result;
        try {
            Files.writeString(Path.of("/proc/sys/kernel/kptr_restrict"), "1");
            Files.writeString(maxSectors, "8");
            result = ChildJvm.of(ChildJvm.JDK_17)
                    .under("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all,+bpf,+perfmon",
                            "--ambient-caps=-all,+bpf,+perfmon", "--bounding-set=-all,+bpf,+perfmon", "--")
                    .jvmOption("-Djava.io.tmpdir=" + shared)
                    .withAgent("output=" + recording + ",stacks=on,devices=" + traced.name())
                    .run(SequentialReadWorkload.class.getName(), data.toString(), Integer.toString(SCAN_BLOCKS), "8");
        } finally {
            Files.writeString(Path.of("/proc/sys/kernel/kptr_restrict"), restrict);
            Files.writeString(maxSectors, sectors);
        }
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        assertThat(result.agentLines()).as("the agent's lines")
                .anySatisfy(line -> assertThat(line).contains("following block I/O of this JVM"))
                .anySatisfy(line -> assertThat(line).contains("kernel stacks are recorded as addresses"));
        Recorded recorded = Recorded.read(recording);
        List<Recorded.Request> reads = recorded.requests.stream().filter(e -> e.getThread("javaThread") != null
                && e.getThread("javaThread").getJavaName().equals("scanner")).toList();
        assertThat(reads).as("the reads, as uid 65534, split in 8 KiB requests").hasSize(SCAN_BLOCKS / 2)
                .allSatisfy(e -> assertThat(e.getLong("bytes")).isEqualTo(2L * LoopDevice.BLOCK_SIZE));
        assertThat(reads).as("each direct I/O read names its file, the first included; recorded:%s",
                recorded.describeRequests()).allSatisfy(e -> assertThat(e.file()).isEqualTo(data.toString()));
        assertThat(recorded.stacks).as("kernel stacks").isNotEmpty().allSatisfy(stack -> assertThat(
                stack.getString("frames").lines().toList()).as("frames").allMatch(frame -> frame.matches("0x[0-9a-f]+"),
                "an address, never a name"));
    }

    private static Process ddLoop(Path file) throws IOException {
        String dd = "while true; do dd if=" + file + " of=/dev/null bs=4k count=256 iflag=direct status=none; done";
        return new ProcessBuilder("sh", "-c", dd).redirectErrorStream(true).start();
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** A cgroup of the unified (v2) hierarchy for a test, made where it is mounted (or mounted for the test). */
    static final class Cgroup2 {
        private Cgroup2() {
        }

        static Path create(String name) throws IOException, InterruptedException {
            Path mount = mountPoint();
            return Files.createDirectories(mount.resolve(name));
        }

        static void remove(Path cgroup) throws InterruptedException {
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    Files.deleteIfExists(cgroup);
                    return;
                } catch (IOException busy) {
                    Thread.sleep(100); // its processes are still leaving
                }
            }
        }

        private static Path mountPoint() throws IOException, InterruptedException {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                int dash = List.of(fields).indexOf("-");
                if (dash > 4 && fields[dash + 1].equals("cgroup2")) {
                    return Path.of(fields[4]);
                }
            }
            Path mount = Files.createDirectories(Path.of("/sys/fs/cgroup/unified"));
            Commands.run("mount", "-t", "cgroup2", "none", mount.toString());
            return mount;
        }
    }
}
