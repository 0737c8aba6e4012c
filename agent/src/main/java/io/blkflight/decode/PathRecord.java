package io.blkflight.decode;

import java.nio.ByteBuffer;

/**
 * A view of one {@code struct bf_path_record} (bpf/requests.h): the kernel functions one request
 * lifecycle passed through, in order (function-level mode). It follows its request's record in the ring
 * buffer. Offsets mirror the C header; {@code RequestRecordLayoutTest} checks them.
 */
public final class PathRecord {
    public static final int KIND_PATH = 2;
    /** Hits kept per request; more are counted in {@link #overflow()}. */
    public static final int MAX_PATH = 32;
    public static final int SIZE = 24 + 16 * MAX_PATH;

    static final int REQUEST = 8;
    static final int GENERATION = 16;
    static final int HITS = 20;
    static final int OVERFLOW = 22;
    static final int HIT = 24;
    static final int HIT_SIZE = 16;
    static final int HIT_NS = 0;
    static final int HIT_FUNCTION = 8;
    static final int HIT_IN_ISSUER = 10;
    static final int HIT_STACK = 12;

    private ByteBuffer buffer;
    private int base;

    public PathRecord wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.base = offset;
        return this;
    }

    public int kind() {
        return buffer.getInt(base + RequestRecord.KIND);
    }

    public int version() {
        return buffer.getInt(base + RequestRecord.VERSION);
    }

    public long request() {
        return buffer.getLong(base + REQUEST);
    }

    public int generation() {
        return buffer.getInt(base + GENERATION);
    }

    /** Hits kept, at most {@link #MAX_PATH}. */
    public int hits() {
        return Math.min(Short.toUnsignedInt(buffer.getShort(base + HITS)), MAX_PATH);
    }

    /** Hits the kernel side could not keep because the path was full. */
    public int overflow() {
        return Short.toUnsignedInt(buffer.getShort(base + OVERFLOW));
    }

    /** CLOCK_MONOTONIC time of the i-th hit. */
    public long hitNanos(int i) {
        return buffer.getLong(base + HIT + i * HIT_SIZE + HIT_NS);
    }

    /** Index of the i-th hit's function among those attached. */
    public int hitFunction(int i) {
        return Short.toUnsignedInt(buffer.getShort(base + HIT + i * HIT_SIZE + HIT_FUNCTION));
    }

    /** Whether the i-th hit ran in the issuing thread. */
    public boolean hitInIssuer(int i) {
        return buffer.get(base + HIT + i * HIT_SIZE + HIT_IN_ISSUER) != 0;
    }

    /** Stack-map id of the i-th hit, {@link RequestRecord#NO_STACK} without one. */
    public int hitStack(int i) {
        return buffer.getInt(base + HIT + i * HIT_SIZE + HIT_STACK);
    }
}
