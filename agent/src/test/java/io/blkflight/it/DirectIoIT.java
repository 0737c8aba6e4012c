package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the real kernel: a child JVM does O_DIRECT reads and writes at known offsets from
 * named threads, and a write followed by fsync, on ext4 over a loop device made for the test, while
 * another process (dd) writes to the same device. Each expected request must be in the recording
 * exactly once, at the sector filefrag gives for its block, issued by the right Java thread inside the
 * right system call, within the time window the thread measured around its call.
 */
class DirectIoIT {
    private static final String SCAN = "scan.bin";
    /** More than the loop device's 128 request structures (one hardware queue of depth 128). */
    private static final int SCAN_BLOCKS = 400;

    private static LoopDevice traced;
    private static LoopDevice other;

    @TempDir
    Path work;

    @BeforeAll
    static void createDevices() throws Exception {
        Privileges.requireRoot();
        traced = LoopDevice.create("traced", 96);
        other = LoopDevice.create("other", 32);
        writeFile(traced.mountPoint().resolve(DirectIoPlan.DATA), DirectIoPlan.DATA_BLOCKS);
        writeFile(other.mountPoint().resolve(DirectIoPlan.OTHER), 8);
        writeFile(traced.mountPoint().resolve("dd.bin"), 256);
        writeFile(traced.mountPoint().resolve(SCAN), SCAN_BLOCKS);
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

    private static void writeFile(Path file, int blocks) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(blocks * LoopDevice.BLOCK_SIZE);
        for (int i = 0; i < content.capacity(); i++) {
            content.put(i, (byte) (i / LoopDevice.BLOCK_SIZE));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(content);
            channel.force(true);
        }
    }

