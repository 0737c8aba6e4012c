package io.blkflight.model;

import java.util.Arrays;

/** A growing array of ints (group numbers of the requests a view keeps). */
final class IntColumn {
    private int[] values = new int[1024];
    private int size;

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }
}
