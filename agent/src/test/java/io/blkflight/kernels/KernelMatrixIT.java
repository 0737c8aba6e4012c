package io.blkflight.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import io.blkflight.it.Commands;
import io.blkflight.it.DirectIoPlan;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.Recorded;
import io.blkflight.model.EventNames;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
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
 * inside the window the thread measured around its call; nothing lost; the recording naming the kernel
 * and the tracepoints the collector chose from what that kernel offers.
 *
 * <p>This machine's own kernel is not booted: {@code DirectIoIT} runs the same workload on it natively.
 * A kernel that cannot be fetched fails the test; it is skipped only where qemu cannot run at all.
 */
class KernelMatrixIT {
    private static final List<Guest.Run> RUNS = List.of(
            // The default scope: only the JVM's own requests; data on the virtio disk (mq-deadline).
            new Guest.Run("self-vda", "vda", "loop0", ""),
            // Every process, and a kernel stack per stage: ext4's journal commits (jbd2, PREFLUSH|FUA)
            // take the flush machinery too; data on the loop device (no scheduler).
            new Guest.Run("all-loop", "loop0", "vda", "scope=all,stacks=on"));

    private static final List<String> LOSSES = List.of("lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull",
            "lostUnfinished", "lostExpired", "lostNotRecorded");

