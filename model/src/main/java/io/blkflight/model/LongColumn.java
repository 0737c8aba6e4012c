package io.blkflight.model;

import java.util.Arrays;

/** A growing array of longs: one field of every request a view keeps, 8 bytes each and no object per request. */
final class LongColumn {
    private long[] values = new long[1024];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    /** The backing array; its first {@link #size()} values are the column's. */
    long[] array() {
        return values;
    }
}
