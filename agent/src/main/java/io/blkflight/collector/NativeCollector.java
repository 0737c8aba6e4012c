package io.blkflight.collector;

import io.blkflight.agent.Log;

import java.nio.ByteBuffer;

/**
 * The JNI binding of native/jni.c: one loaded and attached BPF request collector. Every native call
 * but {@link #await} is serialised here; the owner must not close it while a thread is in await.
 */
public final class NativeCollector implements AutoCloseable {
    /** How the kernel side is set up; see bf_collector_config in native/collector.h. */
    public record Settings(int targetTgid, int syscallTgid, int[] devices, long minLatencyNanos,
                           int ringBufferBytes, int maxInflight, int maxBios, int wakeupBytes, int stackEntries,
                           String btfPath) {
    }

    private long handle;
    private final String probes;
    private final int ringBufferBytes;

    private NativeCollector(long handle, String probes, int ringBufferBytes) {
        this.handle = handle;
        this.probes = probes;
        this.ringBufferBytes = ringBufferBytes;
    }

    /** Loads the BPF programs and attaches them; the library must be loaded (NativeLibrary). */
    public static NativeCollector open(Settings settings) throws CollectorException {
        long handle = open0(settings.targetTgid(), settings.syscallTgid(), settings.devices(),
                settings.minLatencyNanos(), settings.ringBufferBytes(), settings.maxInflight(), settings.maxBios(),
                settings.wakeupBytes(), settings.stackEntries(), settings.btfPath());
        return new NativeCollector(handle, probes0(handle), settings.ringBufferBytes());
    }

    /** Waits until the kernel signals a batch or the timeout passes; true when signalled. */
    public boolean await(int timeoutMillis) throws CollectorException {
        long h = handle;
        return h != 0 && await0(h, timeoutMillis) > 0;
    }

    /** Moves waiting records into the direct buffer; returns the bytes written (0: none waiting). */
    public synchronized int drain(ByteBuffer buffer) throws CollectorException {
        return handle == 0 ? 0 : drain0(handle, buffer);
    }

    /** The kernel side's counters, indexed by {@link Counter#ordinal()}. */
    public synchronized long[] counters() throws CollectorException {
        long[] values = new long[Counter.values().length];
        if (handle != 0) {
            counters0(handle, values);
        }
        return values;
    }

    /** The frame addresses (innermost first) of a kernel stack; returns how many were written. */
    public synchronized int stack(int id, long[] frames) throws CollectorException {
        return handle == 0 ? 0 : stack0(handle, id, frames);
    }

    public synchronized long ringBufferPeak() {
        return handle == 0 ? 0 : ringPeak0(handle);
    }

    /** Removes open lifecycles first seen before the CLOCK_MONOTONIC time; returns how many. */
    public synchronized long expire(long cutoffNanos) throws CollectorException {
        return handle == 0 ? 0 : expire0(handle, cutoffNanos);
    }

    public String probes() {
        return probes;
    }

    public int ringBufferBytes() {
        return ringBufferBytes;
    }

    /** CLOCK_MONOTONIC, the clock of every kernel timestamp in a record. */
    public static long monotonicNanos() {
        return monotonicNanos0();
    }

    /**
     * Reports every Java thread's start and end, with its kernel thread id, to
     * {@code io.blkflight.resolve.JavaThreads} through JVMTI.
     */
    public static void trackThreads() throws CollectorException {
        trackThreads0();
    }

    /** The record layout the library was compiled with, one "struct.field offset size" per line. */
    public static String layout() {
        return layout0();
    }

    @Override
    public synchronized void close() {
        if (handle != 0) {
            close0(handle);
            handle = 0;
        }
    }

    /** Called by the library for each libbpf log line (level: 0 warning, 1 info, 2 debug). */
    static void libbpfLog(int level, String line) {
        Log.debug("libbpf: " + line);
    }

    private static native long open0(int targetTgid, int syscallTgid, int[] devices, long minLatencyNanos,
                                     int ringBufferBytes, int maxInflight, int maxBios, int wakeupBytes,
                                     int stackEntries, String btfPath) throws CollectorException;

    private static native int stack0(long handle, int id, long[] frames) throws CollectorException;

    private static native int await0(long handle, int timeoutMillis) throws CollectorException;

    private static native int drain0(long handle, ByteBuffer buffer) throws CollectorException;

    private static native void counters0(long handle, long[] out) throws CollectorException;

    private static native long ringPeak0(long handle);

    private static native long expire0(long handle, long cutoffNanos) throws CollectorException;

    private static native String probes0(long handle);

    private static native void close0(long handle);

    private static native long monotonicNanos0();

    private static native String layout0();

    private static native void trackThreads0() throws CollectorException;
}
