package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.DirectIoPlan;
import io.blkflight.it.DirectIoWorkload;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.Privileges;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.CallTree;
import io.blkflight.model.Frames;
import io.blkflight.model.JavaLink;
import io.blkflight.model.Stage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call trees of real requests: the direct-I/O workload runs under the agent on a loop device, and
 * each request's tree must hold the path the kernel took (system call entry, the filesystem's direct-I/O
 * path, bio submission, dispatch through the loop driver, completion through blk_mq_end_request) under
 * the Java stack of the workload's own method that made the call.
 */
class ReportIT {
    @TempDir
    static Path work;

    private static LoopDevice device;
    private static LoopDevice other;
    private static Path recording;
    private static final List<BlockRequest> requests = new ArrayList<>();

    @BeforeAll
    static void record() throws Exception {
        Privileges.requireRoot();
        device = LoopDevice.create("report", 64);
        other = LoopDevice.create("report-other", 32);
        device.zeroFile(DirectIoPlan.DATA, DirectIoPlan.DATA_BLOCKS);
        other.zeroFile(DirectIoPlan.OTHER, DirectIoPlan.DATA_BLOCKS);
        recording = work.resolve("report.jfr");
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .withAgent("output=" + recording + ",devices=" + device.name() + ",linkThreshold=0ns,stacks=on")
                .run(DirectIoWorkload.class.getName(), device.mountPoint().toString(), other.mountPoint().toString());
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
            recorded.forEach(requests::add);
        }
    }

    @AfterAll
    static void removeDevices() throws Exception {
        if (device != null) {
            device.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private static BlockRequest requestOf(DirectIoPlan.Step step) throws Exception {
        long sector = device.sectorOf(device.mountPoint().resolve(step.file()), step.block());
        String operation = step.operation().equals("read") ? "read" : "write";
        Optional<BlockRequest> found = requests.stream()
                .filter(r -> r.sector() == sector && r.operation().equals(operation)).findFirst();
        assertThat(found).as("the request of %s", step).isPresent();
        return found.get();
    }

    /** The stage's kernel functions, outermost first. */
    private static List<String> functions(BlockRequest request, Stage stage) {
        List<String> functions = Frames.outermostFirst(request.kernelStack(stage));
        functions.replaceAll(Frames::function);
        return functions;
    }

    @Test
    void aDirectReadsTreeRunsFromItsJavaCallThroughTheFilesystemAndTheLoopDriverToCompletion() throws Exception {
        DirectIoPlan.Step step = DirectIoPlan.STEPS.get(0);
        BlockRequest read = requestOf(step);

        assertThat(read.javaLink().source()).as("linked by the thread's jdk.FileRead").isEqualTo(JavaLink.Source.FILE_EVENT);
        assertThat(read.javaLink().frames()).as("the Java stack of the call")
                .contains(DirectIoWorkload.class.getName() + ".perform", "sun.nio.ch.FileChannelImpl.read");
        assertThat(functions(read, Stage.SUBMIT)).as("submission, in the reading thread")
                .startsWith("entry_SYSCALL_64_after_hwframe")
                .containsSubsequence("entry_SYSCALL_64_after_hwframe", "__x64_sys_pread64", "ext4_file_read_iter",
                        "iomap_dio_rw", "submit_bio_noacct_nocheck");
        assertThat(functions(read, Stage.ISSUE)).as("dispatch through the loop driver")
                .containsSubsequence("loop_queue_rq", "blk_mq_start_request");
        assertThat(functions(read, Stage.COMPLETE)).as("completion")
                .containsAnyOf("blk_mq_end_request", "__blk_mq_end_request", "blk_mq_end_request_batch")
                .contains("blk_update_request");
        assertThat(read.inIssuer(Stage.SUBMIT)).isTrue();

        CallTree tree = new CallTree(false);
        tree.add(read);
        List<String> javaThenKernel = new ArrayList<>(Frames.outermostFirst(read.javaLink().frames()));
        javaThenKernel.addAll(functions(read, Stage.SUBMIT));
        CallTree.Node submitted = tree.find(javaThenKernel);
        assertThat(submitted).as("one path from the Java stack down to the bio submission").isNotNull();
        assertThat(submitted.sites()).containsExactly(Stage.SUBMIT);
        assertThat(tree.root().children()).extracting(CallTree.Node::frame)
                .as("roots: the thread's Java stack, and where the completion ran")
                .contains("java.lang.Thread.run");
    }

    @Test
    void anFsyncsWritebackIsSubmittedInsideFsyncByTheCallingThread() throws Exception {
        DirectIoPlan.Step step = DirectIoPlan.STEPS.stream().filter(s -> s.operation().equals("fsync")).findFirst().orElseThrow();
        BlockRequest write = requestOf(step);

        assertThat(write.syscall()).isEqualTo("fsync");
        assertThat(write.javaThreadName()).isEqualTo(step.thread());
        assertThat(write.javaLink().frames()).as("linked by jdk.FileForce").contains(DirectIoWorkload.class.getName() + ".perform");
        assertThat(functions(write, Stage.SUBMIT)).containsSubsequence("__x64_sys_fsync", "ext4_sync_file", "submit_bio_noacct_nocheck");
    }

    @Test
    void theReportPrintsEachRequestsJavaStackAboveItsKernelTree() throws Exception {
        StringWriter out = new StringWriter();
        int code = ReportCommand.run(new String[] {"report", "--requests", "1", "--thread", "reader-1", recording.toString()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        String text = out.toString();

        assertThat(code).isZero();
        assertThat(text).contains("selected 3 of " + requests.size()).contains("linked to a Java stack: 3 of 3");
        String single = text.substring(text.indexOf("single requests"));
        int javaLine = single.indexOf(DirectIoWorkload.class.getName() + ".perform:");
        int syscallLine = single.indexOf("entry_SYSCALL_64_after_hwframe+0x");
        assertThat(javaLine).as("the workload's method in the single request's tree").isPositive();
        assertThat(syscallLine).as("the Java stack is above the system call entry").isGreaterThan(javaLine);
        assertThat(single).contains("<- submit").contains("<- issue").contains("<- complete").contains("loop_queue_rq+0x");
    }

    @Test
    void foldedStacksPutJavaFramesAboveKernelFrames() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            Report.print(recording, first -> new Report.Options(io.blkflight.model.RequestFilter.ALL, r -> true,
                    java.util.Comparator.comparingLong(BlockRequest::start), "first in time", 0, false,
                    io.blkflight.model.Folded.Weight.COUNT, 0), out, Progress.quiet());
        }
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).anyMatch(line -> line.startsWith("java.lang.Thread.run;")
                && line.contains(DirectIoWorkload.class.getName() + ".perform;")
                && line.contains(";entry_SYSCALL_64_after_hwframe;") && line.matches(".*;submit_bio_noacct_nocheck;\\[submit\\] \\d+"));
        assertThat(lines).allMatch(line -> line.matches("\\S.* \\d+"), "each line is frames then a count");
    }
}
