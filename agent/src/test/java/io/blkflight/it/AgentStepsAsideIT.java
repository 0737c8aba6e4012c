package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When blkflight cannot run it says so in one line and the application runs on untouched: its exit
 * code, its output and its data are what they would be without the agent.
 */
class AgentStepsAsideIT {
    @TempDir
    Path work;


    private static void assertApplicationUntouched(Commands.Result result) {
        assertThat(result.exitCode()).as("the application's exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).contains("data intact");
        assertThat(result.stderr()).as("no stack trace reaches the application's output")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void whenTheKernelRefusesBpfTheApplicationRunsAndTheRecordingSaysWhy() throws Exception {
        Privileges.requireRoot();
        Path recording = work.resolve("refused.jfr");
        // An empty capability bounding set: the JVM runs as uid 0 but without CAP_BPF, CAP_PERFMON or CAP_SYS_ADMIN.
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .under("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--")
                .withAgent("output=" + recording)
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).as("what the agent printed").singleElement().asString()
                .contains("block I/O collector not started")
                .contains("Operation not permitted")
                .contains("CAP_BPF and CAP_PERFMON");
        Recorded recorded = Recorded.read(recording);
        assertThat(recorded.configurations).as("the recording says the collector did not run").isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.getString("state")).isEqualTo("failed");
                    assertThat(e.getString("reason")).contains("Operation not permitted");
                });
        assertThat(recorded.requests).isEmpty();
    }

    @Test
    void aBadOptionIsNamedAndTheApplicationRuns() throws Exception {
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17).withAgent("scope=all,scop=all")
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).singleElement().asString()
                .contains("unknown option 'scop'; did you mean 'scope'?")
                .contains("java -jar blkflight.jar options");
    }

    @Test
    void aMissingNativeLibraryIsNamedAndTheApplicationRuns() throws Exception {
        Path missing = work.resolve("no-such-libblkflight.so");
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_25).withAgent("library=" + missing)
                .run(FileRoundTripWorkload.class.getName(), work.toString());

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).singleElement().asString()
                .contains(missing.toString()).contains("does not exist");
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void aSecondStartInTheSameJvmIsIgnored() throws Exception {
        Privileges.requireRoot();
        List<String> command = ChildJvm.of(ChildJvm.JDK_17).withAgent("log=warn,minLatency=1ms")
                .command(FileRoundTripWorkload.class.getName(), work.toString());
        // The first -javaagent starts; the second, after it on the command line, must be ignored.
        command.add(1, "-javaagent:" + ChildJvm.agentJar().toAbsolutePath() + "=log=warn,scope=all");
        Commands.Result result = Commands.runAllowingFailure(120, command);

        assertApplicationUntouched(result);
        assertThat(result.agentLines()).singleElement().asString()
                .contains("already runs in this JVM").contains("log=warn,minLatency=1ms");
    }
}
