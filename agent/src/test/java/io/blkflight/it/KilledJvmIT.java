package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.recording.ReadableChunks;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM killed with SIGKILL, as the OOM killer does, never writes its output= file: its last seconds are read from the
 * JFR repository the agent keeps next to the file. A JVM that exits leaves the file alone.
 */
class KilledJvmIT {
    private static final int BLOCKS = 2048;
    private static final Pattern EVENTS_UP_TO = Pattern.compile(
            "\n  partial: the JVM stopped without finishing its recording; events up to (\\S+)\n");

    @RegisterExtension
    static final DeviceWithFile DATA = new DeviceWithFile("killed", 64, BLOCKS);

    @TempDir
    Path work;

    /** Starts the busy workload under the agent and returns once its four readers run. */
    private Process startReading(String jdk, Path output, String mode, String... jvmOptions) throws Exception {
        ChildJvm jvm = ChildJvm.of(jdk).withAgent("output=" + output + ",devices=" + DATA.device().name());
        for (String option : jvmOptions) {
            jvm.jvmOption(option);
        }
        Process process = new ProcessBuilder(jvm.command(ExitWorkload.class.getName(), DATA.file().toString(),
                Integer.toString(BLOCKS), mode)).redirectError(work.resolve("stderr").toFile()).start();
        assertThat(new String(process.getInputStream().readNBytes("running".length()))).as("the workload's first line")
                .isEqualTo("running");
        return process;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void theRepositoryOfAKilledJvmHoldsItsRequestsUpToAboutASecondBeforeTheKill(String jdk) throws Exception {
        Path output = work.resolve("app.jfr");
        Process process = startReading(jdk, output, "wait");
        Thread.sleep(4_000);
        Instant killed = Instant.now();
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the JVM is gone").isTrue();
        assertThat(process.exitValue()).as("exit code of SIGKILL").isEqualTo(137);

        String agentLine = Files.readString(work.resolve("stderr"));
        Path folder = work.resolve("app.jfr.repository");
        assertThat(agentLine).as("the agent's line names where the recording is kept")
                .contains("kept until exit in JFR's repository " + folder + "/");
        assertThat(!Files.exists(output) || Files.size(output) == 0).as("the output file, never written").isTrue();
        assertThat(folder).isDirectory();

        Commands.Result summary = Commands.runAllowingFailure(120, jdk + "/bin/java", "-jar",
                ChildJvm.agentJar().toAbsolutePath().toString(), "summary", folder.toString());
        assertThat(summary.exitCode()).as("summary's exit code; stderr: %s", summary.stderr()).isZero();
        Matcher partial = EVENTS_UP_TO.matcher(summary.stdout());
        assertThat(partial.find()).as("the partial line in %s", summary.stdout()).isTrue();
        Instant upTo = Instant.parse(partial.group(1));
        assertThat(summary.stdout()).contains("collector: running").containsPattern("busy-[1-4] +[0-9,]+ ");

        Instant lastRequest = lastRequestEnd(folder);
        System.out.printf("%s: the last request read ends %d ms, the last flush %d ms before the kill%n", jdk,
                Duration.between(lastRequest, killed).toMillis(), Duration.between(upTo, killed).toMillis());
        assertThat(Duration.between(lastRequest, killed)).as("from the last request read (%s) to the kill (%s)", lastRequest, killed)
                .isPositive().isLessThan(Duration.ofMillis(2_000));
        assertThat(Duration.between(upTo, killed)).as("from the last flush the header names (%s) to the kill", upTo)
                .isPositive().isLessThan(Duration.ofMillis(2_000));
        assertThat(lastRequest).as("the last request ends before the last flush").isBefore(upTo.plusMillis(1));
    }

    /**
     * The end of the last request in a repository, its chunks read as one recording (a compact request may name a shape
     * written in the chunk before its own).
     */
    private Instant lastRequestEnd(Path repository) throws Exception {
        Path readable = work.resolve("readable.jfr");
        try (InputStream in = ReadableChunks.of(repository).open()) {
            Files.copy(in, readable);
        }
        Instant last = Instant.MIN;
        for (Recorded.Request request : Recorded.read(readable).requests) {
            last = request.getEndTime().isAfter(last) ? request.getEndTime() : last;
        }
        return last;
    }

    @Test
    void aNormalExitLeavesOnlyTheRecording() throws Exception {
        Path output = work.resolve("app.jfr");
        Process process = startReading(ChildJvm.JDK_17, output, "return");

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM leaves").isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Recorded.read(output).requests).as("the recording's requests").isNotEmpty();
        assertThat(entries(work)).as("what the run left next to its recording").containsExactlyInAnyOrder("app.jfr", "stderr");
    }

    @Test
    void aRepositoryTheUserChoseStaysWhereItIsAndIsNamed() throws Exception {
        Path chosen = work.resolve("chosen");
        Path output = work.resolve("app.jfr");
        Process process = startReading(ChildJvm.JDK_25, output, "wait", "-XX:FlightRecorderOptions:repository=" + chosen);
        Thread.sleep(2_000);
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(Files.readString(work.resolve("stderr"))).contains("kept until exit in JFR's repository " + chosen + "/");
        assertThat(work.resolve("app.jfr.repository")).doesNotExist();
        Commands.Result summary = Commands.runAllowingFailure(120, ChildJvm.JDK_17 + "/bin/java", "-jar",
                ChildJvm.agentJar().toAbsolutePath().toString(), "summary", chosen.toString());
        assertThat(summary.exitCode()).as("stderr: %s", summary.stderr()).isZero();
        assertThat(summary.stdout()).contains("partial: the JVM stopped without finishing its recording");
    }

    private static List<String> entries(Path directory) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.forEach(path -> names.add(path.getFileName().toString()));
        }
        return names;
    }
}
