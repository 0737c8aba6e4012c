package io.blkflight.model;

import java.util.Arrays;

/**
 * Latencies of a group of requests with bounded memory. The first {@value #EXACT_LIMIT} values are
 * kept exactly (percentiles of small groups are exact); after that they go into a log-linear histogram
 * of 32 sub-buckets per power of two, so a percentile is within about 3% of the true value. Count, sum,
 * minimum and maximum are always exact.
 */
public final class LatencyHistogram {
    static final int EXACT_LIMIT = 4096;
    private static final int SUB_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;

    private long[] exact = new long[16];
    private int exactCount;
    private boolean exactSorted = true;
    private int[] buckets;
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Adds a latency in nanoseconds; negative values count as 0. */
    public void add(long nanos) {
        long value = Math.max(0, nanos);
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (buckets == null) {
            if (exactCount == exact.length) {
                if (exactCount == EXACT_LIMIT) {
                    buckets = new int[SUB_BUCKETS * 4];
                    for (int i = 0; i < exactCount; i++) {
                        addToBuckets(exact[i]);
                    }
                    exact = null;
                    addToBuckets(value);
                    return;
                }
                exact = Arrays.copyOf(exact, exactCount * 2);
            }
            exact[exactCount++] = value;
            exactSorted = false;
        } else {
            addToBuckets(value);
        }
    }

    /** Adds every value of another histogram. */
    public void addAll(LatencyHistogram other) {
        if (other.buckets == null) {
            for (int i = 0; i < other.exactCount; i++) {
                add(other.exact[i]);
            }
            return;
        }
        for (int i = 0; i < other.buckets.length; i++) {
            for (int n = 0; n < other.buckets[i]; n++) {
                add(representative(i, other.min, other.max));
            }
        }
    }

    private void addToBuckets(long value) {
        int index = index(value);
        if (index >= buckets.length) {
            buckets = Arrays.copyOf(buckets, Math.max(index + 1, buckets.length * 2));
        }
        buckets[index]++;
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
        int sub = index % SUB_BUCKETS;
        return (1L << exponent) + ((long) sub << (exponent - SUB_BITS));
    }

    private static long representative(int index, long min, long max) {
        long low = lowerBound(index);
        long high = lowerBound(index + 1) - 1;
        return Math.max(min, Math.min(max, low + (high - low) / 2));
    }

    public long count() {
        return count;
    }

    public long sum() {
        return sum;
    }

    /** The mean, or {@link BlockRequest#NOT_AVAILABLE} when empty. */
    public long mean() {
        return count == 0 ? BlockRequest.NOT_AVAILABLE : sum / count;
    }

    public long min() {
        return count == 0 ? BlockRequest.NOT_AVAILABLE : min;
    }

    public long max() {
        return count == 0 ? BlockRequest.NOT_AVAILABLE : max;
    }

    /** The nearest-rank percentile (0 &lt; p &lt;= 100), or {@link BlockRequest#NOT_AVAILABLE} when empty. */
    public long percentile(double p) {
        if (count == 0) {
            return BlockRequest.NOT_AVAILABLE;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
        if (rank >= count) {
            return max;
        }
        if (buckets == null) {
            if (!exactSorted) {
                Arrays.sort(exact, 0, exactCount);
                exactSorted = true;
            }
            return exact[(int) rank - 1];
        }
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return representative(i, min, max);
            }
        }
        return max;
    }

    /**
     * Counts per power-of-two range of the given unit, as biolatency prints them: element k counts the
     * values in [2^k, 2^(k+1)) units, element 0 also those below one unit.
     */
    public long[] powersOfTwo(long unitNanos) {
        long[] counts = new long[64];
        int highest = -1;
        if (buckets == null) {
            for (int i = 0; i < exactCount; i++) {
                highest = Math.max(highest, addPowerOfTwo(counts, exact[i] / unitNanos, 1));
            }
        } else {
            for (int i = 0; i < buckets.length; i++) {
                if (buckets[i] > 0) {
                    highest = Math.max(highest, addPowerOfTwo(counts, representative(i, min, max) / unitNanos, buckets[i]));
                }
            }
        }
        return Arrays.copyOf(counts, highest + 1);
    }

    private static int addPowerOfTwo(long[] counts, long units, long n) {
        int k = units <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(units);
        counts[k] += n;
        return k;
    }
}
