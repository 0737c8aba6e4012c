package io.blkflight.decode;

import java.nio.ByteBuffer;

/**
 * A view of one Java stack as native/java_stacks_handler.c drains it (struct bf_java_stack_head, then its frames,
 * struct bf_java_frame): what the signal handler took in a thread of the JVM when the kernel side's signal was
 * delivered. Offsets mirror the C header; {@code RequestRecordLayoutTest} checks them.
 */
public final class JavaStackRecord {
    public static final int HEAD = 24;
    public static final int FRAME = 16;
    /** Frames kept at most. */
    public static final int MAX_DEPTH = 64;

    /** {@link #frames()} when the thread is not a Java thread the agent knows. */
    public static final int NOT_JAVA = -100;
    /** {@link #frames()} when the JVM gave no JNI environment for the thread. */
    public static final int NO_ENV = -101;

    static final int NS = 0;
    static final int TID = 8;
    static final int FRAMES = 12;
    static final int TRUNCATED = 16;
    static final int METHOD = 0;
    static final int BCI = 8;

    /** A frame's bci for a native method (AsyncGetCallTrace's convention). */
    public static final int NATIVE_BCI = -3;

    private ByteBuffer buffer;
    private int base;

    /** Points this view at the stack starting at {@code offset}. */
    public JavaStackRecord wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.base = offset;
        return this;
    }

    /** When the handler ran, CLOCK_MONOTONIC. */
    public long nanos() {
        return buffer.getLong(base + NS);
    }

    /** The thread, as the JVM's PID namespace numbers it. */
    public int tid() {
        return buffer.getInt(base + TID);
    }

    /**
     * The frames that follow (innermost first); 0 when the thread had no Java frame; negative: why there is no stack
     * ({@link #NOT_JAVA}, {@link #NO_ENV}, or AsyncGetCallTrace's own codes -1 to -11).
     */
    public int frames() {
        return buffer.getInt(base + FRAMES);
    }

    public boolean truncated() {
        return buffer.getInt(base + TRUNCATED) != 0;
    }

    /** The bytes this stack takes in the buffer. */
    public int size() {
        return HEAD + Math.max(0, frames()) * FRAME;
    }

    /** The jmethodID of frame {@code i}. */
    public long method(int i) {
        return buffer.getLong(base + HEAD + i * FRAME + METHOD);
    }

    /** The bytecode index of frame {@code i}: -1 unknown, {@link #NATIVE_BCI} a native method. */
    public int bci(int i) {
        return buffer.getInt(base + HEAD + i * FRAME + BCI);
    }
}
