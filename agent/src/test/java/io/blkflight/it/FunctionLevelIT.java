package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.EventNames.Request;
import io.blkflight.model.FunctionPath;

import java.nio.file.Path;
import java.util.List;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function-level mode asked for on this machine's kernel, end to end through the agent on a loop device.
 * Where the kernel refuses fentry and kprobes (this project's machines: fentry is EPERM, kprobes are not
 * built in) the agent says so in one line, the recording says what was active, and the tracepoint
 * collector records every request as before. Where the kernel allows it, the requests carry their
 * function paths. (The mode itself is proven on kernels that allow it by the kernel matrix under qemu.)
 */
class FunctionLevelIT {
    private static LoopDevice device;

    @TempDir
    Path work;

    @BeforeAll
    static void createDevice() throws Exception {
        Privileges.requireRoot();
        device = LoopDevice.create("functions", 32);
    }

    @AfterAll
    static void removeDevice() throws Exception {
        if (device != null) {
            device.close();
        }
    }


    private record Run(Commands.Result result, Recorded recorded) {
    }

    private Run run(String functionOptions) throws Exception {
        Path recording = work.resolve("functions.jfr");
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .withAgent(functionOptions + ",devices=" + device.name() + ",output=" + recording)
                .run(FileRoundTripWorkload.class.getName(), device.mountPoint().toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("data intact");
        return new Run(result, Recorded.read(recording));
    }

    @Test
    void aKernelThatRefusesGetsOneLineAndTheTracepointCollectorRunsOn() throws Exception {
        Run run = run("functions=blk_*+attempt_merge,functionsExclude=blk_mq_free_request");
        Recorded recorded = run.recorded();

        RecordedEvent configuration = recorded.configurations.get(0);
        String tracing = configuration.getString("functionTracing");
        assertThat(recorded.requests).as("requests on the loop device").isNotEmpty();
        assertThat(configuration.getString("functionsSkipped")).as("the exclude glob's victim is listed with why")
                .contains("blk_mq_free_request: excluded by blk_mq_free_request");
        if (tracing.equals("refused")) {
            System.out.println("this kernel refuses function-level tracing: " + configuration.getString("functionTracingProblem"));
            assertThat(run.result().agentLines().stream().filter(l -> l.contains("warning"))).singleElement().asString()
                    .contains("function-level mode not started, the tracepoint collector runs on: "
                            + "the kernel refuses function-level tracing: fentry programs: ")
                    .contains("; kprobes: ")
                    .containsPattern("errno \\d+");
            assertThat(configuration.getString("functionTracingProblem")).startsWith("the kernel refuses function-level tracing");
            assertThat(configuration.getString("mode")).isEqualTo("tracepoints");
            assertThat(configuration.getString("functionsAttached")).isEmpty();
            assertThat(recorded.requests).allSatisfy(e -> assertThat(e.getString(Request.FUNCTION_PATH)).isNullOrEmpty());
        } else {
            assertThat(tracing).isIn("fentry", "kprobes");
            assertThat(configuration.getString("mode")).isEqualTo("tracepoints+" + tracing);
            assertThat(configuration.getString("functionsAttached")).contains("blk_mq_start_request(arg 0)")
                    .doesNotContain("blk_mq_free_request");
            List<String> started = recorded.requests.stream()
                    .flatMap(e -> FunctionPath.parse(e.getString(Request.FUNCTION_PATH)).stream())
                    .map(FunctionPath.Entry::function).toList();
            assertThat(started).contains("blk_mq_start_request").doesNotContain("blk_mq_free_request");
        }
        assertThat(configuration.getDuration("functionAttachTime").toNanos()).isPositive();
        assertThat(recorded.lastStatistics().getLong("requestsRecorded")).isEqualTo(recorded.requests.size());
    }

    @Test
    void globsThatMatchNothingSayWhatWasSearched() throws Exception {
        Run run = run("functions=zzz_no_such_*");
        Recorded recorded = run.recorded();

        assertThat(run.result().agentLines().stream().filter(l -> l.contains("warning"))).singleElement().asString()
                .contains("function-level mode: no traceable kernel function with a struct request * parameter matches "
                        + "functions=zzz_no_such_* (")
                .contains("candidates in BTF)");
        RecordedEvent configuration = recorded.configurations.get(0);
        assertThat(configuration.getString("functionTracing")).isEqualTo("off");
        assertThat(recorded.requests).isNotEmpty();
    }
}
