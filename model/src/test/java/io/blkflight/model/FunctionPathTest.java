package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FunctionPathTest {
    @Test
    void readsBackWhatTheAgentWrites() {
        StringBuilder text = new StringBuilder();
        FunctionPath.append(text, -1_500, "submit_bio", true, 0);
        FunctionPath.append(text, 2_000, "blk_mq_start_request", true, 17);
        FunctionPath.append(text, 95_000, "blk_mq_end_request", false, 3);

        assertThat(FunctionPath.parse(text.toString())).containsExactly(
                new FunctionPath.Entry(-1_500, "submit_bio", true, 0),
                new FunctionPath.Entry(2_000, "blk_mq_start_request", true, 17),
                new FunctionPath.Entry(95_000, "blk_mq_end_request", false, 3));
    }

    @Test
    void skipsLinesThatAreNotOursAndCleansNames() {
        String forged = "12 ok - 0\nnot a line\n12 two words - 0 x\nabc f - 0\n5 evil\u001b[2J i 0\n7 f x 0\n";

        List<FunctionPath.Entry> entries = FunctionPath.parse(forged);

        assertThat(entries).extracting(FunctionPath.Entry::function).containsExactly("ok", "evil?[2J");
        assertThat(FunctionPath.parse(null)).isEmpty();
        assertThat(FunctionPath.parse("")).isEmpty();
    }

    @Test
    void aPathLongerThanTheKernelEverWritesIsCut() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            FunctionPath.append(text, i, "f" + i, false, 0);
        }

        assertThat(FunctionPath.parse(text.toString())).hasSize(FunctionPath.MAX_ENTRIES);
    }

    @Test
    void summaryListsFunctionsInTheOrderATypicalRequestMeetsThem() {
        FunctionSummary summary = new FunctionSummary();
        summary.add(Requests.read(0, 30_000)
                .functionHit(new FunctionHit(-800, "submit_bio", true, List.of()))
                .functionHit(new FunctionHit(2_000, "blk_mq_start_request", true, List.of()))
                .functionHit(new FunctionHit(29_000, "blk_mq_end_request", false, List.of()))
                .functionHit(new FunctionHit(29_500, "blk_mq_end_request", false, List.of()))
                .functionHitsLost(2).build());
        summary.add(Requests.read(50_000, 10_000)
                .functionHit(new FunctionHit(4_000, "blk_mq_start_request", false, List.of())).build());
        summary.add(Requests.read(90_000, 10_000).build());

        assertThat(summary.requestsWithPath()).isEqualTo(2);
        assertThat(summary.hitsLost()).isEqualTo(2);
        assertThat(summary.rows()).containsExactly(
                new FunctionSummary.Row("submit_bio", 1, 1, -800, 1),
                new FunctionSummary.Row("blk_mq_start_request", 2, 2, 3_000, 1),
                new FunctionSummary.Row("blk_mq_end_request", 1, 2, 29_250, 0));
    }
}