    @BeforeAll
    static void qemuCanRun() throws Exception {
        String why;
        try {
            Commands.Result version = Commands.runAllowingFailure(30, "qemu-system-x86_64", "--version");
            why = version.exitCode() == 0 ? null : "qemu-system-x86_64 --version exited with " + version.exitCode()
                    + ": " + version.stderr().trim();
        } catch (java.io.IOException e) {
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
        Guest guest = Guest.boot(kernel, RUNS, Path.of("target", "kernels", kernel.name()));
        System.out.printf("kernel matrix: %s booted and ran %d JVMs in %.0f s (%s)%n", kernel, RUNS.size(),
                (System.nanoTime() - started) / 1e9, guest.seconds);

        Set<String> offered = guest.blockTracepoints();
        assertThat(offered.contains("block_io_start") && offered.contains("block_io_done"))
                .as("%s offers block_io_start and block_io_done, as kernels.conf says it must (%s); it offers %s",
                        kernel, kernel.hasIoStart() ? "io_start" : "getrq", offered)
                .isEqualTo(kernel.hasIoStart());
        for (Guest.Run run : RUNS) {
            checkRun(guest, run, offered);
        }
    }

    private void checkRun(Guest guest, Guest.Run run, Set<String> offered) throws Exception {
        String exit = guest.read(run.name() + ".exit");
        String stdout = guest.read(run.name() + ".out");
        String stderr = guest.read(run.name() + ".err");
        assertThat(exit).as("exit code of the workload in run %s; stderr: %s", run.name(), stderr).isEqualTo("0");
        assertThat(stdout).as("run %s's output", run.name()).contains("workload done").contains("datasync done");
        assertThat(stderr).as("run %s: the agent starts without a warning", run.name()).doesNotContain("warning");
        long childPid = Long.parseLong(stdout.replaceAll("(?s).*workload done, pid (\\d+).*", "$1"));
        Recorded recorded = Recorded.read(guest.recording(run));
        List<RecordedEvent> stacks = RecordingFile.readAllEvents(guest.recording(run)).stream()
                .filter(e -> e.getEventType().getName().equals(EventNames.KERNEL_STACK)).collect(Collectors.toList());

        assertConfiguration(guest, run, recorded, offered);
        for (DirectIoPlan.Step step : DirectIoPlan.STEPS) {
            String device = step.file().equals(DirectIoPlan.OTHER) ? run.otherDevice() : run.dataDevice();
            String operation = step.operation().equals("read") ? "read" : "write";
            String syscall = step.operation().equals("read") ? "pread64" : step.operation().equals("write") ? "pwrite64" : "fsync";
            long sector = guest.sectorOf(run, device, step.file(), step.block());
            RecordedEvent request = onlyRequest(recorded, run, device, sector, operation, step.toString());
            assertIssuedInCall(guest, run, recorded, request, step.toString(), call(recorded, step.operation(), step.file(),
                    step.block()), step.thread(), syscall, childPid, device);
            assertThat(request.getLong("bytes")).as("%s: bytes of %s", run.name(), step).isEqualTo(LoopDevice.BLOCK_SIZE);
            assertThat(request.getLong("queueTime")).as("%s: queue time of %s", run.name(), step).isNotEqualTo(Long.MIN_VALUE);
            assertThat(request.getLong("serviceTime")).as("%s: service time of %s", run.name(), step).isPositive();
            assertThat(Duration.ofNanos(request.getLong("queueTime") + request.getLong("serviceTime")).minus(request.getDuration()).abs())
                    .as("%s: queue + service time of %s make its duration", run.name(), step).isLessThan(Duration.ofNanos(2_000));
            if (run.stacks()) {
                assertStack(stacks, request, "submitStack", "submit_bio", run, step.toString());
                assertStack(stacks, request, "issueStack", "blk_mq_start_request", run, step.toString());
            }
        }
        assertDataSync(guest, run, recorded, childPid);
        if (run.scopeAll()) {
            assertJournalCommitsKeepTheirFlushFlags(recorded, run);
            assertThat(recorded.requests).as("%s: requests whose issuer was not seen carry no issuer", run.name())
                    .filteredOn(e -> e.getString("origin").equals("unknown"))
                    .allMatch(e -> e.getInt("pid") == 0 && e.getString("comm").isEmpty() && e.getThread("javaThread") == null
                            && e.getString("syscall").equals("none") && e.getLong("allocationTime") == Long.MIN_VALUE);
        } else {
            assertThat(recorded.requests).as("%s: scope=self records only the JVM's requests; recorded:%s", run.name(),
                    recorded.describeRequests()).allMatch(e -> e.getInt("pid") == childPid);
        }
        assertNothingLost(recorded, run);
        Map<Long, List<Integer>> generations = recorded.requests.stream().collect(Collectors.groupingBy(
                e -> e.getLong("requestAddress"), Collectors.mapping(e -> e.getInt("generation"), Collectors.toList())));
        generations.forEach((address, seen) -> assertThat(seen).as("%s: generations of request address %x", run.name(), address)
                .doesNotHaveDuplicates().allMatch(g -> g > 0));
    }

    /** The recording says which kernel ran and which tracepoints the collector chose from what it offers. */
    private static void assertConfiguration(Guest guest, Guest.Run run, Recorded recorded, Set<String> offered) throws Exception {
        assertThat(recorded.configurations).as("%s: configuration events", run.name()).isNotEmpty();
        boolean ioStart = offered.contains("block_io_start");
        boolean ioDone = offered.contains("block_io_done");
        for (RecordedEvent configuration : recorded.configurations) {
            assertThat(configuration.getString("state")).as("%s: collector state (reason: %s)", run.name(),
                    configuration.getString("reason")).isEqualTo("running");
            assertThat(configuration.getString("kernelRelease")).as("%s: kernel release in the recording", run.name())
                    .isEqualTo(guest.kernelRelease());
            Set<String> probes = new LinkedHashSet<>(Arrays.asList(configuration.getString("probes").split(",")));
            assertThat(probes).as("%s: probes in use on a kernel that offers %s", run.name(), offered)
                    .contains("block_bio_queue", "block_rq_issue", "block_rq_complete", "sys_enter", "sys_exit");
            assertThat(probes.contains("block_io_start")).as("%s: block_io_start in use, offered: %s", run.name(), ioStart)
                    .isEqualTo(ioStart);
            assertThat(probes.contains("block_getrq")).as("%s: block_getrq in use where block_io_start is not offered", run.name())
                    .isEqualTo(!ioStart);
            assertThat(probes.contains("block_io_done")).as("%s: block_io_done in use, offered: %s", run.name(), ioDone)
                    .isEqualTo(ioDone);
            assertThat(probes.stream().filter(p -> p.startsWith("block_")))
                    .as("%s: every block tracepoint in use is one the kernel offers", run.name()).allMatch(offered::contains);
        }
    }

    private static RecordedEvent call(Recorded recorded, String operation, String file, long block) {
        return recorded.calls.stream()
                .filter(c -> c.getString("operation").equals(operation) && c.getString("file").equals(file) && c.getLong("block") == block)
                .findFirst().orElseThrow(() -> new AssertionError("the workload recorded no call " + operation + " " + file + " " + block));
    }

    private static RecordedEvent onlyRequest(Recorded recorded, Guest.Run run, String device, long sector, String operation,
                                             String what) {
        List<RecordedEvent> matches = recorded.requests.stream()
                .filter(e -> e.getString("device").equals(device) && e.getLong("sector") == sector
                        && e.getString("operation").equals(operation) && e.getLong("bytes") > 0)
                .collect(Collectors.toList());
        assertThat(matches).as("%s: requests for %s at sector %d of %s; recorded:%s", run.name(), what, sector, device,
                recorded.describeRequests()).hasSize(1);
        return matches.get(0);
    }

    /** Who issued the request, in which system call, on which device, and when: inside the call's window. */
    private static void assertIssuedInCall(Guest guest, Guest.Run run, Recorded recorded, RecordedEvent request, String what,
                                           RecordedEvent call, String thread, String syscall, long childPid, String device)
            throws Exception {
        assertThat(request.getThread("javaThread")).as("%s: Java thread of %s: %s", run.name(), what, Recorded.describe(request))
                .isNotNull();
        assertThat(request.getThread("javaThread").getJavaName()).as("%s: Java thread of %s", run.name(), what).isEqualTo(thread);
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
        assertThat(request.getInstant("syscallStart")).as("%s: %s's system call starts inside the call", run.name(), what)
                .isBetween(start, request.getStartTime());
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
     * fdatasync of an overwritten block: its write-back, and the empty PREFLUSH write that ext4 sends from
     * the same thread, which the flush machinery serves without an insert or issue of its own.
     */
    private static void assertDataSync(Guest guest, Guest.Run run, Recorded recorded, long childPid) throws Exception {
        String device = run.dataDevice();
        assertThat(guest.read(device + ".write_cache")).as("%s has a volatile write cache, so fdatasync flushes it", device)
                .isEqualTo("write back");
        String what = "fdatasync of block " + KernelMatrixWorkload.DATASYNC_BLOCK;
        RecordedEvent call = call(recorded, KernelMatrixWorkload.DATASYNC_OPERATION, DirectIoPlan.DATA, KernelMatrixWorkload.DATASYNC_BLOCK);
        long sector = guest.sectorOf(run, device, DirectIoPlan.DATA, KernelMatrixWorkload.DATASYNC_BLOCK);
        RecordedEvent write = onlyRequest(recorded, run, device, sector, "write", what);
        assertIssuedInCall(guest, run, recorded, write, what, call, KernelMatrixWorkload.DATASYNC_THREAD, "fdatasync", childPid, device);
        assertThat(write.getLong("bytes")).as("%s: bytes of the write-back of %s", run.name(), what).isEqualTo(LoopDevice.BLOCK_SIZE);

        List<RecordedEvent> flushes = recorded.requests.stream()
                .filter(e -> e.getString("device").equals(device) && e.getLong("bytes") == 0
                        && e.getThread("javaThread") != null
                        && e.getThread("javaThread").getJavaName().equals(KernelMatrixWorkload.DATASYNC_THREAD))
                .collect(Collectors.toList());
        assertThat(flushes).as("%s: the empty PREFLUSH write of %s; recorded:%s", run.name(), what, recorded.describeRequests())
                .hasSize(1);
        RecordedEvent flush = flushes.get(0);
        assertIssuedInCall(guest, run, recorded, flush, "the cache flush of " + what, call, KernelMatrixWorkload.DATASYNC_THREAD,
                "fdatasync", childPid, device);
        assertThat(flush.getString("operation")).as("%s: operation of the cache flush of %s", run.name(), what).isEqualTo("write");
        assertThat(flush.getString("flags").split(",")).as("%s: flags of the cache flush of %s", run.name(), what)
                .contains("preflush");
        for (String stage : List.of("insertTime", "queueTime", "serviceTime")) {
            assertThat(flush.getLong(stage)).as("%s: %s of the cache flush, which the flush machinery serves without an insert "
                    + "or issue of its own: N/A", run.name(), stage).isEqualTo(Long.MIN_VALUE);
        }
    }

    /** ext4's journal commit block asks for PREFLUSH and FUA; the kernel strips both during the flush sequence. */
    private static void assertJournalCommitsKeepTheirFlushFlags(Recorded recorded, Guest.Run run) {
        List<RecordedEvent> commits = recorded.requests.stream()
                .filter(e -> e.getString("device").equals(run.dataDevice()) && e.getString("comm").startsWith("jbd2/")
                        && Arrays.asList(e.getString("flags").split(",")).contains("preflush"))
                .collect(Collectors.toList());
        assertThat(commits).as("%s: journal commits of the fsync on %s, with their preflush flag; recorded:%s", run.name(),
                run.dataDevice(), recorded.describeRequests()).isNotEmpty();
        assertThat(commits).as("%s: journal commit blocks are whole, FUA, and ended once", run.name())
                .allMatch(e -> e.getLong("bytes") > 0 && Arrays.asList(e.getString("flags").split(",")).contains("fua")
                        && e.getString("status").equals("ok") && e.getLong("serviceTime") > 0);
    }

    private static void assertStack(List<RecordedEvent> stacks, RecordedEvent request, String field, String function,
                                    Guest.Run run, String what) {
        long id = request.getLong(field);
        assertThat(id).as("%s: %s of %s", run.name(), field, what).isNotZero();
        RecordedEvent stack = stacks.stream().filter(s -> s.getLong("stackId") == id).findFirst()
                .orElseThrow(() -> new AssertionError(run.name() + ": no KernelStack " + id + " for the " + field + " of " + what));
        assertThat(stack.getString("frames")).as("%s: %s of %s, symbolized from the guest's kallsyms", run.name(), field, what)
                .contains(function);
    }

    /**
     * No loss counted in any statistics event (they are cumulative), and the last one accounts for every
     * request in the recording. A last event written after the collector closed reads the kernel's
     * counters as zero: the kernel side's counts are then those of the last event before it.
     */
    private static void assertNothingLost(Recorded recorded, Guest.Run run) {
        for (RecordedEvent stats : recorded.statistics) {
            for (String loss : LOSSES) {
                assertThat(stats.getLong(loss)).as("%s: %s in the statistics at %s", run.name(), loss, stats.getStartTime()).isZero();
            }
        }
        RecordedEvent last = recorded.lastStatistics();
        assertThat(last.getLong("requestsRecorded")).as("%s: requests recorded by the last statistics", run.name())
                .isEqualTo(recorded.requests.size());
        RecordedEvent kernelSide = recorded.statistics.stream().filter(s -> s.getLong("requestsStarted") > 0)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(run.name() + ": no statistics with the kernel side's counts"));
        if (kernelSide != last) {
            System.out.printf("kernel matrix: NOTE %s: the last statistics (%s) came after the collector closed and read the "
                    + "kernel's counters as 0; using those of %s%n", run.name(), last.getStartTime(), kernelSide.getStartTime());
        }
        assertThat(kernelSide.getLong("requestsEmitted")).as("%s: requests the kernel side emitted by %s, all recorded",
                run.name(), kernelSide.getStartTime()).isPositive().isLessThanOrEqualTo(recorded.requests.size());
    }
}
