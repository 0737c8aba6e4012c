package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.MixedKindsWorkload;
import io.blkflight.it.Privileges;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.CallTree;
import io.blkflight.model.FunctionHit;
import io.blkflight.model.Stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel stacks with the agent's defaults (stacks=200/s): several kinds of request from named threads, each of
 * which must get a whole tree (system call entry, submit path, dispatch, completion) although the O_DIRECT reads
 * outnumber the others a hundred to one; the number of requests with stacks a second stays within the budget; and
 * the estimates a sampled tree gives agree with the exact tree of a recording with every stack.
 */
class StackSamplingIT {
    private static final List<String> THREADS = List.of("dio-reader", "dio-writer", "buffered-reader", "syncer", "trimmer");

    @TempDir
    static Path work;

    private static LoopDevice data;
    private static LoopDevice trim;

    @BeforeAll
    static void createDevices() throws Exception {
        Privileges.requireRoot();
        data = LoopDevice.create("sampling", 96);
        trim = LoopDevice.create("sampling-trim", 64, List.of("-O", "^has_journal"), "noatime,discard");
    }

    @AfterAll
    static void removeDevices() throws Exception {
        if (data != null) {
            data.close();
        }
        if (trim != null) {
            trim.close();
        }
    }

    private static List<BlockRequest> record(String options, int reads, Path recording) throws Exception {
        Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                .withAgent("output=" + recording + ",devices=" + data.name() + "+" + trim.name() + (options.isEmpty() ? "" : "," + options))
                .run(MixedKindsWorkload.class.getName(), data.mountPoint().toString(), trim.mountPoint().toString(),
                        Integer.toString(reads));
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        List<BlockRequest> requests = new ArrayList<>();
        RecordedRequests.open(recording, Progress.quiet()).forEach(requests::add);
        return requests;
    }

    private static boolean contains(List<String> stack, String function) {
        return stack.stream().anyMatch(frame -> frame.startsWith(function + "+"));
    }

    @Test
    void withTheDefaultsEachKindOfRequestGetsAWholeTree() throws Exception {
        List<BlockRequest> requests = record("", 20_000, work.resolve("defaults.jfr"));

        Map<String, List<BlockRequest>> byThread = requests.stream().filter(r -> r.javaThreadName() != null)
                .collect(Collectors.groupingBy(BlockRequest::javaThreadName));
        assertThat(byThread.get("dio-reader")).as("the O_DIRECT reads").hasSizeGreaterThanOrEqualTo(20_000);
        for (String thread : THREADS) {
            List<BlockRequest> own = byThread.getOrDefault(thread, List.of());
            assertThat(own).as("requests of %s", thread).isNotEmpty();
            assertThat(own).as("a request of %s with a whole tree: system call entry, submit, dispatch, completion; its requests"
                    + " with stacks: %s", thread, own.stream().filter(BlockRequest::hasKernelStacks).map(r -> r.operation() + " "
                    + r.flags() + " " + r.syscall() + " submit " + r.kernelStack(Stage.SUBMIT).size() + " issue "
                    + r.kernelStack(Stage.ISSUE).size() + " complete " + r.kernelStack(Stage.COMPLETE).size()).toList())
                    .anySatisfy(r -> {
                        List<String> submit = r.kernelStack(Stage.SUBMIT);
                        assertThat(contains(submit, "entry_SYSCALL_64_after_hwframe")).as("from the system call entry").isTrue();
                        assertThat(contains(submit, "submit_bio_noacct_nocheck")).as("the bio submitted").isTrue();
                        assertThat(contains(r.kernelStack(Stage.ISSUE), "blk_mq_start_request")).as("dispatched").isTrue();
                        assertThat(contains(r.kernelStack(Stage.COMPLETE), "blk_update_request")).as("completed").isTrue();
                    });
        }
        assertThat(byThread.get("trimmer")).as("the trimmer's discards").anyMatch(r -> r.operation().equals("discard")
                && r.hasKernelStacks() && contains(r.kernelStack(Stage.SUBMIT), "__x64_sys_ftruncate"));
        assertThat(byThread.get("syncer")).as("the syncer's fsync writes")
                .anyMatch(r -> r.hasKernelStacks() && contains(r.kernelStack(Stage.SUBMIT), "__x64_sys_fsync"));
        assertThat(byThread.get("buffered-reader")).as("readahead from the buffered reads")
                .anyMatch(r -> r.hasKernelStacks() && r.flags().contains("readahead"));
        long sampled = requests.stream().filter(BlockRequest::hasKernelStacks).count();
        assertThat(sampled).as("requests with stacks, a sample").isGreaterThan(THREADS.size()).isLessThan(requests.size() / 4);
    }

    @Test
    void requestsWithStacksStayWithinTheBudgetEachSecond() throws Exception {
        List<BlockRequest> requests = record("stacks=50/s", 60_000, work.resolve("budget.jfr"));

        Map<Long, Long> perSecond = new TreeMap<>(requests.stream().filter(BlockRequest::hasKernelStacks)
                .collect(Collectors.groupingBy(r -> r.start() / 1_000_000_000L, Collectors.counting())));
        long kinds = requests.stream().map(BlockRequest::sampleKind).distinct().count();
        int cpus = Runtime.getRuntime().availableProcessors();
        // Per CPU and window of 134 ms (7.45 a second): the budget's share (at least 1), plus the first of each kind.
        long bound = (long) Math.ceil(8 * (Math.max(cpus, 50 * 0.134) + kinds * cpus));
        assertThat(requests).as("the workload outruns the budget").hasSizeGreaterThan(60_000);
        assertThat(perSecond.values()).as("requests with stacks per second (%s kinds, %s CPUs, bound %s): %s", kinds, cpus,
                bound, perSecond).allMatch(count -> count <= bound);
    }

