package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void smallGroupsHaveExactNearestRankPercentiles() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v : new long[] {5, 1, 4, 2, 3}) {
            h.add(v * 1_000);
        }
        assertThat(h.percentile(50)).isEqualTo(3_000);
        assertThat(h.percentile(99)).isEqualTo(5_000);
        assertThat(h.percentile(20)).isEqualTo(1_000);
        assertThat(h.min()).isEqualTo(1_000);
        assertThat(h.mean()).isEqualTo(3_000);
    }

    @Test
    void largeGroupsStayWithinThreePercentWithBoundedMemory() {
        SplittableRandom random = new SplittableRandom(42);
        long[] values = new long[200_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) (Math.exp(random.nextDouble(8, 18)));
            h.add(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.03));
        }
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
        assertThat(h.count()).isEqualTo(values.length);
    }

    @Test
    void bucketBoundsTileTheLine() {
        for (int i = 0; i < 1500; i++) {
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i))).isEqualTo(i);
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i + 1) - 1)).isEqualTo(i);
        }
    }

    @Test
    void powersOfTwoCountAsBiolatencyDoes() {
        LatencyHistogram h = new LatencyHistogram();
        for (long us : new long[] {0, 1, 2, 3, 4, 7, 8, 1000}) {
            h.add(us * 1_000 + 10);
        }
        long[] buckets = h.powersOfTwo(1_000);
        assertThat(buckets[0]).as("0 -> 1 us").isEqualTo(2);
        assertThat(buckets[1]).as("2 -> 3 us").isEqualTo(2);
        assertThat(buckets[2]).as("4 -> 7 us").isEqualTo(2);
        assertThat(buckets[3]).as("8 -> 15 us").isEqualTo(1);
        assertThat(buckets[9]).as("512 -> 1023 us").isEqualTo(1);
        assertThat(buckets).hasSize(10);
    }
}
