package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;

import io.blkflight.it.AttachedScanWorkload;
import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.FaultStormWorkload;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.MappedScanWorkload;
import io.blkflight.it.NativeReadWorkload;
import io.blkflight.it.Privileges;
import io.blkflight.it.Recorded;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.EventNames;
import io.blkflight.model.Frames;
import io.blkflight.model.JavaLink;
import io.blkflight.model.LinkCounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault stacks on the real kernel: the kernel side's signal at a Java thread's page fault or system call, the agent's
 * handler taking the thread's Java stack where it returns to Java, and the report linking the requests to it. Cold
 * scans of mapped files by two named methods in two threads (MappedByteBuffer on JDK 17 and 25, MemorySegment on 25)
 * are linked to the method and line of the access; native code's pread calls to the Java caller of the native method.
 * And never hurting the JVM: a storm of faults with a profiler's SIGPROF timer running stays within the budget and
 * counts the rest; threads that end as their signal arrives, a native thread that detached from the JVM, another
 * handler taking the signal part-way, -Xcheck:jni, and an attach to a JVM whose code took the agent's favourite
 * signal.
 */
class FaultStacksIT {
    private static final Path SOURCES = Path.of("src/test/java/io/blkflight/it");
    private static final Path PREADER = Path.of("../native/target/test/libblkflight-preader.so");
    /** Enough for every fault of the scans (about 3,000 a second here): linking is tested apart from the budget. */
    private static final String LINKING_BUDGET = "faultStacks=20000/s";

    @TempDir
    Path work;

    @BeforeAll
    static void root() {
        Privileges.requireRoot();
        assertThat(PREADER).as("the test's JNI library, built by native/Makefile test-libs").exists();
    }

    /** The line of the comment marker in a source file (1-based). */
    private static int lineOf(Path source, String marker) throws IOException {
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// " + marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line marked '" + marker + "' in " + source);
    }

    private static Path randomFile(Path file, int mebibytes) throws IOException {
        Random random = new Random(mebibytes);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mebibytes; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return file;
    }

