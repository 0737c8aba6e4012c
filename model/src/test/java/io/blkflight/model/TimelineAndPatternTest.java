package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The timeline (rates, in flight, latency per interval) and the access pattern (sizes, sequential/random). */
class TimelineAndPatternTest {
    private static final long MS = 1_000_000;

    private static BlockRequest request(String device, String operation, long start, long duration, long sector, long bytes,
                                        String thread) {
        return BlockRequest.builder().time(start, duration).where(device, "7:0", operation, "", sector, bytes)
                .issuer(1, 2, "comm", thread, 7).build();
    }

    private static BlockRequest writeback(long start, long duration, long sector, String dirtier) {
        return BlockRequest.builder().time(start, duration).where("vda", "254:0", "write", "", sector, 4096)
                .issuer(0, 55, "kworker/u8:1", dirtier, dirtier == null ? -1 : 9)
                .writeback("periodic", "pages", 1, BlockRequest.NOT_AVAILABLE).file("/data/log", "file", 12, 0).build();
    }

    @Test
    void countsRequestsWhenTheyCompleteAndInFlightOverTheirWholeLife() {
        Timeline timeline = new Timeline(10 * MS, Timeline.By.DEVICE);
        // Two overlapping reads in the first interval; a write that starts in the first and completes in the third.
        timeline.add(request("vda", "read", 0, 4 * MS, 0, 4096, "a"));
        timeline.add(request("vda", "read", 2 * MS, 4 * MS, 8, 8192, "a"));
        timeline.add(request("vda", "write", 5 * MS, 20 * MS, 100, 1 << 20, "b"));
        timeline.add(request("vda", "flush", 24 * MS, 2 * MS, -1, 0, "b"));

        List<Timeline.Interval> intervals = timeline.series(10).get(0).intervals();

        assertThat(intervals).hasSize(3);
        Timeline.Interval first = intervals.get(0);
        assertThat(first.reads()).isEqualTo(2);
        assertThat(first.readBytes()).isEqualTo(12288);
        assertThat(first.writes()).as("the write completes in the third interval").isZero();
        assertThat(first.maxInFlight()).as("two at a time: both reads, then the second read and the write").isEqualTo(2);
        // 0-2 ms: 1, 2-4: 2, 4-5: 1, 5-6: 2, 6-10: 1 -> 2 + 4 + 1 + 2 + 4 = 13 request-ms over 10 ms.
        assertThat(first.meanInFlight()).isCloseTo(1.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.p50()).isEqualTo(4 * MS);
        Timeline.Interval second = intervals.get(1);
        assertThat(second.requests()).isZero();
        assertThat(second.meanInFlight()).as("only the write, all the time").isEqualTo(1.0);
        assertThat(second.maxInFlight()).isEqualTo(1);
        assertThat(second.p50()).isEqualTo(BlockRequest.NOT_AVAILABLE);
        Timeline.Interval third = intervals.get(2);
        assertThat(third.writes()).isEqualTo(1);
        assertThat(third.writeBytes()).isEqualTo(1 << 20);
        assertThat(third.others()).as("the flush").isEqualTo(1);
        assertThat(third.maxInFlight()).as("the flush starts before the write ends").isEqualTo(2);
        assertThat(third.max()).isEqualTo(20 * MS);
    }

    @Test
    void theOrderOfTheRecordingDoesNotChangeTheTimeline() {
        List<BlockRequest> requests = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            requests.add(request(i % 2 == 0 ? "vda" : "vdb", "read", random.nextInt(1_000) * MS / 10,
                    1 + random.nextInt(50) * MS / 10, i, 4096, "t" + i % 3));
        }
        Timeline ordered = new Timeline(7 * MS, Timeline.By.DEVICE);
        requests.forEach(ordered::add);
        Collections.shuffle(requests, random);
        Timeline shuffled = new Timeline(7 * MS, Timeline.By.DEVICE);
        requests.forEach(shuffled::add);

        assertThat(shuffled.series(10)).isEqualTo(ordered.series(10));
    }

    @Test
    void groupsPastTheShownOnesShareOneSeriesAndWritebackCountsForItsDirtier() {
        Timeline timeline = new Timeline(10 * MS, Timeline.By.THREAD);
        timeline.add(request("vda", "read", 0, MS, 0, 4096, "a"));
        timeline.add(request("vda", "read", 0, MS, 8, 4096, "a"));
        timeline.add(writeback(0, MS, 16, "appender"));
        timeline.add(writeback(0, MS, 24, null));
        timeline.add(request("vda", "read", 0, MS, 32, 4096, "c"));

        List<Timeline.Series> series = timeline.series(2);

        assertThat(series).extracting(Timeline.Series::name).containsExactly("a", "(writeback by kworker/u8:1, dirtier not known)", "(2 other threads)");
        assertThat(series.get(2).requests()).isEqualTo(2);
        assertThat(RequestLabels.thread(writeback(0, MS, 16, "appender"))).isEqualTo("appender (writeback)");
    }

    @Test
    void aRequestIsSequentialWhenItStartsWhereThePreviousOnItsDiskEndedInCompletionOrder() {
        AccessPattern pattern = new AccessPattern();
        // Recorded out of completion order: the pattern orders them by completion first.
        pattern.add(request("vda", "read", 2 * MS, MS, 8, 4096, "scan"));   // completes 3 ms: follows 0..8 -> sequential
        pattern.add(request("vda", "read", 0, MS, 0, 4096, "scan"));        // completes 1 ms: the first -> random
        pattern.add(request("vda", "read", 3 * MS, MS, 16, 65536, "scan")); // 4 ms: follows 8..16 -> sequential
        pattern.add(request("vda", "read", 4 * MS, MS, 900, 4096, "seek")); // 5 ms: random
        pattern.add(request("vda", "read", 5 * MS, MS, 144, 4096, "scan")); // 6 ms: after 16 + 128 = 144 but the seek came
                                                                            // between: random on the disk, sequential for scan
        pattern.add(request("vda", "flush", 0, MS, -1, 0, "scan"));

        AccessPattern.Group disk = pattern.byDevice().get(0);
        assertThat(disk.name()).isEqualTo("vda read");
        assertThat(disk.requests()).isEqualTo(5);
        assertThat(disk.sequential()).isEqualTo(2);
        assertThat(pattern.skipped()).as("the flush moves no data").isEqualTo(1);
        AccessPattern.Group scan = pattern.byThread().get(0);
        assertThat(scan.name()).isEqualTo("scan");
        assertThat(scan.sequential()).as("the thread's own previous request").isEqualTo(3);
        assertThat(scan.random()).isEqualTo(1);
        assertThat(disk.sizes().powersOfTwo(1024)).as("sizes in KiB by power of two").containsExactly(0, 0, 4, 0, 0, 0, 1);
        assertThat(pattern.byFile()).extracting(AccessPattern.Group::name).containsExactly(RequestLabels.NO_FILE);
    }

    @Test
    void theRadixOrderIsStableAndCoversTheWholeRange() {
        long[] keys = {5, Long.MIN_VALUE, 3, Long.MAX_VALUE, 3, -1, 0};
        assertThat(LongOrder.sortedIndices(keys, keys.length)).containsExactly(1, 5, 6, 2, 4, 0, 3);
    }
}
