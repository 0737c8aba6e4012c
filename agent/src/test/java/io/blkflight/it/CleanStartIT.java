package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The agent started as a user starts it prints one line and nothing else: no JVM warning on JDK 25, whose JNI
 * restrictions (JEP 472) warn about any library loaded without native access; and under a JVM that denies
 * native access it says in one line what to add.
 */
class CleanStartIT {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void theAgentPrintsItsOneLineAndTheJvmNoWarning(String jdk) throws Exception {
        Privileges.requireRoot();
        Path recording = work.resolve("clean.jfr");
        Commands.Result result = ChildJvm.of(jdk).withAgent("output=" + recording)
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).contains("data intact");
        assertThat(result.stderr().lines()).as("standard error")
                .noneMatch(line -> line.startsWith("WARNING"))
                .singleElement().asString().startsWith("[blkflight] following block I/O of this JVM")
                .contains("; recording to " + recording + ", kept until exit in JFR's repository " + recording + ".repository/");
        assertThat(Recorded.read(recording).configurations).as("the collector ran")
                .allSatisfy(e -> assertThat(e.getString("state")).isEqualTo("running"));
    }

    @Test
    void aJvmThatDeniesNativeAccessGetsOneLineSayingWhatToAdd() throws Exception {
        Privileges.requireRoot();
        Commands.Result denied = ChildJvm.of(ChildJvm.JDK_25).jvmOption("--illegal-native-access=deny").withAgent("")
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertThat(denied.exitCode()).as("exit code; stderr: %s", denied.stderr()).isZero();
        assertThat(denied.stdout()).contains("data intact");
        assertThat(denied.stderr().lines()).as("standard error").singleElement().asString()
                .contains("block I/O collector not started")
                .contains("--illegal-native-access=deny").contains("add --enable-native-access=ALL-UNNAMED");

        Commands.Result granted = ChildJvm.of(ChildJvm.JDK_25).jvmOption("--illegal-native-access=deny")
                .jvmOption("--enable-native-access=ALL-UNNAMED").withAgent("")
                .run(FileRoundTripWorkload.class.getName(), work.toString());
        assertThat(granted.stderr().lines()).as("standard error when the class path is granted native access")
                .singleElement().asString().startsWith("[blkflight] following block I/O of this JVM");
    }
}
