package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent never hurts its host: wrong options, missing privileges, missing or broken BTF, an overflowing
 * ring buffer, a full request map, and a JVM that leaves in the middle of heavy I/O. In every case the
 * application's own results stay right and the agent says in one line what happened.
 */
class FailureBehaviourIT {
    private static final int BLOCKS = 2048;

    @RegisterExtension
    static final DeviceWithFile DATA = new DeviceWithFile("failures", 64, BLOCKS);

    @TempDir
    Path work;



    private static void assertApplicationUntouched(Commands.Result result) {
        assertThat(result.exitCode()).as("the application's exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).contains("data intact");
        assertThat(result.stderr()).as("no stack trace reaches the application's output").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "verbose=true|unknown option 'verbose'",
        "outptu=x.jfr|unknown option 'outptu'; did you mean 'output'?",
        "scope=mine|option scope=mine is not valid; accepted: scope=self|all",
        "devices=sd*|option devices=sd* is not valid",
        "devices=nosuchdisk|no block device 'nosuchdisk'",
        "minLatency=fast|option minLatency=fast is not valid",
        "output=/no/such/directory/x.jfr|could not start the recording to /no/such/directory/x.jfr",
        "output=x.jfr,maxSize=10k|option maxSize=10k is out of range; accepted: 1m to 1024g",
        "linkThreshold=-1ms|option linkThreshold=-1ms is not valid",
        "linkRate=fast|option linkRate=fast is not valid; accepted: off, or a rate of at least 1 per second or minute",
        "stacks=maybe|option stacks=maybe is not valid; accepted: stacks=N/s with N from 1 to 1000000",
        "ringBuffer=100k|a power of two from 64k to 1g",
        "maxInflight=8|out of range; accepted: 16 to 1048576",
        "wakeupAt=0|option wakeupAt=0 is out of range; accepted: 1 to 100",
        "pollInterval=1h|option pollInterval=1h is not valid",
        "lifecycleTimeout=0s|out of range; accepted: 1s to 60m",
        "log=loud|accepted: log=quiet|warn|info|debug",
        "library=/nonexistent/libblkflight.so|/nonexistent/libblkflight.so does not exist",
        "btf=/nonexistent/vmlinux|reading BTF from /nonexistent/vmlinux failed",
        "scope=self,scope=all|option 'scope' is given twice (self and all); give it once",
    })
    void eachWrongOptionIsOneLineAndTheApplicationRuns(String options, String expected) throws Exception {
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17).withAgent(options)
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).as("what the agent printed for %s", options)
                .anySatisfy(line -> assertThat(line).contains(expected))
                .allSatisfy(line -> assertThat(line).doesNotContain("Exception"));
        assertThat(result.agentLines().stream().filter(l -> l.contains("warning"))).as("warnings").hasSize(1);
    }

    @Test
    void anOutputInAMissingDirectoryIsSaidOnceAndNeverClaimed() throws Exception {
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17).withAgent("output=/no/such/directory/x.jfr")
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).as("what the agent printed")
                .anySatisfy(line -> assertThat(line).contains("the directory /no/such/directory does not exist"))
                .anySatisfy(line -> assertThat(line).contains("following block I/O")
                        .contains("its events go to recordings started otherwise"))
                .noneSatisfy(line -> assertThat(line).contains("; recording to /no/such/directory/x.jfr"));
    }

    @Test
    void anUnprivilegedUserGetsOneLineAndARecordingThatSaysWhy() throws Exception {
        Path shared = Files.createDirectories(work.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path recording = shared.resolve("nobody.jfr");
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .under("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--")
                .jvmOption("-Djava.io.tmpdir=" + shared)
                .withAgent("output=" + recording)
                .run(FileRoundTripWorkload.class.getName(), shared.toString());

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).singleElement().asString().contains("CAP_BPF and CAP_PERFMON");
        assertThat(Recorded.read(recording).configurations).allSatisfy(e -> {
            assertThat(e.getString("state")).isEqualTo("failed");
            assertThat(e.getString("reason")).contains("Operation not permitted");
        });
    }

    @Test
    void aKernelWithoutUsableBtfGetsOneLineAndARecordingThatSaysWhy() throws Exception {
        Path broken = Files.writeString(work.resolve("vmlinux"), "not BTF at all");
        Path recording = work.resolve("no-btf.jfr");
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_25).withAgent("output=" + recording + ",btf=" + broken)
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).singleElement().asString().contains("reading BTF from " + broken + " failed");
        assertThat(Recorded.read(recording).configurations).allSatisfy(e -> {
            assertThat(e.getString("state")).isEqualTo("failed");
            assertThat(e.getString("btfSource")).isEqualTo(broken.toString());
        });
    }

    @Test
    void anOverflowingRingBufferIsCountedAndTheCollectorRecovers() throws Exception {
        Path recording = work.resolve("overflow.jfr");
        // 64 KiB holds some 400 records; with wake-ups only when it is full and a 3 s poll, a burst overflows it.
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .withAgent("output=" + recording + ",devices=" + DATA.device().name() + ",ringBuffer=64k,wakeupAt=100,pollInterval=3s")
                .run(BurstWorkload.class.getName(), DATA.file().toString(), "4", "1500", "4000", "200", Integer.toString(BLOCKS));
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        Recorded recorded = Recorded.read(recording);
        RecordedEvent stats = recorded.lastStatistics();

        assertThat(stats.getLong("lostRingBufferFull")).as("requests lost to the full ring buffer").isPositive();
        assertThat(stats.getLong("requestsEmitted") + stats.getLong("lostRingBufferFull"))
                .as("every started request is emitted or counted lost").isEqualTo(stats.getLong("requestsStarted"));
        assertThat(recorded.requests).as("every emitted request is recorded").hasSize((int) stats.getLong("requestsEmitted"));
        Map<Long, Long> physical = DATA.device().physicalBlocks(DATA.file());
        List<Recorded.Request> after = recorded.requests.stream()
                .filter(e -> e.getThread("javaThread") != null && e.getThread("javaThread").getJavaName().equals("after-burst"))
                .collect(Collectors.toList());
        assertThat(after).as("after the burst every request is recorded again").hasSize(200);
        Set<Long> expected = physical.entrySet().stream().filter(e -> e.getKey() < 200)
                .map(e -> e.getValue() * (LoopDevice.BLOCK_SIZE / 512)).collect(Collectors.toSet());
        assertThat(after.stream().map(e -> e.getLong("sector")).collect(Collectors.toSet())).isEqualTo(expected);
    }

    @Test
    void aFullRequestMapIsCountedAndWhatIsRecordedIsRight() throws Exception {
        Path recording = work.resolve("full-map.jfr");
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .withAgent("output=" + recording + ",devices=" + DATA.device().name() + ",maxInflight=16")
                .run(BurstWorkload.class.getName(), DATA.file().toString(), "48", "200", "0", "0", Integer.toString(BLOCKS));
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        Recorded recorded = Recorded.read(recording);
        RecordedEvent stats = recorded.lastStatistics();

        assertThat(stats.getLong("lostInflightMapFull")).as("requests not followed: the map of 16 addresses was full").isPositive();
        assertThat(recorded.requests).as("the requests that were followed").isNotEmpty();
        Set<Long> sectors = DATA.device().physicalBlocks(DATA.file()).values().stream().map(b -> b * (LoopDevice.BLOCK_SIZE / 512))
                .collect(Collectors.toSet());
        assertThat(recorded.requests).as("each recorded request read a block of the file, issued by a burst thread")
                .allSatisfy(e -> {
                    assertThat(sectors).contains(e.getLong("sector"));
                    assertThat(e.getThread("javaThread").getJavaName()).startsWith("burst-");
                });
        assertThat(recorded.requests.stream().map(e -> e.getLong("requestAddress")).distinct().count())
                .as("distinct request addresses followed").isLessThanOrEqualTo(16);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"return", "exit", "sigterm"})
    void leavingInTheMiddleOfHeavyIoNeitherHangsNorLeavesProgramsBehind(String mode) throws Exception {
        Path recording = work.resolve("exit-" + mode + ".jfr");
        List<String> command = ChildJvm.of(ChildJvm.JDK_17).withAgent("output=" + recording + ",devices=" + DATA.device().name())
                .command(ExitWorkload.class.getName(), DATA.file().toString(), Integer.toString(BLOCKS), mode.equals("sigterm") ? "wait" : mode);
        BpfObjects before = BpfObjects.now();
        Process process = new ProcessBuilder(command).redirectError(work.resolve("stderr-" + mode).toFile()).start();
        String first = new String(process.getInputStream().readNBytes("running".length()));
        assertThat(first).isEqualTo("running");
        long started = System.nanoTime();
        if (mode.equals("sigterm")) {
            Thread.sleep(1000);
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the JVM leaves within 30 s").isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        int expectedExit = mode.equals("exit") ? 3 : mode.equals("sigterm") ? 143 : 0;
        assertThat(process.exitValue()).as("exit code").isEqualTo(expectedExit);
        assertThat(seconds).as("seconds from leaving to gone").isLessThan(10);

        Recorded recorded = Recorded.read(recording);
        assertThat(recorded.requests).as("the recording is readable and holds the busy threads' requests").isNotEmpty();
        assertThat(BpfObjects.now().orphansSince(before).programs()).as("no blkflight program stays loaded after the JVM")
                .doesNotContain("rq_issue", "bio_queue");
        // The kernel frees maps a moment after their last reference goes (deferred work): give it a few seconds.
        List<String> maps = BpfObjects.now().orphansSince(before).maps();
        for (int i = 0; i < 50 && (maps.contains("requests") || maps.contains("task_states")); i++) {
            Thread.sleep(100);
            maps = BpfObjects.now().orphansSince(before).maps();
        }
        assertThat(maps).as("no blkflight map stays").doesNotContain("requests", "task_states");
    }
}
