package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class CallTreeTest {
    @Test
    void mergesTheStagesOfRequestsIntoOneTreeRootedWhereTheKernelWasEntered() {
        CallTree tree = new CallTree(false);
        BlockRequest first = Requests.read(0, 30_000).build();
        first.link(Requests.READER);
        tree.add(first);
        tree.add(Requests.read(100_000, 90_000).build());

        CallTree.Node root = tree.root();
        assertThat(root.requests()).isEqualTo(2);
        assertThat(root.children()).extracting(CallTree.Node::frame)
                .as("roots: the linked request's Java stack, why the unlinked one has none, the softirq")
                .containsExactlyInAnyOrder("java.lang.Thread.run", CallTree.NO_JAVA_STACK, "ret_from_fork_asm");
        CallTree.Node syscall = root.child(CallTree.NO_JAVA_STACK).child("entry_SYSCALL_64_after_hwframe");
        assertThat(syscall.requests()).isEqualTo(1);
        assertThat(syscall.stages()).isEqualTo(EnumSet.of(Stage.SUBMIT, Stage.ISSUE));
        CallTree.Node completion = root.child("ret_from_fork_asm");
        assertThat(completion.requests()).as("both requests completed in the softirq").isEqualTo(2);
        assertThat(completion.stages()).containsExactly(Stage.COMPLETE);
        assertThat(completion.latency().max()).isEqualTo(90_000);
        assertThat(completion.bytes()).isEqualTo(8192);
    }

    @Test
    void marksWhereEachStagesTracepointFiredAndWhereTheStacksPart() {
        CallTree tree = new CallTree(false);
        tree.add(Requests.read(0, 30_000).build());

        CallTree.Node dio = tree.find(List.of(CallTree.NO_JAVA_STACK, "entry_SYSCALL_64_after_hwframe", "do_syscall_64",
                "__x64_sys_pread64", "vfs_read", "ext4_file_read_iter", "iomap_dio_rw", "__iomap_dio_rw"));
        assertThat(dio.stages()).isEqualTo(EnumSet.of(Stage.SUBMIT, Stage.ISSUE));
        assertThat(dio.children()).extracting(CallTree.Node::frame).containsExactlyInAnyOrder("iomap_dio_bio_iter", "__blk_mq_issue_directly");
        CallTree.Node submitted = dio.child("iomap_dio_bio_iter").child("submit_bio_noacct_nocheck");
        assertThat(submitted.sites()).containsExactly(Stage.SUBMIT);
        CallTree.Node started = dio.child("__blk_mq_issue_directly").child("loop_queue_rq [loop]").child("blk_mq_start_request");
        assertThat(started.sites()).containsExactly(Stage.ISSUE);
        assertThat(started.path()).startsWith(CallTree.NO_JAVA_STACK, "entry_SYSCALL_64_after_hwframe").endsWith("blk_mq_start_request");
    }

    @Test
    void putsTheJavaStackOnlyAboveStagesThatRanInTheIssuingThread() {
        CallTree tree = new CallTree(false);
        BlockRequest request = Requests.read(0, 30_000).build();
        request.link(Requests.READER);
        tree.add(request);

        CallTree.Node java = tree.root().child("java.lang.Thread.run").child("app.Store.load").child("sun.nio.ch.FileChannelImpl.read");
        assertThat(java.kind()).isEqualTo(CallTree.Kind.JAVA);
        assertThat(java.child("entry_SYSCALL_64_after_hwframe").kind()).isEqualTo(CallTree.Kind.KERNEL);
        assertThat(java.stages()).isEqualTo(EnumSet.of(Stage.SUBMIT, Stage.ISSUE));
        assertThat(tree.root().child("ret_from_fork_asm")).as("the completion ran in a softirq: its own root").isNotNull();
        assertThat(tree.passesThrough(request, List.of("java.lang.Thread.run", "app.Store.load"))).isTrue();
        assertThat(tree.passesThrough(request, List.of("app.Store.load"))).isFalse();
    }

    @Test
    void offsetsKeepCallSitesAndLineNumbersApart() {
        CallTree byFunction = new CallTree(false);
        CallTree bySite = new CallTree(true);
        BlockRequest request = Requests.read(0, 30_000).build();
        request.link(Requests.READER);
        byFunction.add(request);
        bySite.add(request);

        assertThat(byFunction.find(List.of("java.lang.Thread.run", "app.Store.load"))).isNotNull();
        assertThat(bySite.find(List.of("java.lang.Thread.run:840", "app.Store.load:42", "sun.nio.ch.FileChannelImpl.read:108",
                "entry_SYSCALL_64_after_hwframe+0x76"))).isNotNull();
        CallTree.Node dio = bySite.find(List.of("java.lang.Thread.run:840", "app.Store.load:42",
                "sun.nio.ch.FileChannelImpl.read:108", "entry_SYSCALL_64_after_hwframe+0x76", "do_syscall_64+0x71",
                "__x64_sys_pread64+0xa3", "vfs_read+0x23a", "ext4_file_read_iter+0x18b", "iomap_dio_rw+0xe"));
        assertThat(dio.children()).extracting(CallTree.Node::frame)
                .as("__iomap_dio_rw submits (+0x527) and unplugs (+0x56b) from two call sites")
                .containsExactlyInAnyOrder("__iomap_dio_rw+0x527", "__iomap_dio_rw+0x56b");
    }

    @Test
    void countsARequestOnceInANodeThatSeveralOfItsStagesPass() {
        CallTree tree = new CallTree(false);
        tree.add(Requests.read(0, 30_000).build());

        CallTree.Node syscall = tree.root().child(CallTree.NO_JAVA_STACK).child("entry_SYSCALL_64_after_hwframe");
        assertThat(syscall.requests()).isEqualTo(1);
        assertThat(syscall.latency().count()).isEqualTo(1);
    }

    @Test
    void placesTracedFunctionsWhereTheirStacksWereTakenUnderTheJavaStackWhenInTheIssuer() {
        CallTree tree = new CallTree(false);
        BlockRequest request = Requests.read(0, 30_000)
                // kprobe-style stack: the function itself is the innermost frame
                .functionHit(new FunctionHit(1_000, "blk_mq_start_request", true, Requests.ISSUE))
                // fentry-style stack: the innermost frame is the caller; the function is added below it
                .functionHit(new FunctionHit(29_000, "blk_account_io_done", false, Requests.COMPLETE))
                // without a stack the hit is in the path but not in the tree
                .functionHit(new FunctionHit(29_100, "blk_mq_free_request", false, List.of()))
                .build();
        request.link(Requests.READER);
        tree.add(request);

        CallTree.Node java = tree.root().child("java.lang.Thread.run").child("app.Store.load").child("sun.nio.ch.FileChannelImpl.read");
        CallTree.Node started = tree.find(java.path()).child("entry_SYSCALL_64_after_hwframe");
        for (String frame : List.of("do_syscall_64", "__x64_sys_pread64", "vfs_read", "ext4_file_read_iter", "iomap_dio_rw",
                "__iomap_dio_rw", "__blk_mq_issue_directly", "loop_queue_rq [loop]", "blk_mq_start_request")) {
            started = started.child(frame);
        }
        assertThat(started.functionSite()).isTrue();
        assertThat(started.sites()).as("the issue tracepoint fired there too").containsExactly(Stage.ISSUE);
        CallTree.Node done = tree.find(List.of("ret_from_fork_asm", "ret_from_fork", "kthread", "smpboot_thread_fn",
                "run_ksoftirqd", "handle_softirqs", "blk_done_softirq", "blk_mq_end_request", "blk_update_request",
                "blk_account_io_done"));
        assertThat(done).isNotNull();
        assertThat(done.functionSite()).isTrue();
        assertThat(done.requests()).isEqualTo(1);
        assertThat(done.parent().functionSite()).isFalse();
        assertThat(tree.find(List.of("blk_mq_free_request"))).isNull();
    }

    @Test
    void aRequestWithNeitherJavaNorKernelStacksStillHangsUnderWhyItHasNone() {
        CallTree tree = new CallTree(false);
        tree.add(BlockRequest.builder().time(0, 10_000).where("vda", "254:0", "write", "", 8, 4096)
                .issuer(1, 55, "kworker/u8:2", null, -1).build());
        tree.add(Requests.read(0, 20_000).build());

        assertThat(tree.root().child(CallTree.NOT_A_JAVA_THREAD)).as("the kworker's request").isNotNull()
                .satisfies(node -> assertThat(node.requests()).isEqualTo(1));
        assertThat(tree.root().child(CallTree.NO_JAVA_STACK).requests()).as("the reader's unlinked request").isEqualTo(1);
        assertThat(tree.root().children().stream().mapToLong(CallTree.Node::requests).sum())
                .as("every request is below the root somewhere").isGreaterThanOrEqualTo(2);
    }

    @Test
    void sampledKernelFramesStandForTheirKindsRequests() {
        CallTree tree = new CallTree(false, true);
        // Kind 3: 100 reads, 4 with stacks. Kind 27: 10 writes, 1 with stacks. All linked to the same Java stack.
        for (int i = 0; i < 100; i++) {
            BlockRequest.Builder read = i % 25 == 0 ? Requests.read(i, 30_000)
                    : BlockRequest.builder().time(i, 30_000).where("loop0", "7:0", "read", "sync", 8, 4096).issuer(100, 101, "reader", "reader", 7);
            BlockRequest request = read.sampleKind(3).build();
            request.link(Requests.READER);
            tree.add(request);
        }
        for (int i = 0; i < 10; i++) {
            BlockRequest.Builder write = i == 0 ? Requests.read(i, 50_000).where("loop0", "7:0", "write", "sync", 8, 8192)
                    : BlockRequest.builder().time(i, 50_000).where("loop0", "7:0", "write", "sync", 8, 8192).issuer(100, 101, "reader", "reader", 7);
            BlockRequest request = write.sampleKind(27).build();
            request.link(Requests.READER);
            tree.add(request);
        }

        CallTree.Node java = tree.find(List.of("java.lang.Thread.run", "app.Store.load", "sun.nio.ch.FileChannelImpl.read"));
        assertThat(java.estimated()).as("Java frames every linked request reaches are exact").isFalse();
        assertThat(java.requests()).isEqualTo(110);
        CallTree.Node syscall = java.child("entry_SYSCALL_64_after_hwframe");
        assertThat(syscall.estimated()).isTrue();
        assertThat(syscall.recordedRequests()).as("the sampled requests through the frame").isEqualTo(5);
        assertThat(syscall.requests()).as("4 reads x 25 + 1 write x 10").isEqualTo(110);
        assertThat(syscall.bytes()).isEqualTo(100 * 4096 + 10 * 8192);
        assertThat(tree.weights().withStacks()).isEqualTo(5);
        assertThat(tree.weights().unrepresented()).isZero();
    }

    @Test
    void writebackHangsBelowTheDirtyingCallAndItsReasonAndJournalCommitsBelowTheirWaiter() {
        CallTree tree = new CallTree(false);
        BlockRequest flushed = Requests.writeback(1_000_000, 2_000_000, 500).build();
        flushed.link(new JavaLink(JavaLink.Source.FILE_EVENT, List.of("app.Log.append", "java.lang.Thread.run"), List.of(3, 4)));
        tree.add(flushed);
        BlockRequest shared = Requests.writeback(5_000_000, 1_000_000, BlockRequest.NOT_AVAILABLE)
                .issuer(0, 66, "jbd2/loop0-8", null, -1).writeback("journal", "shared", 0, BlockRequest.NOT_AVAILABLE).build();
        tree.add(shared);
        BlockRequest byVm = Requests.writeback(6_000_000, 1_000_000, 100).issuer(0, 55, "kworker/u8:3", null, -1)
                .otherDirtier("VM Periodic Task Thread").build();
        tree.add(byVm);

        CallTree.Node reason = tree.find(List.of("java.lang.Thread.run", "app.Log.append", "[writeback: periodic]"));
        assertThat(reason).isNotNull();
        assertThat(reason.kind()).isEqualTo(CallTree.Kind.WRITEBACK);
        assertThat(reason.child("ret_from_fork_asm")).as("the flusher's kernel path below the reason").isNotNull();
        assertThat(tree.find(List.of(CallTree.SHARED_JOURNAL, "[journal commit]"))).isNotNull();
        assertThat(tree.find(List.of("(dirtied by VM Periodic Task Thread, a JVM thread)", "[writeback: periodic]"))).isNotNull();
    }
}
