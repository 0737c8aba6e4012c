package io.blkflight.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import io.blkflight.it.Commands;
import io.blkflight.it.DirectIoPlan;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.Recorded;
import io.blkflight.model.EventNames;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent on the kernels users run: each Debian kernel of scripts/kernels/kernels.conf boots under
 * qemu (software emulation) with a jlinked JDK 17 and the agent in its initramfs, and a JVM in the guest
 * runs the direct-I/O integration test's workload under the agent, on ext4 over the virtio disk and over
 * a loop device, then an fdatasync that the block layer's flush machinery serves. The recordings come
 * back to the host and are checked here as {@code DirectIoIT} checks its own: every request exactly once
 * at the sector filefrag gave in the guest, with its size, operation, Java thread, system call and times
 * inside the window the thread measured around its call, naming the file it read or wrote (the journal's
 * commits naming the journal); nothing lost; the recording naming the kernel and the tracepoints the collector
 * chose from what that kernel offers.
 *
 * <p>This machine's own kernel is not booted: {@code DirectIoIT} runs the same workload on it natively.
 * A kernel that cannot be fetched fails the test; it is skipped only where qemu cannot run at all.
 */
class KernelMatrixIT {
    private static final List<Guest.Run> RUNS = List.of(
            // The default scope: only the JVM's own requests; data on the virtio disk (mq-deadline). With
            // /proc/kallsyms hiding addresses, as in a container without CAP_SYSLOG: O_DIRECT still names its files
            // (the kernel side learns iomap's completion), stacks are addresses.
            new Guest.Run("self-vda-hidden", "vda", "loop0", ""),
            // Every process, and a kernel stack per stage: ext4's journal commits (jbd2, PREFLUSH|FUA)
            // take the flush machinery too; data on the loop device (no scheduler).
            new Guest.Run("all-loop", "loop0", "vda", "scope=all,stacks=on,syscallStart=on"));

    /**
     * Function-level mode, which this project's own machine refuses: every blk_* function and the bio
     * submission path, on the virtio disk. fentry on the kernel with block_io_start, kprobes on the other,
     * so the matrix proves both ways of attaching.
     */
    static Guest.Run functionRun(Guest.Kernel kernel) {
        return new Guest.Run("functions-vda", "vda", "loop0", "functions=blk_*+submit_bio*+attempt_merge,"
                + "functionsExclude=blk_mq_free_request,functionBios=on,functionMode=" + functionMode(kernel));
    }

    static String functionMode(Guest.Kernel kernel) {
        return kernel.hasIoStart() ? "fentry" : "kprobe";
    }

    private static final List<String> LOSSES = List.of("lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull",
            "endUnseen", "lostExpired", "lostNotRecorded", "filePathsLost", "filesUnnamed");

    @BeforeAll
    static void qemuCanRun() throws Exception {
        String why;
        try {
            Commands.Result version = Commands.runAllowingFailure(30, "qemu-system-x86_64", "--version");
            why = version.exitCode() == 0 ? null : "qemu-system-x86_64 --version exited with " + version.exitCode()
                    + ": " + version.stderr().trim();
        } catch (IOException e) {
            why = "qemu-system-x86_64 cannot be started (" + e.getMessage() + "); scripts/setup.sh installs qemu-system-x86";
        }
        if (why != null) {
            String message = "SKIPPED: the kernel matrix needs qemu: " + why;
            System.err.println("*** " + message + " ***");
            abort(message);
        }
        System.out.println("kernel matrix: booting " + Guest.kernels() + " under qemu; this machine's own kernel ("
                + Guest.hostRelease() + ") is tested natively by DirectIoIT, with the same workload");
    }