    private static List<BlockRequest> requests(Path recording) throws ReportException {
        List<BlockRequest> requests = new ArrayList<>();
        try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
            recorded.forEach(requests::add);
        }
        return requests;
    }

    /** Whether the request is linked by a fault stack whose frame of the method is at that line. */
    private static boolean linkedAt(BlockRequest request, String method, int line) {
        JavaLink link = request.javaLink();
        if (link.source() != JavaLink.Source.FAULT_STACK) {
            return false;
        }
        for (int i = 0; i < link.frames().size(); i++) {
            if (link.frames().get(i).equals(method) && link.lines().get(i) == line) {
                return true;
            }
        }
        return false;
    }

    /** Whether a fault stack links the request with a frame of a lambda of that prefix at that line. */
    private static boolean linkedAtLambda(BlockRequest request, String prefix, int line) {
        JavaLink link = request.javaLink();
        for (int i = 0; i < link.frames().size(); i++) {
            if (link.frames().get(i).startsWith(prefix) && link.lines().get(i) == line) {
                return true;
            }
        }
        return false;
    }

    private static String describe(List<BlockRequest> requests) {
        return requests.stream().limit(12).map(r -> r.javaThreadName() + " " + r.syscall() + " " + r.file() + " "
                + r.javaLink().source() + " " + Frames.withLines(r.javaLink()).stream().limit(6).toList())
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /** The JVM's standard error holds no JNI warning and no crash. */
    private static void assertCleanStderr(Commands.Result result) {
        assertThat(result.stderr()).as("standard error")
                .doesNotContain("WARNING in native method").doesNotContain("JNI local refs")
                .doesNotContain("FATAL ERROR").doesNotContain("SIGSEGV").doesNotContain("hs_err");
    }

    private static Stream<BlockRequest> of(List<BlockRequest> requests, String thread, Path file) {
        return requests.stream().filter(r -> thread.equals(r.javaThreadName()) && r.file().equals(file.toString()));
    }

    /** Checks the scans of both files: each thread's requests linked to its own method and line, at least 90%. */
    private static void assertScansLinked(List<BlockRequest> requests, Path a, Path b, String threadA, String threadB,
                                          String methodA, String methodB, int lineA, int lineB) {
        List<BlockRequest> ofA = of(requests, threadA, a).toList();
        List<BlockRequest> ofB = of(requests, threadB, b).toList();
        assertThat(ofA).as("%s's requests of %s", threadA, a).hasSizeGreaterThan(50);
        assertThat(ofB).as("%s's requests of %s", threadB, b).hasSizeGreaterThan(50);
        assertThat(ofA).as("page faults: in no system call").allMatch(r -> r.syscall().equals("none"));
        assertThat(ofA.stream().filter(r -> linkedAt(r, methodA, lineA)).count())
                .as("%s's requests linked to %s:%d, of %d:%s", threadA, methodA, lineA, ofA.size(), describe(ofA))
                .isGreaterThanOrEqualTo(ofA.size() * 9L / 10);
        assertThat(ofB.stream().filter(r -> linkedAt(r, methodB, lineB)).count())
                .as("%s's requests linked to %s:%d, of %d:%s", threadB, methodB, lineB, ofB.size(), describe(ofB))
                .isGreaterThanOrEqualTo(ofB.size() * 9L / 10);
        assertThat(ofA).as("never linked to the other thread's method").noneMatch(r -> r.javaLink().frames().contains(methodB));
        assertThat(ofB).as("never linked to the other thread's method").noneMatch(r -> r.javaLink().frames().contains(methodA));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void coldScansOfMappedFilesAreLinkedToTheMethodAndLineOfTheAccess(String jdk) throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-scan", 256)) {
            Path a = randomFile(device.mountPoint().resolve("a.bin"), 48);
            Path b = randomFile(device.mountPoint().resolve("b.bin"), 48);
            device.remount();
            Path recording = work.resolve("scan.jfr");
            Commands.Result result = ChildJvm.of(jdk).jvmOption("-Xcheck:jni")
                    .withAgent("output=" + recording + ",devices=" + device.name() + "," + LINKING_BUDGET)
                    .run(MappedScanWorkload.class.getName(), a.toString(), b.toString());
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).startsWith("scanned ");
            assertCleanStderr(result);

            List<BlockRequest> requests = requests(recording);
            Path source = SOURCES.resolve("MappedScanWorkload.java");
            assertScansLinked(requests, a, b, "scanner-a", "scanner-b", "io.blkflight.it.MappedScanWorkload.scanA",
                    "io.blkflight.it.MappedScanWorkload.scanB", lineOf(source, "fault: scanA"), lineOf(source, "fault: scanB"));

            Recorded recorded = Recorded.read(recording);
            RecordedEvent statistics = recorded.lastStatistics();
            RecordedEvent configuration = recorded.configurations.get(recorded.configurations.size() - 1);
            assertThat(configuration.getString("faultStacks")).as("the configuration says").startsWith("20000/s on signal ");
            assertThat(statistics.getLong("faultStacks")).as("stacks recorded").isPositive()
                    .isLessThanOrEqualTo(statistics.getLong("faultStackSignals"));
            System.out.printf("fault stacks on %s: %d signals, %d stacks, handler %.2f us per stack, unwalkable: %s%n", jdk,
                    statistics.getLong("faultStackSignals"), statistics.getLong("faultStacks"),
                    statistics.getDuration("faultStackHandlerTime").toNanos() / 1000.0 / Math.max(1, statistics.getLong("faultStacks")),
                    statistics.getString("faultStacksUnwalkableCauses"));
        }
    }

    @Test
    void coldScansOfVirtualThreadsAreLinkedToTheirAccessAndCreditedToThem() throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-virtual", 256)) {
            Path a = randomFile(device.mountPoint().resolve("a.bin"), 48);
            Path b = randomFile(device.mountPoint().resolve("b.bin"), 48);
            device.remount();
            Path recording = work.resolve("virtual-scan.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_25).jvmOption("-Xcheck:jni")
                    .withAgent("output=" + recording + ",devices=" + device.name() + "," + LINKING_BUDGET)
                    .run(MappedScanWorkload.class.getName(), a.toString(), b.toString(), "virtual");
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertCleanStderr(result);

            List<BlockRequest> requests = requests(recording);
            Path source = SOURCES.resolve("MappedScanWorkload.java");
            // The faults happen on the carriers; requests and stacks are the virtual threads'.
            assertScansLinked(requests, a, b, "scanner-a", "scanner-b", "io.blkflight.it.MappedScanWorkload.scanA",
                    "io.blkflight.it.MappedScanWorkload.scanB", lineOf(source, "fault: scanA"), lineOf(source, "fault: scanB"));
            assertThat(of(requests, "scanner-a", a)).allSatisfy(r -> {
                assertThat(r.virtualThread()).isTrue();
                assertThat(r.carrierThreadName()).startsWith("ForkJoinPool-");
            });
            List<RecordedEvent> stacks = RecordingFile.readAllEvents(recording).stream()
                    .filter(e -> e.getEventType().getName().equals(EventNames.FAULT_STACK)).toList();
            assertThat(stacks).as("fault stacks").isNotEmpty().allSatisfy(e -> {
                assertThat(e.getThread(EventNames.FaultStack.JAVA_THREAD)).as("the virtual thread").isNotNull();
                assertThat(e.getThread(EventNames.FaultStack.JAVA_THREAD).getJavaName()).startsWith("scanner-");
                assertThat(e.getThread(EventNames.FaultStack.CARRIER_THREAD).getJavaName()).startsWith("ForkJoinPool-");
            });
        }
    }

    @Test
    void coldScansThroughMemorySegmentsAreLinkedOnJdk25() throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-segment", 256)) {
            Path a = randomFile(device.mountPoint().resolve("a.bin"), 48);
            Path b = randomFile(device.mountPoint().resolve("b.bin"), 48);
            device.remount();
            Path recording = work.resolve("segment.jfr");
            Path source = Path.of("src/test/resources/io/blkflight/it/MemorySegmentScan.java");
            List<String> command = new ArrayList<>(ChildJvm.of(ChildJvm.JDK_25).jvmOption("-Xcheck:jni")
                    .withAgent("output=" + recording + ",devices=" + device.name() + "," + LINKING_BUDGET)
                    .command("ignored"));
            // JDK 25's launcher runs the source file (the test classes are compiled for 17, without java.lang.foreign).
            command.subList(command.indexOf("-cp"), command.size()).clear();
            command.addAll(List.of(source.toString(), a.toString(), b.toString()));
            Commands.Result result = Commands.runAllowingFailure(120, command);
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertCleanStderr(result);

            assertScansLinked(requests(recording), a, b, "segment-a", "segment-b", "MemorySegmentScan.scanA",
                    "MemorySegmentScan.scanB", lineOf(source, "fault: scanA"), lineOf(source, "fault: scanB"));
        }
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void nativeReadsAreLinkedToTheJavaCallerOfTheNativeMethod(String jdk) throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-native", 128)) {
            Path a = randomFile(device.mountPoint().resolve("native.bin"), 16);
            Path b = randomFile(device.mountPoint().resolve("detached.bin"), 16);
            device.remount();
            Path recording = work.resolve("native.jfr");
            ChildJvm jvm = ChildJvm.of(jdk).jvmOption("-Xcheck:jni");
            if (jdk.equals(ChildJvm.JDK_25)) {
                jvm.jvmOption("--enable-native-access=ALL-UNNAMED");
            }
            Commands.Result result = jvm.withAgent("output=" + recording + ",devices=" + device.name() + "," + LINKING_BUDGET)
                    .run(NativeReadWorkload.class.getName(), PREADER.toString(), a.toString(), b.toString(),
                            Long.toString(16L << 20));
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).contains("native read " + (16L << 20)).contains("detached 0");
            assertCleanStderr(result);

            List<BlockRequest> requests = requests(recording);
            List<BlockRequest> read = of(requests, "native-reader", a).toList();
            int line = lineOf(SOURCES.resolve("NativeReadWorkload.java"), "native: readThroughJni");
            assertThat(read).as("the native reads' requests").hasSizeGreaterThan(20)
                    .allMatch(r -> r.syscall().equals("pread64"));
            assertThat(read.stream().filter(r -> linkedAt(r, "io.blkflight.it.NativeReadWorkload.readThroughJni", line)).count())
                    .as("linked to the Java caller of the native method, line %d:%s", line, describe(read))
                    .isGreaterThanOrEqualTo(read.size() * 9L / 10);
            assertThat(read).as("the native method is the innermost frame").filteredOn(r -> r.javaLink().linked())
                    .allMatch(r -> r.javaLink().frames().get(0).equals("io.blkflight.it.NativeReader.pread0"));
            // The detached thread's reads: a thread the JVM no longer knows is never walked, and is counted.
            List<BlockRequest> detached = requests.stream().filter(r -> r.file().equals(b.toString())).toList();
            assertThat(detached).as("the detached thread's requests are not linked to any Java stack")
                    .noneMatch(r -> r.javaLink().source() == JavaLink.Source.FAULT_STACK);
            RecordedEvent statistics = Recorded.read(recording).lastStatistics();
            assertThat(statistics.getLong("faultStacksNotJava")).as("signals at a thread that is not (any more) a Java thread")
                    .isPositive();
            // The detached thread's last requests are drained at exit (on JDK 17 in the main thread's own end, when it
            // has no thread group any more): every request emitted is recorded.
            assertThat(statistics.getLong("requestsRecorded")).as("requests recorded of those emitted")
                    .isEqualTo(statistics.getLong("requestsEmitted"));
            assertThat(statistics.getLong("lostNotRecorded")).isZero();
        }
    }

    /** Reads "storm faults N in T ns, process cpu C ns, workers' cpu W ns". */
    private static final Pattern STORM = Pattern.compile("storm faults (\\d+) in (\\d+) ns, process cpu (\\d+) ns, workers' cpu (\\d+) ns");

    @Test
    void aStormOfFaultsUnderAProfilersTimerStaysWithinTheBudgetAndCountsTheRest() throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-storm", 256)) {
            Path file = randomFile(device.mountPoint().resolve("storm.bin"), 128);
            device.remount();
            Path readahead = Path.of("/sys/block/" + device.name() + "/queue/read_ahead_kb");
            Files.writeString(readahead, "0");
            Path recording = work.resolve("storm.jfr");
            int seconds = 5;
            // The default budget, 2000/s; a SIGPROF timer every millisecond of CPU, as async-profiler's cpu mode.
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17).jvmOption("-Xcheck:jni")
                    .withAgent("output=" + recording + ",devices=" + device.name())
                    .run(FaultStormWorkload.class.getName(), PREADER.toString(), file.toString(), "2",
                            Integer.toString(seconds), "profile");
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertCleanStderr(result);
            Matcher storm = STORM.matcher(result.stdout());
            assertThat(storm.find()).as("the storm's line in %s", result.stdout()).isTrue();

            RecordedEvent statistics = Recorded.read(recording).lastStatistics();
            long signals = statistics.getLong("faultStackSignals");
            long requests = statistics.getLong("requestsRecorded");
            System.out.printf("storm: %d requests in %.1f s (%.0f/s), %d signals, %d stacks, %d over budget, %d dropped, %d"
                            + " undelivered, handler %.2f us per stack, unwalkable: %s%n", requests, Long.parseLong(storm.group(2)) / 1e9,
                    requests / (Long.parseLong(storm.group(2)) / 1e9), signals, statistics.getLong("faultStacks"),
                    statistics.getLong("faultStacksOverBudget"), statistics.getLong("faultStacksDropped"),
                    statistics.getLong("faultStacksUndelivered"),
                    statistics.getDuration("faultStackHandlerTime").toNanos() / 1000.0 / Math.max(1, statistics.getLong("faultStacks")),
                    statistics.getString("faultStacksUnwalkableCauses"));
            assertThat(requests).as("faults that read, one request each (readahead off)").isGreaterThan(10_000);
            double elapsed = Long.parseLong(storm.group(2)) / 1e9 + 2;
            assertThat(signals).as("signals within the budget of 2000/s over the run (plus its windows' edges)")
                    .isPositive().isLessThanOrEqualTo((long) (2000 * elapsed * 1.1) + 1000);
            assertThat(statistics.getLong("faultStacksOverBudget")).as("faults beyond the budget, counted").isPositive();
            long outcomes = statistics.getLong("faultStacks") + statistics.getLong("faultStacksUnwalkable")
                    + statistics.getLong("faultStacksNotJava") + statistics.getLong("faultStacksUndelivered");
            assertThat(outcomes).as("every signal's outcome accounted for (a stack dropped leaves its episode undelivered)")
                    .isLessThanOrEqualTo(signals).isGreaterThanOrEqualTo(signals - statistics.getLong("faultStacksDropped"));
            assertThat(statistics.getLong("faultStacksUnwalkable")).as("unwalkable stacks, a small share")
                    .isLessThan(signals / 20 + 10);
        }
    }

    @Test
    void threadsEndingAsTheirSignalArrivesAndAHandlerTakenPartWayDoNoHarm() throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-brief", 256)) {
            Path file = randomFile(device.mountPoint().resolve("brief.bin"), 64);
            device.remount();
            Files.writeString(Path.of("/sys/block/" + device.name() + "/queue/read_ahead_kb"), "0");
            Path recording = work.resolve("brief.jfr");
            // Threads of 16 faults each, one after another, on both JDKs; a quarter of the way, other code installs its own handler
            // on the agent's signal (SIGRTMAX-1 in a JVM where nothing else took it).
            for (String jdk : List.of(ChildJvm.JDK_17, ChildJvm.JDK_25)) {
                Commands.Result result = ChildJvm.of(jdk).jvmOption("-Xcheck:jni")
                        .jvmOption(jdk.equals(ChildJvm.JDK_25) ? "--enable-native-access=ALL-UNNAMED" : "-Dunused=1")
                        .withAgent("output=" + recording + ",devices=" + device.name() + "," + LINKING_BUDGET)
                        // One worker: with two, one's mapping would keep pages the other drops in the page cache.
                        .run(FaultStormWorkload.class.getName(), PREADER.toString(), file.toString(), "1", "4",
                                "short-threads", "take-signal=" + 63);
                assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
                assertThat(result.stdout()).contains("took signal 63").contains("storm faults ");
                assertCleanStderr(result);
                assertThat(result.agentLines()).as("the agent says once that the signal was taken")
                        .filteredOn(line -> line.contains("installed its own handler on the signal")).hasSize(1);
                Recorded recorded = Recorded.read(recording);
                assertThat(recorded.configurations.get(recorded.configurations.size() - 1).getString("faultStacks"))
                        .isEqualTo("20000/s on signal 63");
                RecordedEvent statistics = recorded.lastStatistics();
                System.out.printf("brief threads on %s (%s): %d signals, %d stacks, %d not Java, %d unwalkable (%s), %d undelivered,"
                                + " %d after the signal was taken%n", jdk, result.stdout().trim().replace('\n', ';'),
                        statistics.getLong("faultStackSignals"),
                        statistics.getLong("faultStacks"), statistics.getLong("faultStacksNotJava"),
                        statistics.getLong("faultStacksUnwalkable"), statistics.getString("faultStacksUnwalkableCauses"),
                        statistics.getLong("faultStacksUndelivered"), statistics.getLong("faultStacksSignalTaken"));
                assertThat(statistics.getLong("faultStacks")).as("stacks of the brief threads").isPositive();
                assertThat(statistics.getLong("faultStacksSignalTaken")).as("faults given no signal once another handler"
                        + " had it").isPositive();
                int line = lineOf(SOURCES.resolve("FaultStormWorkload.java"), "fault: brief");
                // AsyncGetCallTrace may miss the innermost frames of a thread that just started (its first call through
                // an interpreter-to-compiled adapter, measured: about 1 stack in 100 here, starting at the lambda's
                // caller): still the right thread's stack, never another thread's.
                List<BlockRequest> linked = requests(recording).stream()
                        .filter(r -> r.javaThreadName() != null && r.javaThreadName().startsWith("brief-"))
                        .filter(r -> r.file().equals(file.toString()) && r.javaLink().source() == JavaLink.Source.FAULT_STACK)
                        .toList();
                List<BlockRequest> elsewhere = linked.stream()
                        .filter(r -> !linkedAtLambda(r, "io.blkflight.it.FaultStormWorkload.lambda$shortThreads$", line)).toList();
                System.out.printf("brief threads on %s: %d requests linked by fault stacks, %d of them not at the access%n",
                        jdk, linked.size(), elsewhere.size());
                assertThat(linked).as("requests linked by fault stacks").hasSizeGreaterThan(100);
                assertThat(elsewhere.size()).as("linked by a fault stack, but not to the brief thread's access at line %d:%s",
                        line, describe(elsewhere)).isLessThan(linked.size() / 10);
                assertThat(elsewhere).as("always the brief thread's own stack")
                        .allMatch(r -> r.javaLink().frames().contains("java.lang.Thread.run")
                                && r.javaLink().frames().stream().noneMatch(f -> f.contains("storm")));
            }
        }
    }

    @Test
    void anAttachedAgentChoosesASignalNobodyHandlesAndLinksThreadsThatWereThereBefore() throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-attach", 128)) {
            Path file = randomFile(device.mountPoint().resolve("attach.bin"), 32);
            device.remount();
            Path recording = work.resolve("attached.jfr");
            List<String> command = ChildJvm.of(ChildJvm.JDK_17).jvmOption("-Xcheck:jni")
                    .command(AttachedScanWorkload.class.getName(), PREADER.toString(), file.toString());
            Process target = new ProcessBuilder(command).redirectError(work.resolve("stderr.txt").toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
                String ready = out.readLine();
                assertThat(ready).as("the target's first line").startsWith("ready ").endsWith(" took 63");
                VirtualMachine vm = VirtualMachine.attach(ready.split(" ")[1]);
                try {
                    vm.loadAgent(ChildJvm.agentJar().toAbsolutePath().toString(), "output=" + recording + ",devices="
                            + device.name() + "," + LINKING_BUDGET);
                } finally {
                    vm.detach();
                }
                try (Writer in = new OutputStreamWriter(target.getOutputStream(), StandardCharsets.UTF_8)) {
                    in.write("go\n");
                }
                assertThat(out.readLine()).startsWith("done ");
                assertThat(target.waitFor(60, TimeUnit.SECONDS)).as("the target exits").isTrue();
                assertThat(target.exitValue()).isZero();
            } finally {
                target.destroyForcibly();
            }
            String stderr = Files.readString(work.resolve("stderr.txt"));
            assertThat(stderr).doesNotContain("WARNING in native method").doesNotContain("JNI local refs")
                    .doesNotContain("FATAL ERROR");
            Recorded recorded = Recorded.read(recording);
            // 63 has the application's handler (and HotSpot itself catches 62): another one, that nobody handles.
            String chosen = recorded.configurations.get(recorded.configurations.size() - 1).getString("faultStacks");
            assertThat(chosen).as("the configuration names the signal").startsWith("20000/s on signal ")
                    .isNotEqualTo("20000/s on signal 63");
            List<BlockRequest> scanned = of(requests(recording), "early-scanner", file).toList();
            int line = lineOf(SOURCES.resolve("MappedScanWorkload.java"), "fault: scanA");
            assertThat(scanned).hasSizeGreaterThan(50);
            assertThat(scanned.stream().filter(r -> linkedAt(r, "io.blkflight.it.MappedScanWorkload.scanA", line)).count())
                    .as("the scan of a thread that existed before the agent, linked:%s", describe(scanned))
                    .isGreaterThanOrEqualTo(scanned.size() * 9L / 10);
        }
    }

    @Test
    void faultStacksOffSendsNoSignal() throws Exception {
        try (LoopDevice device = LoopDevice.create("fault-off", 128)) {
            Path a = randomFile(device.mountPoint().resolve("a.bin"), 8);
            Path b = randomFile(device.mountPoint().resolve("b.bin"), 8);
            device.remount();
            Path recording = work.resolve("off.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                    .withAgent("output=" + recording + ",devices=" + device.name() + ",faultStacks=off")
                    .run(MappedScanWorkload.class.getName(), a.toString(), b.toString());
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            Recorded recorded = Recorded.read(recording);
            assertThat(recorded.configurations.get(recorded.configurations.size() - 1).getString("faultStacks")).isEqualTo("off");
            LinkCounts counts = new LinkCounts();
            requests(recording).forEach(counts::add);
            assertThat(counts.linkedBy(JavaLink.Source.FAULT_STACK)).isZero();
            assertThat(recorded.lastStatistics().getLong("faultStackSignals")).isZero();
        }
    }
}
