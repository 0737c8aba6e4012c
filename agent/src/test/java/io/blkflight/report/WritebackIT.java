package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.DirtyExpiry;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.Recorded;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.CallTree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writeback on the real kernel, under the default scope (the JVM itself): {@link WritebackWorkload}'s threads write
 * through the page cache and end; the kernel's flusher threads write their pages back later (vm.dirty_expire and
 * dirty_writeback lowered for the test, and restored). The recording must hold those requests, credited to the
 * thread that dirtied the pages and linked to its write call, with the right file; another thread's fsync keeps its
 * own requests, and the journal commit it waits for is credited to it; stores into a mapped file count too; a flood
 * of dirtied files is bounded and counted.
 */
@ExtendWith(DirtyExpiry.class)
class WritebackIT {

    @TempDir
    Path work;

    private static List<BlockRequest> requests(Path recording) throws ReportException {
        List<BlockRequest> requests = new ArrayList<>();
        try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
            recorded.forEach(requests::add);
        }
        return requests;
    }

    private static long bytes(List<BlockRequest> requests, Predicate<BlockRequest> which) {
        return requests.stream().filter(which).mapToLong(BlockRequest::bytes).sum();
    }

    private static boolean linkedTo(BlockRequest request, String method) {
        return request.javaLink().frames().stream().anyMatch(frame -> frame.contains("WritebackWorkload." + method));
    }

    private static String describe(List<BlockRequest> requests) {
        return requests.stream().limit(40).map(r -> r.operation() + " " + r.bytes() + " " + r.file() + " by " + r.comm()
                + " thread " + r.javaThreadName() + " other " + r.otherDirtier() + " wb " + r.writeback() + " credit "
                + r.credit() + " link " + r.javaLink().source() + " " + r.javaLink().frames().stream().limit(3).toList())
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void pagesWrittenBackAreCreditedToTheThreadThatDirtiedThemAndItsCall(String jdk) throws Exception {
        try (LoopDevice device = LoopDevice.create("writeback", 256)) {
            Path recording = work.resolve("writeback.jfr");
            Commands.Result result = ChildJvm.of(jdk).withAgent("output=" + recording + ",devices=" + device.name())
                    .run(WritebackWorkload.class.getName(), device.mountPoint().toString(), "threads", "5");
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).contains("writeback done");
            List<BlockRequest> requests = requests(recording);
            String root = device.mountPoint() + "/";

            // The appender's file: the flushers wrote it, for the appender, from its write call.
            List<BlockRequest> appended = requests.stream()
                    .filter(r -> r.file().equals(root + WritebackWorkload.APPENDED) && r.operation().equals("write")).toList();
            long appendedSize = WritebackWorkload.APPENDED_MIB << 20;
            assertThat(bytes(appended, r -> r.isWriteback() && "log-appender".equals(r.javaThreadName())))
                    .as("bytes of %s written back and credited to log-appender (of %s); its requests:%s",
                            WritebackWorkload.APPENDED, appendedSize, describe(appended))
                    .isGreaterThanOrEqualTo(appendedSize * 95 / 100).isLessThanOrEqualTo(appendedSize);
            assertThat(appended).as("written back by the kernel's flusher threads, for a reason")
                    .filteredOn(BlockRequest::isWriteback)
                    .allSatisfy(r -> {
                        assertThat(r.comm()).startsWith("kworker/");
                        assertThat(r.writeback()).isIn("periodic", "background");
                        assertThat(r.dirtiedTime()).isLessThan(r.start());
                        assertThat(r.credit()).isEqualTo("pages");
                    });
            List<BlockRequest> appendedBack = appended.stream().filter(BlockRequest::isWriteback).toList();
            assertThat(appendedBack.stream().filter(r -> linkedTo(r, "append")).count())
                    .as("written-back requests linked to the write call that dirtied their pages:%s", describe(appendedBack))
                    .isGreaterThanOrEqualTo(appendedBack.size() * 9L / 10);

            // The segment: its first half in the syncer's fsync (its own requests), its second half written back for
            // the segment writer.
            List<BlockRequest> segment = requests.stream()
                    .filter(r -> r.file().equals(root + WritebackWorkload.SEGMENT) && r.operation().equals("write")).toList();
            long half = WritebackWorkload.SEGMENT_HALF_MIB << 20;
            assertThat(bytes(segment, r -> !r.isWriteback() && "syncer".equals(r.javaThreadName()) && r.syscall().equals("fsync")))
                    .as("bytes of the first half in the syncer's fsync:%s", describe(segment))
                    .isGreaterThanOrEqualTo(half * 9 / 10);
            assertThat(bytes(segment, r -> r.isWriteback() && "segment-writer".equals(r.javaThreadName())))
                    .as("bytes of the second half written back for the segment writer:%s", describe(segment))
                    .isGreaterThanOrEqualTo(half * 9 / 10);
            assertThat(segment).as("the syncer's requests are its own, not writeback credited to the writer")
                    .filteredOn(r -> "syncer".equals(r.javaThreadName())).noneMatch(BlockRequest::isWriteback);
            assertThat(appended).as("two threads, two files, told apart")
                    .noneMatch(r -> "segment-writer".equals(r.javaThreadName()));

            // The journal: the commit the syncer's fsync waits for is credited to it and linked to its force call.
            List<BlockRequest> journal = requests.stream().filter(r -> r.device().equals(device.name())
                    && r.writeback().equals("journal")).toList();
            assertThat(journal).as("journal commits the syncer waits for in fsync:%s", describe(journal))
                    .anySatisfy(r -> {
                        assertThat(r.credit()).isEqualTo("fsync");
                        assertThat(r.javaThreadName()).isEqualTo("syncer");
                        assertThat(r.comm()).startsWith("jbd2/");
                        assertThat(r.file()).isEqualTo("(ext4 journal)");
                        assertThat(linkedTo(r, "syncSegment")).as("linked to the fsync's call").isTrue();
                    });
            assertThat(journal).as("every journal commit of the JVM's changes is credited to a waiter or shared")
                    .allMatch(r -> r.credit().equals("fsync") || r.credit().equals("shared"));

            // Stores into a mapped file: credited to the mapper, linked by its method samples.
            List<BlockRequest> mapped = requests.stream()
                    .filter(r -> r.file().equals(root + WritebackWorkload.MAPPED) && r.operation().equals("write")).toList();
            long mappedSize = WritebackWorkload.MAPPED_MIB << 20;
            assertThat(bytes(mapped, r -> r.isWriteback() && "mapper".equals(r.javaThreadName())))
                    .as("bytes of the mapped file written back for the mapper:%s", describe(mapped))
                    .isGreaterThanOrEqualTo(mappedSize * 95 / 100);
            // JDK 17's sampler rarely catches a thread in a busy loop like this one (1 sample in its 200 ms, measured);
            // JDK 25's does.
            if (jdk.equals(ChildJvm.JDK_25)) {
                assertThat(mapped.stream().filter(r -> linkedTo(r, "storeMapped")).count())
                        .as("mapped-file requests linked to the stores by a method sample near the dirtying:%s", describe(mapped))
                        .isGreaterThanOrEqualTo(mapped.size() / 2L);
            }
            assertThat(mapped).as("a mapped-file request is linked to the stores or to nothing, never to another call")
                    .allMatch(r -> !r.javaLink().linked() || linkedTo(r, "storeMapped"));

            // The tree: the write call, then the writeback's reason, then the flusher's kernel path.
            CallTree tree = new CallTree(false, true);
            requests.forEach(tree::add);
            assertThat(writebackBelowJava(tree.root(), "append")).as("a [writeback: ...] frame below the append call").isTrue();

            Recorded recorded = Recorded.read(recording);
            assertThat(recorded.configurations.get(recorded.configurations.size() - 1).getString("writeback")).as("the configuration says").isEqualTo("on");
            RecordedEvent statistics = recorded.lastStatistics();
            assertThat(statistics.getLong("writebackStarted")).as("writeback lifecycles").isPositive();
            assertThat(statistics.getLong("dirtyFilesLost")).as("dirty files lost").isZero();
            assertThat(statistics.getLong("writebackUncredited")).as("writeback without its dirtier").isZero();
        }
    }

    @Test
    void writebackOffRecordsOnlyTheJvmsOwnRequests() throws Exception {
        try (LoopDevice device = LoopDevice.create("writeback-off", 256)) {
            Path recording = work.resolve("off.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                    .withAgent("output=" + recording + ",devices=" + device.name() + ",writeback=off")
                    .run(WritebackWorkload.class.getName(), device.mountPoint().toString(), "threads", "3");
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            List<BlockRequest> requests = requests(recording);
            assertThat(requests).as("no writeback recorded").noneMatch(BlockRequest::isWriteback);
            assertThat(requests).as("the syncer's own fsync still is")
                    .anyMatch(r -> "syncer".equals(r.javaThreadName()) && r.syscall().equals("fsync"));
            Recorded recorded = Recorded.read(recording);
            assertThat(recorded.configurations.get(recorded.configurations.size() - 1).getString("writeback")).isEqualTo("off");
        }
    }

    /** Whether a "[writeback: ...]" node hangs directly below a Java frame of the workload's method. */
    private static boolean writebackBelowJava(CallTree.Node node, String method) {
        for (CallTree.Node child : node.children()) {
            if (child.kind() == CallTree.Kind.WRITEBACK && node.kind() == CallTree.Kind.JAVA
                    && node.path().stream().anyMatch(frame -> frame.contains("WritebackWorkload." + method))) {
                return true;
            }
            if (writebackBelowJava(child, method)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aFloodOfDirtiedFilesIsBoundedAndCounted() throws Exception {
        // More files than the kernel side's map of dirty files holds (16,384), all dirty at once: the default expiry
        // keeps them dirty while the workload runs.
        DirtyExpiry.set("3000", "50");
        try (LoopDevice device = LoopDevice.create("flood", 320, List.of("-N", "40000"), "noatime")) {
            Path recording = work.resolve("flood.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17).withAgent("output=" + recording + ",devices=" + device.name())
                    .run(WritebackWorkload.class.getName(), device.mountPoint().toString(), "flood", "20000", "1");
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).contains("flood done");
            RecordedEvent statistics = Recorded.read(recording).lastStatistics();
            assertThat(statistics.getLong("dirtyFilesLost")).as("dirtyings of files not remembered, counted").isPositive();
            List<BlockRequest> requests = requests(recording);
            assertThat(requests).as("requests after the flood are recorded as before")
                    .anyMatch(r -> r.file().endsWith("/" + WritebackWorkload.AFTER_FLOOD) && r.syscall().equals("fsync")
                            && "main".equals(r.javaThreadName()));
        } finally {
            DirtyExpiry.set("100", "50");
        }
    }
}
