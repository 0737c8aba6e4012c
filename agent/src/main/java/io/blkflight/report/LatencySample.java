package io.blkflight.report;

import java.util.Arrays;

/** Latencies of a group of requests, with the sums the reports print. */
final class LatencySample {
    private long[] nanos = new long[64];
    private int size;
    private long bytes;
    private boolean sorted = true;

    void add(long latencyNanos, long requestBytes) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
        bytes += requestBytes;
        sorted = false;
    }

    int count() {
        return size;
    }

    long bytes() {
        return bytes;
    }

    /** The nearest-rank percentile, 0 &lt; p &lt;= 100. */
    long percentile(double p) {
        if (size == 0) {
            return Long.MIN_VALUE;
        }
        if (!sorted) {
            Arrays.sort(nanos, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return nanos[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    long max() {
        return percentile(100);
    }
}