    @Test
    void estimatesFromASampleAgreeWithTheExactTree() throws Exception {
        List<BlockRequest> every = record("stacks=all", 20_000, work.resolve("all.jfr"));
        assertThat(every.stream().filter(r -> r.javaThreadName() != null && r.javaThreadName().equals("dio-reader")))
                .as("stacks=all: every request's").allMatch(BlockRequest::hasKernelStacks);

        CallTree exact = new CallTree(false, false);
        CallTree estimated = new CallTree(false, true);
        List<BlockRequest> sample = sampleAsTheKernelDoes(every);
        every.forEach(exact::add);
        sample.forEach(estimated::add);
        long total = exact.root().requests();
        long kernelSampled = sample.stream().filter(BlockRequest::hasKernelStacks).count();
        assertThat(kernelSampled).as("the sample").isLessThan(every.size() / 10);

        List<String> compared = new ArrayList<>();
        compare(exact.root(), estimated, total, kernelSampled, compared);
        assertThat(compared).as("kernel frames with at least 5% of the requests, compared").hasSizeGreaterThan(20);
    }

    /**
     * Every kernel frame with 5% of the requests or more: the estimate of its requests and bytes within the stated
     * tolerance of the exact ones, 15% or four standard errors of the share a sample of that size estimates,
     * whichever is wider (a frame with 6% of the requests estimated from 200 picks has a standard error of 28%).
     */
    private static void compare(CallTree.Node node, CallTree estimated, long total, long picks, List<String> compared) {
        for (CallTree.Node child : node.children()) {
            if (child.requests() * 20 < total) {
                continue;
            }
            if (child.kind() == CallTree.Kind.KERNEL) {
                CallTree.Node estimate = estimated.find(child.path());
                assertThat(estimate).as("frame %s in the sampled tree", child.path()).isNotNull();
                double share = (double) child.requests() / total;
                double tolerance = Math.max(0.15, 4 * Math.sqrt((1 - share) / (picks * share)));
                assertThat((double) estimate.requests()).as("estimated requests through %s (exact %d, tolerance %.0f%%)",
                        child.path(), child.requests(), tolerance * 100)
                        .isBetween(child.requests() * (1 - tolerance), child.requests() * (1 + tolerance));
                assertThat((double) estimate.bytes()).as("estimated bytes through %s (exact %d, tolerance %.0f%%)",
                        child.path(), child.bytes(), tolerance * 100)
                        .isBetween(child.bytes() * (1 - tolerance), child.bytes() * (1 + tolerance));
                compared.add(child.frame());
            }
            compare(child, estimated, total, picks, compared);
        }
    }

    /**
     * The requests as a stacks=200/s recording would have them, by the kernel side's rule on one CPU: per window of
     * 2^27 ns and kind, the first, then 1 in a stride from the kind's count in the window before (aiming at half the
     * budget), while the window's budget (200 a second) lasts, each pick weighted by its stride; the others lose their
     * stacks.
     */
    private static List<BlockRequest> sampleAsTheKernelDoes(List<BlockRequest> every) {
        Map<Integer, long[]> kinds = new HashMap<>();
        long[] budget = {Long.MIN_VALUE, 0};
        List<BlockRequest> sample = new ArrayList<>();
        every.stream().sorted(java.util.Comparator.comparingLong(BlockRequest::start)).forEach(request -> {
            long window = request.start() >> 27;
            if (budget[0] != window) {
                budget[0] = window;
                budget[1] = 27; // 200 a second over 134 ms
            }
            // window, seen, stride
            long[] state = kinds.computeIfAbsent(request.sampleKind(), k -> new long[] {Long.MIN_VALUE, 0, 1});
            if (state[0] != window) {
                state[2] = state[0] == window - 1 ? state[1] / 13 + 1 : 1; // aiming at half the budget
                state[0] = window;
                state[1] = 0;
            }
            state[1]++;
            boolean keep = state[1] == 1 || (budget[1] > 0 && state[1] % state[2] == 0);
            if (keep && state[1] > 1) {
                budget[1]--;
            }
            sample.add(keep ? weighted(request, (int) state[2]) : withoutStacks(request));
        });
        return sample;
    }

    private static BlockRequest withoutStacks(BlockRequest r) {
        return copy(r, false, 1);
    }

    private static BlockRequest weighted(BlockRequest r, int weight) {
        return copy(r, true, weight);
    }

    private static BlockRequest copy(BlockRequest r, boolean stacks, int weight) {
        BlockRequest.Builder b = BlockRequest.builder().time(r.start(), r.duration())
                .where(r.device(), r.deviceNumber(), r.operation(), r.flags(), r.sector(), r.bytes())
                .stages(r.allocationTime(), r.insertTime(), r.queueTime(), r.serviceTime()).status(r.status())
                .issuer(r.pid(), r.osThreadId(), r.comm(), r.javaThreadName(), r.javaThreadId())
                .syscall(r.syscall(), r.syscallStart()).lifecycle(r.requestAddress(), r.generation())
                .sampleKind(r.sampleKind()).stackWeight(weight);
        for (Stage stage : Stage.values()) {
            b.kernelStack(stage, stacks ? r.kernelStack(stage) : List.of(), r.inIssuer(stage));
        }
        for (FunctionHit hit : r.functionPath()) {
            b.functionHit(hit);
        }
        BlockRequest copy = b.build();
        copy.link(r.javaLink());
        return copy;
    }
}