    /** dd writing 4 KiB O_DIRECT blocks to the traced device over and over, as another process. */
    private static Process startDd() throws IOException {
        String dd = "while true; do dd if=/dev/zero of=" + traced.mountPoint().resolve("dd.bin")
                + " bs=4k count=256 oflag=direct conv=notrunc status=none; done";
        return new ProcessBuilder("sh", "-c", dd).redirectErrorStream(true).start();
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private record Run(Recorded recorded, long childPid, Set<Long> ddSectors) {
    }

    private Run run(String jdk, String agentOptions) throws Exception {
        Path recording = work.resolve("run.jfr");
        Process dd = startDd();
        Commands.Result result;
        try {
            Thread.sleep(100);
            result = ChildJvm.of(jdk).withAgent("output=" + recording + (agentOptions.isEmpty() ? "" : "," + agentOptions))
                    .run(DirectIoWorkload.class.getName(), traced.mountPoint().toString(), other.mountPoint().toString());
        } finally {
            stop(dd);
        }
        assertThat(result.exitCode()).as("the workload's exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).contains("workload done");
        assertThat(result.stderr()).as("the agent starts without a warning").doesNotContain("warning");
        Recorded recorded = Recorded.read(recording);
        assertThat(recorded.configurations).as("configuration events").isNotEmpty();
        long childPid = Long.parseLong(result.stdout().replaceAll("(?s).*workload done, pid (\\d+).*", "$1"));
        Set<Long> ddSectors = new HashSet<>();
        for (long sector : traced.physicalBlocks(traced.mountPoint().resolve("dd.bin")).values()) {
            ddSectors.add(sector * (LoopDevice.BLOCK_SIZE / 512));
        }
        return new Run(recorded, childPid, ddSectors);
    }

    private static List<Recorded.Request> requestsAt(Recorded recorded, String device, long sector, String operation) {
        return DirectIoChecks.requestsAt(recorded, device, sector, operation);
    }

    /** Every step on the traced device: exactly one request, right sector, bytes, thread, syscall, times. */
    private void assertEveryStepRecorded(Run run) throws Exception {
        assertEveryStepRecorded(run, false, false);
    }

    /** stacks: the run had stacks=on; syscallStart: syscallStart=on (else the call is named from registers). */
    private void assertEveryStepRecorded(Run run, boolean stacks, boolean syscallStart) throws Exception {
        DirectIoChecks.assertEveryStepRecorded(run.recorded(), traced, run.childPid(), syscallStart);
    }

    private static void assertNothingLost(Recorded recorded) {
        RecordedEvent stats = recorded.lastStatistics();
        for (String loss : List.of("lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull", "endUnseen",
                "lostExpired", "lostNotRecorded")) {
            assertThat(stats.getLong(loss)).as(loss).isZero();
        }
        assertThat(stats.getLong("requestsRecorded")).as("requests recorded by the last statistics")
                .isEqualTo(recorded.requests.size());
    }

    private static void assertLifecyclesAreDistinct(Recorded recorded) {
        Map<Long, List<Integer>> generationsByAddress = recorded.requests.stream().collect(Collectors.groupingBy(
                e -> e.getLong("requestAddress"), Collectors.mapping(e -> e.getInt("generation"), Collectors.toList())));
        generationsByAddress.forEach((address, generations) -> assertThat(generations)
                .as("generations of request address %x", address).doesNotHaveDuplicates().allMatch(g -> g > 0));
    }

    @Test
    void recordsEveryRequestOfTheWorkloadOnJdk17() throws Exception {
        Run run = run(ChildJvm.JDK_17, "");

        assertThat(run.recorded().requests).as("compact by default").isNotEmpty().allMatch(Recorded.Request::compact);
        assertEveryStepRecorded(run);
        assertNothingLost(run.recorded());
        assertLifecyclesAreDistinct(run.recorded());
        long otherSector = other.sectorOf(other.mountPoint().resolve(DirectIoPlan.OTHER), 2);
        assertThat(requestsAt(run.recorded(), other.name(), otherSector, "read"))
                .as("without a device filter the read on the other device is recorded too").hasSize(1)
                .allMatch(e -> e.getThread("javaThread").getJavaName().equals("reader-2"));
        assertThat(run.recorded().requests).as("scope=self: only the JVM's own requests; recorded:%s",
                run.recorded().describeRequests()).allMatch(e -> e.getInt("pid") == run.childPid()
                || e.getString("origin").equals("writeback"));
        assertThat(run.recorded().requests).as("dd's requests on the same device are not recorded")
                .noneMatch(e -> e.getString("device").equals(traced.name()) && run.ddSectors().contains(e.getLong("sector")));
    }

    @Test
    void recordsEveryRequestOfTheWorkloadOnJdk25InFullFormatWithADeviceFilterStacksAndSystemCallStarts() throws Exception {
        Run run = run(ChildJvm.JDK_25, "devices=" + traced.name() + ",stacks=on,syscallStart=on,format=full");

        assertThat(run.recorded().requests).as("format=full").isNotEmpty().noneMatch(Recorded.Request::compact);
        assertEveryStepRecorded(run, true, true);
        assertThat(run.recorded().stacks).as("a KernelStack event for every stack a request names").isNotEmpty();
        assertNothingLost(run.recorded());
        assertLifecyclesAreDistinct(run.recorded());
        assertThat(run.recorded().requests).as("devices=%s: nothing from another disk", traced.name())
                .allMatch(e -> e.getString("device").equals(traced.name()));
    }

    @Test
    void scopeAllRecordsOtherProcessesWithoutJavaThreads() throws Exception {
        Run run = run(ChildJvm.JDK_17, "scope=all,devices=" + traced.name());

        assertEveryStepRecorded(run);
        List<Recorded.Request> ddRequests = run.recorded().requests.stream()
                .filter(e -> e.getString("comm").equals("dd")).collect(Collectors.toList());
        assertThat(ddRequests).as("dd's writes, with scope=all").isNotEmpty();
        assertThat(ddRequests).allMatch(e -> run.ddSectors().contains(e.getLong("sector")), "at dd.bin's sectors")
                .allMatch(e -> e.getInt("pid") != run.childPid(), "from another process")
                .allMatch(e -> e.getThread("javaThread") == null, "without a Java thread")
                .allMatch(e -> e.getString("syscall").equals("write"), "named from dd's registers: its write(2)")
                .allMatch(e -> e.getLong("syscallStart") == Long.MIN_VALUE, "no start: sys_enter follows the JVM only");
    }

    @Test
    void reusedRequestAddressesStaySeparateLifecycles() throws Exception {
        Path recording = work.resolve("scan.jfr");
        Path file = traced.mountPoint().resolve(SCAN);
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17).withAgent("output=" + recording + ",devices=" + traced.name())
                .run(SequentialReadWorkload.class.getName(), file.toString(), Integer.toString(SCAN_BLOCKS));
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        Recorded recorded = Recorded.read(recording);
        Map<Long, Long> physical = traced.physicalBlocks(file);

        List<Recorded.Request> scans = recorded.requests.stream()
                .filter(e -> e.getThread("javaThread") != null && e.getThread("javaThread").getJavaName().equals("scanner"))
                .collect(Collectors.toList());
        Set<Long> expectedSectors = physical.values().stream().map(b -> b * (LoopDevice.BLOCK_SIZE / 512)).collect(Collectors.toSet());
        assertThat(scans).as("one request per block read").hasSize(SCAN_BLOCKS);
        assertThat(scans.stream().map(e -> e.getLong("sector")).collect(Collectors.toSet()))
                .as("each block's own sector, once").hasSize(SCAN_BLOCKS).isEqualTo(expectedSectors);
        Map<Long, List<Integer>> generations = scans.stream().collect(Collectors.groupingBy(
                e -> e.getLong("requestAddress"), Collectors.mapping(e -> e.getInt("generation"), Collectors.toList())));
        assertThat(generations.size()).as("distinct request addresses for %d requests", SCAN_BLOCKS).isLessThan(SCAN_BLOCKS);
        assertThat(generations.values()).as("an address reused is a new lifecycle with a higher generation each time")
                .anyMatch(g -> g.size() > 1)
                .allMatch(g -> g.stream().distinct().count() == g.size());
        assertNothingLost(recorded);
    }

    @Test
    void theMinimumLatencyFilterDropsFastRequestsInTheKernelAndCountsThem() throws Exception {
        Path recording = work.resolve("slow-only.jfr");
        Path file = traced.mountPoint().resolve(SCAN);
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .withAgent("output=" + recording + ",devices=" + traced.name() + ",minLatency=10s")
                .run(SequentialReadWorkload.class.getName(), file.toString(), "50");
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        Recorded recorded = Recorded.read(recording);

        assertThat(recorded.requests).as("no 4 KiB read on a RAM-backed loop device takes 10 s; recorded:%s",
                recorded.describeRequests()).isEmpty();
        assertThat(recorded.lastStatistics().getLong("belowMinimumLatency")).as("reads left out by minLatency")
                .isGreaterThanOrEqualTo(50);
        assertThat(recorded.configurations.get(0).getDuration("minimumLatency")).isEqualTo(Duration.ofSeconds(10));
    }

    /** The way the README and blkflight.jfc tell users to record with blkflight's settings file. */
    @Test
    void eventsLandInARecordingStartedOnTheCommandLineWithBlkflightsSettings() throws Exception {
        Path recording = work.resolve("own.jfr");
        Path settings = work.resolve("blkflight.jfc");
        Files.writeString(settings, Commands.run(Path.of(ChildJvm.JDK_25, "bin", "java").toString(), "-jar",
                ChildJvm.agentJar().toAbsolutePath().toString(), "settings"));
        Path file = traced.mountPoint().resolve(SCAN);
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_25)
                .jvmOption("-XX:StartFlightRecording:settings=default,settings=" + settings + ",filename=" + recording)
                .withAgent("devices=" + traced.name())
                .run(SequentialReadWorkload.class.getName(), file.toString(), "20");
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout() + result.stderr()).as("the JDK took the settings file").doesNotContain("doesn't exist");
        assertThat(RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ActiveSetting"))
                .filter(e -> e.getString("name").equals("threshold") && e.getString("value").equals("20 us")))
                .as("blkflight.jfc's 20 us threshold of jdk.FileRead and jdk.FileWrite is active").hasSizeGreaterThanOrEqualTo(2);
        Recorded recorded = Recorded.read(recording);

        assertThat(recorded.requests.stream().filter(e -> e.getThread("javaThread") != null
                && e.getThread("javaThread").getJavaName().equals("scanner")))
                .as("the scanner's reads, in the recording the JVM's own flag started").hasSize(20);
        assertNothingLost(recorded);
    }
}
