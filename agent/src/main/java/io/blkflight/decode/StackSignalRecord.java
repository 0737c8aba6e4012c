package io.blkflight.decode;

import java.nio.ByteBuffer;

/**
 * A view of one {@code struct bf_stack_signal_record} (bpf/java_stacks.h): the kernel side sent a thread of the JVM
 * the signal on which the agent's handler takes its Java stack, opening an episode at {@link #nanos()} that the
 * handler's stack closes. Offsets mirror the C header; {@code RequestRecordLayoutTest} checks them.
 */
public final class StackSignalRecord {
    public static final int KIND_STACK_SIGNAL = 4;
    public static final int SIZE = 32;

    static final int NS = 8;
    static final int TID = 16;
    static final int HOST_TID = 20;
    static final int VTHREAD = 24;

    private ByteBuffer buffer;
    private int base;

    /** Points this view at the record starting at {@code offset}. */
    public StackSignalRecord wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.base = offset;
        return this;
    }

    /** The episode's start: the queue time of its first bio, CLOCK_MONOTONIC. */
    public long nanos() {
        return buffer.getLong(base + NS);
    }

    /** The thread, as the JVM's PID namespace numbers it; 0 if that namespace does not see it. */
    public int tid() {
        return buffer.getInt(base + TID);
    }

    public int hostTid() {
        return buffer.getInt(base + HOST_TID);
    }

    /** The virtual thread mounted on the thread (its java.lang.Thread id), whose stack the handler takes; 0: none. */
    public long vthread() {
        return buffer.getLong(base + VTHREAD);
    }
}
