package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class FoldedAndBreakdownTest {
    @Test
    void foldsJavaFramesAboveTheStagesOfTheIssuingThread() {
        Folded folded = new Folded(Folded.Weight.COUNT);
        BlockRequest request = Requests.read(0, 30_000).build();
        request.link(Requests.READER);
        folded.add(request);
        folded.add(request);

        assertThat(folded.lines()).containsExactly(
                "java.lang.Thread.run;app.Store.load;sun.nio.ch.FileChannelImpl.read;entry_SYSCALL_64_after_hwframe;do_syscall_64;"
                        + "__x64_sys_pread64;vfs_read;ext4_file_read_iter;iomap_dio_rw;__iomap_dio_rw;__blk_mq_issue_directly;"
                        + "loop_queue_rq [loop];blk_mq_start_request;[issue] 2",
                "java.lang.Thread.run;app.Store.load;sun.nio.ch.FileChannelImpl.read;entry_SYSCALL_64_after_hwframe;do_syscall_64;"
                        + "__x64_sys_pread64;vfs_read;ext4_file_read_iter;iomap_dio_rw;__iomap_dio_rw;iomap_dio_bio_iter;"
                        + "submit_bio_noacct_nocheck;[submit] 2",
                "ret_from_fork_asm;ret_from_fork;kthread;smpboot_thread_fn;run_ksoftirqd;handle_softirqs;blk_done_softirq;"
                        + "blk_mq_end_request;blk_update_request;[complete] 2");
    }

    @Test
    void latencyWeightCountsTheSubmittingCallOnce() {
        Folded folded = new Folded(Folded.Weight.LATENCY);
        folded.add(Requests.read(0, 30_000).build());

        assertThat(folded.lines()).singleElement().asString().endsWith("submit_bio_noacct_nocheck;[submit] 30");
    }

    @Test
    void breaksTimeDownBetweenStagesAsBttDoes() {
        StageBreakdown breakdown = new StageBreakdown();
        breakdown.add(Requests.read(0, 30_000).build());
        breakdown.add(Requests.read(0, 50_000).stages(1_000, 3_000, 9_000, 41_000).build());

        assertThat(breakdown.get(StageBreakdown.Interval.Q2G).mean()).isEqualTo(1_500);
        assertThat(breakdown.get(StageBreakdown.Interval.G2D).count()).as("the request never inserted").isEqualTo(1);
        assertThat(breakdown.get(StageBreakdown.Interval.G2D).max()).isEqualTo(3_000);
        assertThat(breakdown.get(StageBreakdown.Interval.G2I).max()).isEqualTo(2_000);
        assertThat(breakdown.get(StageBreakdown.Interval.I2D).max()).isEqualTo(6_000);
        assertThat(breakdown.get(StageBreakdown.Interval.D2C).max()).isEqualTo(41_000);
        assertThat(breakdown.get(StageBreakdown.Interval.Q2C).count()).isEqualTo(2);
    }

    @Test
    void filtersByIssuerDeviceOperationLatencyAndTime() {
        BlockRequest request = Requests.read(1_000, 30_000).build();

        assertThat(RequestFilter.ALL.test(request)).isTrue();
        assertThat(new RequestFilter(Set.of("reader"), Set.of("7:0"), Set.of("read"), 30_000, 1_000, 1_000).test(request)).isTrue();
        assertThat(new RequestFilter(Set.of("writer"), Set.of(), Set.of(), 0, Long.MIN_VALUE, Long.MAX_VALUE).test(request)).isFalse();
        assertThat(new RequestFilter(Set.of(), Set.of("vda"), Set.of(), 0, Long.MIN_VALUE, Long.MAX_VALUE).test(request)).isFalse();
        assertThat(new RequestFilter(Set.of(), Set.of(), Set.of(), 30_001, Long.MIN_VALUE, Long.MAX_VALUE).test(request)).isFalse();
        assertThat(new RequestFilter(Set.of(), Set.of(), Set.of(), 0, 1_001, Long.MAX_VALUE).test(request)).isFalse();
    }

    @Test
    void namesFrames() {
        assertThat(Frames.function("loop_queue_rq+0x25 [loop]")).isEqualTo("loop_queue_rq [loop]");
        assertThat(Frames.function("blk_mq_start_request+0xcf")).isEqualTo("blk_mq_start_request");
        assertThat(Frames.javaFrame("Io$$Lambda$140+0x00007f5f000c4b08.1016363973", "run")).isEqualTo("Io$$Lambda.run");
        assertThat(Frames.javaFrame("app.Store$$Lambda/0x0000000800c0b448", "accept")).isEqualTo("app.Store$$Lambda.accept");
        // JDK 25's JFR names a hidden class with a dot before its address.
        assertThat(Frames.javaFrame("MyIo$$Lambda.0x000000008a086008", "run")).as("JDK 25 lambda frame")
                .isEqualTo("MyIo$$Lambda.run");
        assertThat(Frames.javaFrame("app.Store", "load")).isEqualTo("app.Store.load");
        assertThat(Durations.parse("500us")).isEqualTo(500_000);
        assertThat(Durations.format(2_000_000)).isEqualTo("2ms");
    }
}
