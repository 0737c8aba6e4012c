package io.blkflight.model;

/**
 * The order of many values given in no particular order, without boxing them: recordings list requests roughly in
 * the order they completed, not exactly, and not in the order they started. A stable least-significant-digit radix
 * sort, O(n) for the nanosecond times it is used on (a few passes of 8 bits over the span between the least and the
 * greatest value).
 */
public final class LongOrder {
    private LongOrder() {
    }

    /** The indices 0..n-1 ordered by keys[index], equal keys in index order. */
    public static int[] sortedIndices(long[] keys, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (n < 2) {
            return order;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, keys[i]);
            max = Math.max(max, keys[i]);
        }
        long span = max - min;
        // A span that overflows is negative: sort all 64 bits of the offset as unsigned.
        int bits = span < 0 ? 64 : 64 - Long.numberOfLeadingZeros(span);
        int[] buffer = new int[n];
        int[] counts = new int[257];
        for (int shift = 0; shift < bits; shift += 8) {
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[digit(keys[order[i]] - min, shift) + 1]++;
            }
            for (int d = 0; d < 256; d++) {
                counts[d + 1] += counts[d];
            }
            for (int i = 0; i < n; i++) {
                int index = order[i];
                buffer[counts[digit(keys[index] - min, shift)]++] = index;
            }
            int[] swap = order;
            order = buffer;
            buffer = swap;
        }
        return order;
    }

    private static int digit(long offset, int shift) {
        return (int) (offset >>> shift) & 0xff;
    }
}
