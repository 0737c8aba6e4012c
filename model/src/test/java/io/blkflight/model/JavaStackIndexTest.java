package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class JavaStackIndexTest {
    private static JavaLink stack(JavaLink.Source source, String method) {
        return new JavaLink(source, List.of(method, "java.lang.Thread.run"), List.of(1, 2));
    }

    @Test
    void aFileEventOfTheThreadContainingTheSubmissionLinksIt() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFileEvent(7, 900, 50_000, stack(JavaLink.Source.FILE_EVENT, "app.Store.load"));
        index.addFileEvent(7, 60_000, 80_000, stack(JavaLink.Source.FILE_EVENT, "app.Store.other"));
        index.addFileEvent(8, 0, 100_000, stack(JavaLink.Source.FILE_EVENT, "app.OtherThread.read"));
        BlockRequest request = Requests.read(1_000, 30_000).build();

        JavaLink link = index.link(request);

        assertThat(link.source()).isEqualTo(JavaLink.Source.FILE_EVENT);
        assertThat(link.frames()).first().isEqualTo("app.Store.load");
        assertThat(request.javaLink()).isSameAs(link);
    }

    @Test
    void aLongerCallThatBeganEarlierStillContainsTheSubmission() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFileEvent(7, 0, 1_000_000, stack(JavaLink.Source.FILE_EVENT, "app.Store.force"));
        index.addFileEvent(7, 200, 300, stack(JavaLink.Source.FILE_EVENT, "app.Store.quickRead"));

        assertThat(index.link(Requests.read(1_000, 30_000).build()).frames()).first().isEqualTo("app.Store.force");
    }

    @Test
    void fallsBackToNativeThenExecutionSamplesInsideTheSystemCall() {
        JavaStackIndex index = new JavaStackIndex();
        index.addSample(7, 950, stack(JavaLink.Source.EXECUTION_SAMPLE, "app.Cpu.work"));
        index.addSample(7, 20_000, stack(JavaLink.Source.NATIVE_SAMPLE, "app.Native.pread"));
        index.addSample(7, 500_000, stack(JavaLink.Source.NATIVE_SAMPLE, "app.Native.later"));

        JavaLink link = index.link(Requests.read(1_000, 30_000).build());

        assertThat(link.source()).isEqualTo(JavaLink.Source.NATIVE_SAMPLE);
        assertThat(link.frames()).first().isEqualTo("app.Native.pread");
    }

    @Test
    void leavesRequestsOutsideEveryWindowUnlinked() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFileEvent(7, 40_000, 50_000, stack(JavaLink.Source.FILE_EVENT, "app.Store.later"));
        // The request's system call began at 4,000: a sample before that was of other work.
        index.addSample(7, 3_000, stack(JavaLink.Source.NATIVE_SAMPLE, "app.Native.before"));
        LinkCounts counts = new LinkCounts();

        BlockRequest request = Requests.read(5_000, 30_000).build();
        assertThat(index.link(request).linked()).isFalse();
        counts.add(request);
        BlockRequest kernelThread = Requests.read(1_000, 30_000).issuer(1, 2, "kworker/0:1", null, -1).build();
        index.link(kernelThread);
        counts.add(kernelThread);

        assertThat(counts.javaThreads()).isEqualTo(1);
        assertThat(counts.linked()).isZero();
        assertThat(counts.notJavaThreads()).isEqualTo(1);
        assertThat(counts.describe()).isEqualTo("linked to a Java stack: 0 of 1 requests issued by Java threads (0.0%: "
                + "file event 0, native method sample 0, execution sample 0); 1 issued by other threads");
    }

    @Test
    void aWritebackRequestIsLinkedToTheWriteThatDirtiedItsPagesNotToTheFlush() {
        JavaStackIndex index = new JavaStackIndex();
        // The appender's write around the dirtying (at 10,000); the flush happens 30 s later, in another thread.
        index.addFileEvent(7, 9_000, 12_000, "/data/app.log", stack(JavaLink.Source.FILE_EVENT, "app.Log.append"));
        index.addFileEvent(7, 30_000_000_000L, 30_000_100_000L, "/data/app.log", stack(JavaLink.Source.FILE_EVENT, "app.Log.later"));

        JavaLink link = index.link(Requests.writeback(30_000_050_000L, 1_000_000, 10_000).build());

        assertThat(link.source()).isEqualTo(JavaLink.Source.FILE_EVENT);
        assertThat(link.frames()).first().isEqualTo("app.Log.append");
    }

    @Test
    void aDirtyingWriteBelowTheThresholdIsLinkedToTheNearestWriteOfTheSameFile() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFileEvent(7, 1_000, 2_000, "other.log", stack(JavaLink.Source.FILE_EVENT, "app.Other.write"));
        index.addFileEvent(7, 200_000_000, 200_100_000, "app.log", stack(JavaLink.Source.FILE_EVENT, "app.Log.append"));
        index.addFileEvent(7, 500_000_000, 500_100_000, "other.log", stack(JavaLink.Source.FILE_EVENT, "app.Other.write"));

        JavaLink link = index.link(Requests.writeback(40_000_000_000L, 1_000_000, 400_000_000).build());

        assertThat(link.source()).as("no event contains the dirtying: the same file's nearest one, not the nearer other file's")
                .isEqualTo(JavaLink.Source.NEARBY_FILE_EVENT);
        assertThat(link.frames()).first().isEqualTo("app.Log.append");
    }

    @Test
    void aMappedStoreIsLinkedByASampleNearTheDirtyingOnly() {
        JavaStackIndex index = new JavaStackIndex();
        index.addSample(7, 1_000_000_000L, stack(JavaLink.Source.EXECUTION_SAMPLE, "app.Map.put"));
        BlockRequest near = Requests.writeback(40_000_000_000L, 1_000_000, 1_010_000_000L).file("/data/map.dat", "file", 13, 0).build();
        BlockRequest far = Requests.writeback(40_000_000_000L, 1_000_000, 2_000_000_000L).file("/data/map.dat", "file", 13, 0).build();

        assertThat(index.link(near).frames()).first().isEqualTo("app.Map.put");
        assertThat(index.link(far).linked()).as("a sample 1 s from the dirtying says nothing about it").isFalse();

        JavaStackIndex after = new JavaStackIndex();
        after.addSample(7, 1_005_000_000L, stack(JavaLink.Source.EXECUTION_SAMPLE, "app.Map.close"));
        BlockRequest dirtiedBefore = Requests.writeback(40_000_000_000L, 1_000_000, 1_000_000_000L).build();
        assertThat(after.link(dirtiedBefore).linked()).as("a sample 5 ms after the last dirtying is of what came next")
                .isFalse();
    }

    @Test
    void aWritebackRequestWithoutItsDirtyingTimeStaysUnlinked() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFileEvent(7, 0, Long.MAX_VALUE / 2, "/data/app.log", stack(JavaLink.Source.FILE_EVENT, "app.Log.append"));

        assertThat(index.link(Requests.writeback(1_000, 1_000, BlockRequest.NOT_AVAILABLE).build()).linked()).isFalse();
    }

    @Test
    void aJournalCommitIsLinkedToTheFaultStackOfTheFsyncThatWaitsForIt() {
        JavaStackIndex index = new JavaStackIndex();
        // The fsync began waiting at 10,000 (FileDescriptor.sync: no file event); its data requests from 12,000 on left a
        // fault stack taken at its return to Java (90,000), after the commit (submitted at 50,000).
        index.addFaultStack(7, 2_000, 8_000, stack(JavaLink.Source.FAULT_STACK, "app.Checkpoint.before"));
        index.addFaultStack(7, 12_000, 90_000, stack(JavaLink.Source.FAULT_STACK, "app.Checkpoint.write"));

        JavaLink link = index.link(journalCommit(50_000, 10_000));

        assertThat(link.source()).isEqualTo(JavaLink.Source.FAULT_STACK);
        assertThat(link.frames()).first().isEqualTo("app.Checkpoint.write");
        assertThat(index.link(journalCommit(50_000, 13_000)).linked())
                .as("a window that began before the wait is another call's").isFalse();
        assertThat(index.link(journalCommit(95_000, 10_000)).linked())
                .as("a commit after the window's return to Java is not that call's").isFalse();
        assertThat(index.link(Requests.writeback(50_000, 1_000, 10_000).build()).linked())
                .as("a flusher's writeback is linked to the dirtying call only, never to a fault stack").isFalse();
    }

    private static BlockRequest journalCommit(long start, long waitBegan) {
        return Requests.writeback(start, 1_000, waitBegan).writeback("journal", "fsync", 0, waitBegan)
                .file("(ext4 journal)", "journal", 0, 0).build();
    }

    @Test
    void aFaultStackWhoseWindowContainsTheSubmissionLinksIt() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFaultStack(7, 1_000, 40_000, stack(JavaLink.Source.FAULT_STACK, "app.Scanner.scanA"));
        index.addFaultStack(7, 60_000, 80_000, stack(JavaLink.Source.FAULT_STACK, "app.Scanner.scanB"));
        index.addFaultStack(8, 0, 100_000, stack(JavaLink.Source.FAULT_STACK, "app.Other.scan"));
        index.addSample(7, 1_500, stack(JavaLink.Source.EXECUTION_SAMPLE, "app.Cpu.work"));

        JavaLink first = index.link(Requests.read(1_000, 30_000).build());
        JavaLink second = index.link(Requests.read(70_000, 30_000).build());

        assertThat(first.source()).isEqualTo(JavaLink.Source.FAULT_STACK);
        assertThat(first.frames()).first().isEqualTo("app.Scanner.scanA");
        assertThat(second.frames()).first().isEqualTo("app.Scanner.scanB");
    }

    @Test
    void aFileEventStillComesFirst() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFaultStack(7, 0, 50_000, stack(JavaLink.Source.FAULT_STACK, "app.Native.read"));
        index.addFileEvent(7, 500, 50_000, stack(JavaLink.Source.FILE_EVENT, "app.Store.load"));

        assertThat(index.link(Requests.read(1_000, 30_000).build()).source()).isEqualTo(JavaLink.Source.FILE_EVENT);
    }

    @Test
    void aFaultStackReachesOnlyATinyBitBeyondItsWindow() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFaultStack(7, 10_000, 20_000, stack(JavaLink.Source.FAULT_STACK, "app.Scanner.scanA"));

        // Converted at different moments, a window's first request may land a few hundred nanoseconds outside it.
        assertThat(index.link(Requests.read(9_600, 30_000).build()).source()).isEqualTo(JavaLink.Source.FAULT_STACK);
        assertThat(index.link(Requests.read(20_500, 30_000).build()).source()).isEqualTo(JavaLink.Source.FAULT_STACK);
        // A request of the thread's next fault, which got no stack of its own, is not its neighbour's.
        assertThat(index.link(Requests.read(29_000, 30_000).build()).linked()).isFalse();
        assertThat(index.link(Requests.read(5_000, 30_000).build()).linked()).isFalse();
    }

    @Test
    void countsNameFaultStacksOnlyWhereTheyLinked() {
        JavaStackIndex index = new JavaStackIndex();
        index.addFaultStack(7, 1_000, 40_000, stack(JavaLink.Source.FAULT_STACK, "app.Scanner.scanA"));
        LinkCounts counts = new LinkCounts();
        BlockRequest request = Requests.read(2_000, 30_000).build();
        index.link(request);
        counts.add(request);

        assertThat(counts.describe()).isEqualTo("linked to a Java stack: 1 of 1 requests issued by Java threads (100.0%: "
                + "file event 0, fault stack 1, native method sample 0, execution sample 0); 0 issued by other threads");
    }
}