    static List<Guest.Kernel> kernels() throws Exception {
        return Guest.kernels();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void recordsEveryRequestOnTheDebianKernel(Guest.Kernel kernel) throws Exception {
        long started = System.nanoTime();
        List<Guest.Run> runs = new java.util.ArrayList<>(RUNS);
        runs.add(functionRun(kernel));
        Guest guest = Guest.boot(kernel, runs, Path.of("target", "kernels", kernel.name()));
        System.out.printf("kernel matrix: %s booted and ran %d JVMs in %.0f s (%s)%n", kernel, runs.size(),
                (System.nanoTime() - started) / 1e9, guest.seconds);

        Set<String> offered = guest.blockTracepoints();
        assertThat(offered.contains("block_io_start") && offered.contains("block_io_done"))
                .as("%s offers block_io_start and block_io_done, as kernels.conf says it must (%s); it offers %s",
                        kernel, kernel.hasIoStart() ? "io_start" : "getrq", offered)
                .isEqualTo(kernel.hasIoStart());
        for (Guest.Run run : runs) {
            new Check(guest, run, offered).all();
        }
    }

    /** The checks of one run's recording. */
    private static final class Check {
        private final Guest guest;
        private final Guest.Run run;
        private final Set<String> offered;
        private Recorded recorded;
        private List<RecordedEvent> stacks;
        private long childPid;
        private int withJavaThread;
        private int withoutJavaThread;

        Check(Guest guest, Guest.Run run, Set<String> offered) {
            this.guest = guest;
            this.run = run;
            this.offered = offered;
        }

        void all() throws Exception {
            String exit = guest.read(run.name() + ".exit");
            String stdout = guest.read(run.name() + ".out");
            String stderr = guest.read(run.name() + ".err");
            assertThat(exit).as("exit code of the workload in run %s; stderr: %s", run.name(), stderr).isEqualTo("0");
            assertThat(stdout).as("run %s's output", run.name()).contains("workload done").contains("datasync done")
                    .contains("read " + KernelMatrixWorkload.SCAN_BLOCKS + " blocks");
            if (run.hidesKernelAddresses()) {
                assertThat(stderr).as("run %s: hidden kernel addresses, said", run.name())
                        .contains("/proc/kallsyms shows no addresses (kptr_restrict): kernel stacks are recorded as addresses");
                stderr = stderr.lines().filter(line -> !line.contains("kernel stacks are recorded as addresses"))
                        .collect(java.util.stream.Collectors.joining("\n"));
            }
            assertThat(stderr).as("run %s: the agent starts without a warning", run.name()).doesNotContain("warning");
            childPid = Long.parseLong(stdout.replaceAll("(?s).*workload done, pid (\\d+).*", "$1"));
            recorded = Recorded.read(guest.recording(run));
            List<RecordedEvent> all = RecordingFile.readAllEvents(guest.recording(run));
            stacks = ofType(all, EventNames.KERNEL_STACK);

            configuration();
            steps();
            dataSync();
            scan();
            if (run.scopeAll()) {
                journalCommitsKeepTheirFlushFlags();
                assertThat(recorded.requests).as("%s: requests whose issuer was not seen carry no issuer", run.name())
                        .filteredOn(e -> e.getString("origin").equals("unknown"))
                        .allMatch(e -> e.getInt("pid") == 0 && e.getString("comm").isEmpty() && e.getThread("javaThread") == null
                                && e.getString("syscall").equals("none") && e.getLong("allocationTime") == Long.MIN_VALUE);
            } else {
                assertThat(recorded.requests).as("%s: scope=self records only the JVM's requests; recorded:%s", run.name(),
                        recorded.describeRequests()).allMatch(e -> e.getInt("pid") == childPid
                        || e.getString("origin").equals("writeback"));
            }
            assertThat(withJavaThread).as("%s: requests of the workload recorded with their Java thread (%d without)", run.name(),
                    withoutJavaThread).isPositive();
            assertThat(recorded.lastStatistics().getLong("unresolvedThreads"))
                    .as("%s: requests recorded without their Java thread are counted", run.name()).isGreaterThanOrEqualTo(withoutJavaThread);
            if (run.agentOptions().contains("functions=")) {
                functionPaths();
            }
            nothingLost();
            Map<Long, List<Integer>> generations = recorded.requests.stream().collect(Collectors.groupingBy(
                    e -> e.getLong("requestAddress"), Collectors.mapping(e -> e.getInt("generation"), Collectors.toList())));
            generations.forEach((address, seen) -> assertThat(seen)
                    .as("%s: generations of request address %x", run.name(), address).doesNotHaveDuplicates().allMatch(g -> g > 0));
        }

        private static List<RecordedEvent> ofType(List<RecordedEvent> all, String type) {
            return all.stream().filter(e -> e.getEventType().getName().equals(type)).collect(Collectors.toList());
        }

        /** The recording says which kernel ran and which tracepoints the collector chose from what it offers. */
        private void configuration() throws IOException {
            assertThat(recorded.configurations).as("%s: configuration events", run.name()).isNotEmpty();
            boolean ioStart = offered.contains("block_io_start");
            for (RecordedEvent configuration : recorded.configurations) {
                assertThat(configuration.getString("state")).as("%s: collector state (reason: %s)", run.name(),
                        configuration.getString("reason")).isEqualTo("running");
                assertThat(configuration.getString("kernelRelease")).as("%s: kernel release in the recording", run.name())
                        .isEqualTo(guest.kernelRelease());
                Set<String> probes = new LinkedHashSet<>(Arrays.asList(configuration.getString("probes").split(",")));
                assertThat(probes).as("%s: probes in use on a kernel that offers %s", run.name(), offered)
                        .contains("block_bio_queue", "block_rq_issue", "block_rq_complete");
                assertThat(probes.containsAll(List.of("sys_enter", "sys_exit"))).as("%s: sys_enter and sys_exit in use"
                        + " only with syscallStart=on or function-level mode: %s", run.name(), probes).isEqualTo(run.followsSystemCalls());
                assertThat(probes.contains("block_io_start")).as("%s: block_io_start in use (offered: %s)", run.name(), ioStart)
                        .isEqualTo(ioStart);
                assertThat(probes.contains("block_getrq")).as("%s: block_getrq in use where block_io_start is not offered", run.name())
                        .isEqualTo(!ioStart);
                assertThat(probes).as("%s: the final block_rq_complete ends a lifecycle; block_io_done is not needed", run.name())
                        .doesNotContain("block_io_done");
                assertThat(probes.stream().filter(p -> p.startsWith("block_")))
                        .as("%s: every block tracepoint in use is one the kernel offers", run.name()).allMatch(offered::contains);
            }
        }

        /** Every call of DirectIoPlan: one request each, as DirectIoIT checks it, and its stage stacks. */
        private void steps() throws IOException {
            long missingStacks = 0;
            for (DirectIoPlan.Step step : DirectIoPlan.STEPS) {
                String device = step.file().equals(DirectIoPlan.OTHER) ? run.otherDevice() : run.dataDevice();
                String operation = step.operation().equals("read") ? "read" : "write";
                String syscall = step.operation().equals("read") ? "pread64" : step.operation().equals("write") ? "pwrite64" : "fsync";
                String what = step.toString();
                Recorded.Request request = onlyRequest(device, guest.sectorOf(run, device, step.file(), step.block()), operation, what);
                issuedInCall(request, what, call(step.operation(), step.file(), step.block()), step.thread(), syscall, device);
                assertThat(request.file()).as("%s: the file of %s", run.name(), what).isEqualTo("/mnt/" + device + "/" + step.file());
                assertThat(request.getLong("bytes")).as("%s: bytes of %s", run.name(), what).isEqualTo(LoopDevice.BLOCK_SIZE);
                assertThat(request.getLong("queueTime")).as("%s: queue time of %s", run.name(), what).isNotEqualTo(Long.MIN_VALUE);
                assertThat(request.getLong("serviceTime")).as("%s: service time of %s", run.name(), what).isPositive();
                // The duration went through JFR's ticks and back; the guest's clock pairs are read further apart
                // under emulation than on the host, so the conversion may be off by a little more than DirectIoIT's 2 us.
                assertThat(Duration.ofNanos(request.getLong("queueTime") + request.getLong("serviceTime")).minus(request.getDuration()).abs())
                        .as("%s: queue + service time of %s make its duration %s", run.name(), what, request.getDuration())
                        .isLessThan(Duration.ofNanos(2_000).plus(request.getDuration().dividedBy(1_000)));
                if (run.stacks()) {
                    missingStacks += stack(request, "submitStack", "submit_bio", what);
                    missingStacks += stack(request, "issueStack", "blk_mq_start_request", what);
                }
            }
            RecordedEvent last = recorded.lastStatistics();
            assertThat(missingStacks).as("%s: stage stacks missing, at most those the statistics count as not kept", run.name())
                    .isLessThanOrEqualTo(last.getLong("stackCollisions") + last.getLong("stacksLost"));
        }

        /**
         * fdatasync of an overwritten block: its write-back, and the empty PREFLUSH write that ext4 sends from
         * the same thread, which the flush machinery serves without an insert or issue of its own.
         */
        private void dataSync() throws IOException {
            String device = run.dataDevice();
            assertThat(guest.read(device + ".write_cache")).as("%s has a volatile write cache, so fdatasync flushes it", device)
                    .isEqualTo("write back");
            String what = "fdatasync of block " + KernelMatrixWorkload.DATASYNC_BLOCK;
            String thread = KernelMatrixWorkload.DATASYNC_THREAD;
            RecordedEvent call = call(KernelMatrixWorkload.DATASYNC_OPERATION, DirectIoPlan.DATA, KernelMatrixWorkload.DATASYNC_BLOCK);
            long sector = guest.sectorOf(run, device, DirectIoPlan.DATA, KernelMatrixWorkload.DATASYNC_BLOCK);
            Recorded.Request write = onlyRequest(device, sector, "write", what);
            issuedInCall(write, what, call, thread, "fdatasync", device);
            assertThat(write.file()).as("%s: the file of the write-back of %s", run.name(), what).isEqualTo("/mnt/" + device + "/" + DirectIoPlan.DATA);
            assertThat(write.getLong("bytes")).as("%s: bytes of the write-back of %s", run.name(), what).isEqualTo(LoopDevice.BLOCK_SIZE);

            List<Recorded.Request> flushes = recorded.requests.stream()
                    .filter(e -> e.getString("device").equals(device) && e.getLong("bytes") == 0 && e.getString("comm").equals(thread))
                    .collect(Collectors.toList());
            assertThat(flushes).as("%s: the empty PREFLUSH write of %s; recorded:%s", run.name(), what, recorded.describeRequests())
                    .hasSize(1);
            Recorded.Request flush = flushes.get(0);
            issuedInCall(flush, "the cache flush of " + what, call, thread, "fdatasync", device);
            assertThat(flush.getString("operation")).as("%s: operation of the cache flush of %s", run.name(), what).isEqualTo("write");
            assertThat(flush.getString("flags").split(",")).as("%s: flags of the cache flush of %s", run.name(), what)
                    .contains("preflush");
            assertThat(flush.file()).as("%s: the cache flush of %s carries no data", run.name(), what).isEqualTo("(no data)");
            for (String stage : List.of("insertTime", "queueTime", "serviceTime")) {
                assertThat(flush.getLong(stage)).as("%s: %s of the cache flush, which the flush machinery serves without an "
                        + "insert or issue of its own: N/A", run.name(), stage).isEqualTo(Long.MIN_VALUE);
            }
        }

        /**
         * More reads than the disk has request structures: one request per block at its own sector, and
         * each address the kernel handed out again a new lifecycle with a higher generation.
         */
        private void scan() throws IOException {
            String device = run.dataDevice();
            List<Recorded.Request> scans = recorded.requests.stream()
                    .filter(e -> e.getString("device").equals(device) && e.getString("comm").equals("scanner"))
                    .collect(Collectors.toList());
            Set<Long> expected = new HashSet<>(guest.sectors(run, device, KernelMatrixWorkload.SCAN_FILE).values());
            assertThat(scans).as("%s: one request per block read by the scanner", run.name()).hasSize(KernelMatrixWorkload.SCAN_BLOCKS);
            assertThat(scans.stream().map(e -> e.getLong("sector")).collect(Collectors.toSet()))
                    .as("%s: each block's own sector, once", run.name()).hasSize(KernelMatrixWorkload.SCAN_BLOCKS).isEqualTo(expected);
            assertThat(scans).as("%s: the scanner's reads", run.name())
                    .allMatch(e -> e.getString("operation").equals("read") && e.getLong("bytes") == LoopDevice.BLOCK_SIZE
                            && e.getString("syscall").equals("pread64") && e.getString("origin").equals("bio")
                            && e.getInt("pid") == childPid && e.getString("status").equals("ok"), "read, 4 KiB, pread64, bio, ok")
                    .allMatch(e -> e.getThread("javaThread") == null || e.getThread("javaThread").getJavaName().equals("scanner"),
                            "issued by the Java thread scanner where JFR wrote one")
                    .allMatch(e -> e.file().equals("/mnt/" + device + "/" + KernelMatrixWorkload.SCAN_FILE), "naming the file they read");
            assertThat(scans.stream().map(e -> e.getLong("osThreadId")).distinct()).as("%s: the scanner's OS thread", run.name())
                    .hasSize(1);
            Map<Long, List<Integer>> generations = scans.stream().collect(Collectors.groupingBy(
                    e -> e.getLong("requestAddress"), Collectors.mapping(e -> e.getInt("generation"), Collectors.toList())));
            assertThat(generations.size()).as("%s: distinct request addresses for %d reads", run.name(), KernelMatrixWorkload.SCAN_BLOCKS)
                    .isLessThan(KernelMatrixWorkload.SCAN_BLOCKS);
            assertThat(generations.values()).as("%s: an address handed out again is a new lifecycle with a higher generation", run.name())
                    .anyMatch(g -> g.size() > 1)
                    .allMatch(g -> g.stream().distinct().count() == g.size());
        }

        /**
         * Function-level mode: the recording says how the functions were attached and which were left out;
         * each data request of the workload carries its path in time order, from the bio's submission in the
         * issuing thread (before the request existed: negative offsets) through dispatch to completion, and
         * never the function the options excluded.
         */
        private void functionPaths() throws IOException {
            String mode = run.agentOptions().contains("functionMode=kprobe") ? "kprobes" : "fentry";
            for (RecordedEvent configuration : recorded.configurations) {
                assertThat(configuration.getString("functionTracing")).as("%s: function tracing (problem: %s)", run.name(),
                        configuration.getString("functionTracingProblem")).isEqualTo(mode);
                assertThat(configuration.getString("mode")).isEqualTo("tracepoints+" + mode);
                assertThat(configuration.getString("functionsAttached")).as("%s: functions attached", run.name())
                        .contains("blk_mq_start_request(arg 0)", "submit_bio(arg 0, bio)", "blk_update_request(arg 0)")
                        .doesNotContain("blk_mq_free_request");
                assertThat(configuration.getString("functionsSkipped")).as("%s: functions skipped", run.name())
                        .contains("blk_mq_free_request: excluded by blk_mq_free_request");
            }
            String device = run.dataDevice();
            List<Recorded.Request> data = recorded.requests.stream()
                    .filter(e -> e.getString("device").equals(device) && e.getLong("bytes") > 0 && e.getInt("pid") == childPid
                            && e.getString("origin").equals("bio") && !e.getString("syscall").equals("none"))
                    .collect(Collectors.toList());
            assertThat(data).as("%s: data requests of the workload on %s", run.name(), device)
                    .hasSizeGreaterThan(KernelMatrixWorkload.SCAN_BLOCKS);
            long lost = 0;
            for (Recorded.Request request : data) {
                List<io.blkflight.model.FunctionPath.Entry> path = io.blkflight.model.FunctionPath.parse(
                        request.getString(EventNames.Request.FUNCTION_PATH));
                List<String> functions = path.stream().map(io.blkflight.model.FunctionPath.Entry::function).toList();
                String what = Recorded.describe(request) + " path " + functions;
                assertThat(functions).as("%s: %s", run.name(), what)
                        .contains("submit_bio", "blk_mq_submit_bio", "blk_mq_start_request", "blk_update_request")
                        .doesNotContain("blk_mq_free_request");
                assertThat(path).as("%s: hits in time order: %s", run.name(), what)
                        .isSortedAccordingTo(java.util.Comparator.comparingLong(io.blkflight.model.FunctionPath.Entry::offsetNanos));
                io.blkflight.model.FunctionPath.Entry submit = path.get(functions.indexOf("submit_bio"));
                assertThat(submit.inIssuer()).as("%s: submit_bio ran in the issuing thread: %s", run.name(), what).isTrue();
                assertThat(submit.offsetNanos()).as("%s: submit_bio came before the bio was queued: %s", run.name(), what)
                        .isLessThanOrEqualTo(0);
                assertThat(functions.indexOf("blk_mq_start_request")).as("%s: dispatch after submission: %s", run.name(), what)
                        .isGreaterThan(functions.indexOf("blk_mq_submit_bio"));
                // No upper bound from the event's duration: it ends at block_rq_complete, which runs inside
                // blk_update_request, after that function's entry.
                assertThat(path.stream().filter(h -> h.offsetNanos() > 0 && !h.function().startsWith("blk_")))
                        .as("%s: after the bio was queued only the block layer's functions: %s", run.name(), what).isEmpty();
                lost += request.getInt(EventNames.Request.FUNCTION_HITS_LOST);
            }
            assertThat(data).as("%s: data requests of the workload name their files", run.name())
                    .allMatch(e -> e.file().startsWith("/mnt/" + device + "/"));
            RecordedEvent last = recorded.lastStatistics();
            assertThat(last.getLong("functionPathsLost")).as("%s: function paths lost", run.name()).isZero();
            assertThat(last.getLong("functionHitsLost")).as("%s: function hits lost, counted", run.name())
                    .isGreaterThanOrEqualTo(lost);
            System.out.printf("kernel matrix: %s: %d data requests with their function path through %s, e.g. %s%n", run.name(),
                    data.size(), mode, data.get(0).getString(EventNames.Request.FUNCTION_PATH).replace('\n', '|'));
        }

        /** ext4's journal commit block asks for PREFLUSH and FUA; the kernel strips both during the flush sequence. */
        private void journalCommitsKeepTheirFlushFlags() {
            List<Recorded.Request> commits = recorded.requests.stream()
                    .filter(e -> e.getString("device").equals(run.dataDevice()) && e.getString("comm").startsWith("jbd2/")
                            && Arrays.asList(e.getString("flags").split(",")).contains("preflush"))
                    .collect(Collectors.toList());
            assertThat(commits).as("%s: journal commits of the fsync on %s, with their preflush flag; recorded:%s", run.name(),
                    run.dataDevice(), recorded.describeRequests()).isNotEmpty();
            assertThat(commits).as("%s: journal commit blocks are whole, FUA, and ended once", run.name())
                    .allMatch(e -> e.getLong("bytes") > 0 && Arrays.asList(e.getString("flags").split(",")).contains("fua")
                            && e.getString("status").equals("ok") && e.getLong("serviceTime") > 0);
            assertThat(commits).as("%s: journal commits are named the journal", run.name())
                    .allMatch(e -> e.file().equals("(ext4 journal)"));
        }

        private RecordedEvent call(String operation, String file, long block) {
            return recorded.calls.stream()
                    .filter(c -> c.getString("operation").equals(operation) && c.getString("file").equals(file) && c.getLong("block") == block)
                    .findFirst().orElseThrow(() -> new AssertionError("the workload recorded no call " + operation + " " + file + " " + block));
        }

        private Recorded.Request onlyRequest(String device, long sector, String operation, String what) {
            List<Recorded.Request> matches = recorded.requests.stream()
                    .filter(e -> e.getString("device").equals(device) && e.getLong("sector") == sector
                            && e.getString("operation").equals(operation) && e.getLong("bytes") > 0)
                    .collect(Collectors.toList());
            assertThat(matches).as("%s: requests for %s at sector %d of %s; recorded:%s", run.name(), what, sector, device,
                    recorded.describeRequests()).hasSize(1);
            return matches.get(0);
        }

        /** Who issued the request, in which system call, on which device, and when: inside the call's window. */
        private void issuedInCall(Recorded.Request request, String what, RecordedEvent call, String thread, String syscall,
                                  String device) throws IOException {
            javaThread(request, what, thread, call);
            assertThat(request.getString("comm")).as("%s: kernel command name of %s", run.name(), what).isEqualTo(thread);
            assertThat(request.getString("syscall")).as("%s: system call of %s", run.name(), what).isEqualTo(syscall);
            assertThat(request.getString("origin")).as("%s: origin of %s", run.name(), what).isEqualTo("bio");
            assertThat(request.getString("status")).as("%s: status of %s", run.name(), what).isEqualTo("ok");
            assertThat(request.getInt("pid")).as("%s: process of %s", run.name(), what).isEqualTo((int) childPid);
            assertThat(request.getString("deviceNumber")).as("%s: device number of %s", run.name(), what)
                    .isEqualTo(guest.deviceNumber(device));
            Instant start = call.getStartTime();
            Instant end = call.getEndTime();
            assertThat(request.getStartTime()).as("%s: %s starts inside the call [%s, %s]", run.name(), what, start, end)
                    .isAfterOrEqualTo(start);
            assertThat(request.getEndTime()).as("%s: %s ends inside the call [%s, %s]", run.name(), what, start, end)
                    .isBeforeOrEqualTo(end);
            if (run.followsSystemCalls()) {
                assertThat(request.getInstant("syscallStart")).as("%s: %s's system call starts inside the call", run.name(), what)
                        .isBetween(start, request.getStartTime());
            } else {
                assertThat(request.getLong("syscallStart")).as("%s: %s has no system call start (named from registers)",
                        run.name(), what).isEqualTo(Long.MIN_VALUE);
            }
            long allocation = request.getLong("allocationTime");
            long insert = request.getLong("insertTime");
            long queue = request.getLong("queueTime");
            assertThat(allocation).as("%s: allocation time of %s", run.name(), what)
                    .isBetween(0L, queue == Long.MIN_VALUE ? request.getDuration().toNanos() : queue);
            if (insert != Long.MIN_VALUE) {
                assertThat(insert).as("%s: insert time of %s", run.name(), what).isBetween(allocation, queue);
            }
        }

        /**
         * The request's Java thread, or where JFR wrote none, at least the right OS thread. On JDK 17 JFR
         * writes a thread that has ended as "no thread", so the agent commits a thread's requests from the
         * thread's own JVMTI ThreadEnd, draining twice 200 us apart (the record is written at the
         * final block_rq_complete, just before the bios wake the waiting thread, but the drain may run first). Under
         * emulation a vCPU can stall longer than that; such a request must still name the OS thread that
         * made the call; the agent names it in endedThread (or, when it ended between the agent's check and the commit,
         * counts it in unresolvedThreads, and each case is printed).
         */
        private void javaThread(Recorded.Request request, String what, String thread, RecordedEvent call) {
            RecordedThread recordedThread = request.getThread("javaThread");
            if (recordedThread == null && thread.equals(request.getString("endedThread"))) {
                // JDK 17 wrote the ended thread as "no thread"; the agent named it in endedThread.
                assertThat(request.getLong("endedThreadId")).as("%s: %s names its ended thread's id", run.name(), what)
                        .isEqualTo(call.getThread("eventThread").getJavaThreadId());
                withJavaThread++;
                return;
            }
            if (recordedThread == null) {
                RecordedThread caller = call.getThread("eventThread");
                assertThat(request.getLong("osThreadId")).as("%s: %s has no Java thread; its OS thread must be the one of %s, "
                        + "which made the call: %s", run.name(), what, caller.getJavaName(), Recorded.describe(request))
                        .isEqualTo(caller.getOSThreadId());
                withoutJavaThread++;
                System.out.printf("kernel matrix: NOTE %s: %s has no Java thread, only its OS thread %d (%s): JFR on JDK 17 "
                        + "wrote \"no thread\", the request was committed after its thread ended%n", run.name(), what,
                        request.getLong("osThreadId"), thread);
                return;
            }
            assertThat(recordedThread.getJavaName()).as("%s: Java thread of %s", run.name(), what).isEqualTo(thread);
            assertThat(recordedThread.getOSThreadId()).as("%s: OS thread of %s", run.name(), what)
                    .isEqualTo(request.getLong("osThreadId"));
            withJavaThread++;
        }

        /**
         * The stage's stack, symbolized from the guest's kallsyms: returns 1 where it is missing, which only a
         * stack the kernel side could not keep may be (a stack-map bucket taken by another stack, counted).
         */
        private int stack(Recorded.Request request, String field, String function, String what) {
            long id = request.getLong(field);
            if (id == 0) {
                System.out.printf("kernel matrix: %s: no %s for %s%n", run.name(), field, what);
                return 1;
            }
            RecordedEvent stack = stacks.stream().filter(s -> s.getLong("stackId") == id).findFirst()
                    .orElseThrow(() -> new AssertionError(run.name() + ": no KernelStack " + id + " for the " + field + " of " + what));
            assertThat(stack.getString("frames")).as("%s: %s of %s, symbolized from the guest's kallsyms", run.name(), field, what)
                    .contains(function);
            return 0;
        }

        /**
         * No loss counted in any statistics event (they are cumulative), and the last one accounts for every
         * request in the recording. With scope=self the kernel side started and ended exactly those; with
         * scope=all it also emits requests of other processes from before the agent's recording began, which no
         * recording wanted, and others may still be in flight at the end.
         */
        private void nothingLost() {
            for (RecordedEvent stats : recorded.statistics) {
                for (String loss : LOSSES) {
                    assertThat(stats.getLong(loss)).as("%s: %s in the statistics at %s", run.name(), loss, stats.getStartTime()).isZero();
                }
            }
            RecordedEvent last = recorded.lastStatistics();
            assertThat(last.getLong("requestsRecorded")).as("%s: requests recorded by the last statistics", run.name())
                    .isEqualTo(recorded.requests.size());
            if (!run.scopeAll()) {
                assertThat(last.getLong("requestsEmitted")).as("%s: requests the kernel side emitted, by the last statistics", run.name())
                        .isEqualTo(recorded.requests.size());
                assertThat(last.getLong("requestsStarted")).as("%s: lifecycles started, all ended, by the last statistics", run.name())
                        .isEqualTo(last.getLong("requestsEmitted") + last.getLong("mergedAway") + last.getLong("belowMinimumLatency"));
            }
        }
    }
}
