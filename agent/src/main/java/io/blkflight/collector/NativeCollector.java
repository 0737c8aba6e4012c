package io.blkflight.collector;

import io.blkflight.agent.Log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The JNI binding of native/jni.c: one loaded and attached BPF request collector. Every native call
 * but {@link #await} is serialised here; the owner must not close it while a thread is in await.
 */
public final class NativeCollector implements AutoCloseable {
    /** enum bf_scope (bpf/requests.h): whose I/O the kernel side follows. */
    public static final int SCOPE_ALL = 0;
    public static final int SCOPE_SELF = 1;
    public static final int SCOPE_CGROUP = 2;

    /**
     * How the kernel side is set up; see bf_collector_config in native/collector.h.
     *
     * @param scope      SCOPE_ALL, SCOPE_SELF or SCOPE_CGROUP
     * @param selfTgid   the JVM's pid in its own PID namespace
     * @param pidNamespace the JVM's PID namespace, or {@link PidNamespace#INITIAL}
     * @param cgroupPath scope=cgroup: the JVM's cgroup v2 directory; otherwise null
     * @param maxFiles   files whose path the kernel side remembers as sent; 0: requests do not name their files
     * @param stackSignal faultStacks: the signal of {@link #startJavaStacks}; 0: no Java stacks of faults
     * @param stackSignalsPerSecond at most this many of those signals a second
     * @param carrierSlots virtual threads: slots of the carriers map (bpf/vthreads.h), a power of two; 0: not followed
     */
    public record Settings(int scope, int selfTgid, PidNamespace pidNamespace, String cgroupPath, int[] devices,
                           long minLatencyNanos, int ringBufferBytes, int maxInflight, int maxBios, int wakeupBytes,
                           int stackEntries, int stackMode, int stacksPerSecond, String btfPath, int pathEntries,
                           boolean syscallEntry, int maxFiles, boolean writeback, int stackSignal,
                           int stackSignalsPerSecond, int carrierSlots) {
    }

    /** Bit of {@link #filesEndIo()}: the direct-I/O completion function was found, so direct I/O is named. */
    public static final int END_IO_DIRECT = 1;

    /** enum bf_stack_mode (bpf/requests.h), in the order of AgentOptions.Stacks.Mode. */
    public static final int STACKS_OFF = 0;
    public static final int STACKS_SAMPLED = 1;
    public static final int STACKS_ALL = 2;

    /**
     * A PID namespace by the device and inode of its /proc/PID/ns/pid file, as the kernel's
     * bpf_get_ns_current_pid_tgid takes it; the initial namespace is given as inode 0 (the kernel side then uses
     * the tasks' own ids).
     */
    public record PidNamespace(long device, long inode) {
        public static final PidNamespace INITIAL = new PidNamespace(0, 0);
    }

    private long handle;
    private final String probes;
    private final String writebackProblem;
    private final int ringBufferBytes;

    private NativeCollector(long handle, String probes, String writebackProblem, int ringBufferBytes) {
        this.handle = handle;
        this.probes = probes;
        this.writebackProblem = writebackProblem;
        this.ringBufferBytes = ringBufferBytes;
    }

    /** Loads the BPF programs and attaches them; the library must be loaded (NativeLibrary). */
    public static NativeCollector open(Settings settings) throws CollectorException {
        long handle = open0(settings.scope(), settings.selfTgid(), settings.pidNamespace().device(),
                settings.pidNamespace().inode(), settings.cgroupPath(), settings.devices(), settings.minLatencyNanos(), settings.ringBufferBytes(), settings.maxInflight(), settings.maxBios(),
                settings.wakeupBytes(), settings.stackEntries(), settings.stackMode(), settings.stacksPerSecond(),
                settings.btfPath(), settings.pathEntries(),
                settings.syscallEntry(), settings.maxFiles(), settings.writeback(), settings.stackSignal(),
                settings.stackSignalsPerSecond(), settings.carrierSlots());
        return new NativeCollector(handle, probes0(handle), writebackProblem0(handle), settings.ringBufferBytes());
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

    /**
     * Every function of the kernel's BTF (or the file's) that takes a struct request * or struct bio * among
     * its first six parameters, one per line: "name btf_id argument kind" (kind 1 request, 2 bio).
     */
    public static String discoverFunctions(String btfPath) throws CollectorException {
        return discoverFunctions0(btfPath);
    }

    /** How function programs attach: fentry where allowed else kprobes, or only one of them. */
    public enum FunctionMode { AUTO, FENTRY, KPROBE }

    /** The functions attached, how, and the errno of each one that did not. */
    public record AttachedFunctions(FunctionMode mode, List<KernelFunctions.Candidate> attached,
                                    List<KernelFunctions.Skipped> failed) {
    }

    /**
     * Attaches a program to each function; a hit records the function's index in the list. Functions the
     * kernel refuses one by one are reported in {@code failed}; throws when it refuses function-level
     * tracing altogether (the request collector runs on).
     */
    public synchronized AttachedFunctions attachFunctions(List<KernelFunctions.Candidate> functions, boolean stacks,
                                                          FunctionMode mode) throws CollectorException {
        if (handle == 0) {
            throw new CollectorException("the collector is closed");
        }
        String[] names = functions.stream().map(KernelFunctions.Candidate::name).toArray(String[]::new);
        int[] args = functions.stream().mapToInt(KernelFunctions.Candidate::argument).toArray();
        int[] kinds = functions.stream().mapToInt(f -> f.kind() == KernelFunctions.Kind.BIO ? 2 : 1).toArray();
        int[] results = new int[names.length];
        int used = attachFunctions0(handle, names, args, kinds, stacks, mode.ordinal(), results);
        List<KernelFunctions.Candidate> attached = new ArrayList<>();
        List<KernelFunctions.Skipped> failed = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] == 0) {
                attached.add(functions.get(i));
            } else {
                failed.add(new KernelFunctions.Skipped(names[i], "the kernel refused it: " + errnoText(-results[i])));
            }
        }
        return new AttachedFunctions(used == 1 ? FunctionMode.FENTRY : FunctionMode.KPROBE, attached, failed);
    }

    /** The frame addresses (innermost first) of a kernel stack; returns how many were written. */
    public synchronized int stack(int id, long[] frames) throws CollectorException {
        return handle == 0 ? 0 : stack0(handle, id, frames);
    }

    /**
     * Makes the kernel side send the paths of these files again at their next request (user space no longer has
     * them): dev, ino pairs.
     */
    public synchronized void forgetFiles(long[] devInoPairs) throws CollectorException {
        if (handle != 0 && devInoPairs.length > 0) {
            forgetFiles0(handle, devInoPairs);
        }
    }

    /** The bio completion functions the kernel side found in /proc/kallsyms (bit 1 &lt;&lt; enum bf_end_io). */
    public synchronized int filesEndIo() {
        return handle == 0 ? 0 : filesEndIo0(handle);
    }

    /** The longest ring-buffer sample, in bytes: a drain stops while one more still fits. */
    public static int maxSample() {
        return maxSample0();
    }

    public synchronized long ringBufferPeak() {
        return handle == 0 ? 0 : ringPeak0(handle);
    }

    /** Whether {@link #close()} ran: counters and the ring-buffer peak read as zeros from then on. */
    public synchronized boolean closed() {
        return handle == 0;
    }

    /** Removes open lifecycles first seen before the CLOCK_MONOTONIC time; returns how many. */
    public synchronized long expire(long cutoffNanos) throws CollectorException {
        return handle == 0 ? 0 : expire0(handle, cutoffNanos);
    }

    public String probes() {
        return probes;
    }

    /**
     * Why the writeback programs (who dirtied which pages) are not running, or "" when they are: then writeback of
     * the JVM's pages by flusher threads is not followed.
     */
    public String writebackProblem() {
        return writebackProblem;
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

    /** The handler's counts, indexes of {@link #javaStackCounters()} (enum bf_java_stack_counter). */
    public static final int JAVA_STACKS_TAKEN = 0;
    public static final int JAVA_STACKS_BUFFER_FULL = 1;
    public static final int JAVA_STACKS_FOREIGN_SIGNALS = 2;
    public static final int JAVA_STACKS_HANDLER_NANOS = 3;
    private static final int JAVA_STACK_COUNTERS = 4;

    /**
     * faultStacks: sets up the signal handler that takes a thread's Java stack where the kernel side's signal is
     * delivered (and the JVMTI environment it needs), with room for {@code slots} stacks between two drains; returns
     * the signal, a real-time signal no other code handles. Once per JVM: a second call returns the same signal.
     */
    public static int startJavaStacks(int slots) throws CollectorException {
        return startJavaStacks0(slots);
    }

    /** Sets the signal to be ignored (never back to its default, which would end the JVM) and stops the JVMTI events. */
    public static void stopJavaStacks() {
        stopJavaStacks0();
    }

    /** Moves the Java stacks waiting into the direct buffer ({@code JavaStackRecord}s); returns the bytes written. */
    public static int drainJavaStacks(ByteBuffer buffer) throws CollectorException {
        return drainJavaStacks0(buffer);
    }

    /** The handler's counts: stacks taken, stacks without room, signals not from the kernel side, time in it. */
    public static long[] javaStackCounters() {
        long[] values = new long[JAVA_STACK_COUNTERS];
        javaStackCounters0(values);
        return values;
    }

    /** A Java thread of this JVM by its kernel thread id, found in a thread dump: the handler may walk its stack. */
    public static void javaThreadKnown(int tid) {
        javaThreadKnown0(tid);
    }

    /**
     * What a Java stack's jmethodID names, "class-signature TAB method TAB bci:line,...", or null when the method is
     * gone (its class was unloaded).
     */
    public static String methodInfo(long method) {
        return methodInfo0(method);
    }

    private static native int startJavaStacks0(int slots) throws CollectorException;

    private static native void stopJavaStacks0();

    private static native int drainJavaStacks0(ByteBuffer buffer) throws CollectorException;

    private static native void javaStackCounters0(long[] out);

    private static native void javaThreadKnown0(int tid);

    private static native String methodInfo0(long method);

    /**
     * Starts following virtual threads (JDK 21 and later): which one is mounted on each carrier, for the kernel side to
     * read where a carrier starts a request. Throws, saying why, where this JVM cannot.
     */
    public synchronized void trackVirtualThreads() throws CollectorException {
        if (handle == 0) {
            throw new CollectorException("the collector is closed");
        }
        trackVirtualThreads0(handle);
    }

    /** Stops following virtual threads (their callbacks return at once). */
    public static void untrackVirtualThreads() {
        untrackVirtualThreads0();
    }

    /**
     * Takes the virtual threads the kernel side saw start a request or dirty pages, handed over as they unmounted:
     * fills the arrays (thread, its id, what it did: {@code VirtualThreadIo} bits) and returns how many.
     */
    public static int takeVirtualThreads(Thread[] threads, long[] ids, int[] io) {
        return takeVirtualThreads0(threads, ids, io);
    }

    /** The virtual thread mounted on the carrier thread at this moment, or null. */
    public static Thread mountedVirtualThread(Thread carrier) {
        return mountedVirtualThread0(carrier);
    }

    /** Carriers that found no slot in the carriers map, and virtual threads the hand-over queue had no room for. */
    public static long[] virtualThreadCounters() {
        long[] counters = new long[2];
        virtualThreadCounters0(counters);
        return counters;
    }

    /** The record layout the library was compiled with, one "struct.field offset size" per line. */
    public static String layout() {
        return layout0();
    }

    /**
     * Detaches the tracepoint programs: no record is written after this (one being written on another CPU
     * at this moment completes), while the maps, the counters and what waits in the ring buffer stay
     * readable until {@link #close}.
     */
    public synchronized void detach() {
        if (handle != 0) {
            detach0(handle);
        }
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

    private static native long open0(int scope, int selfTgid, long pidnsDevice, long pidnsInode, String cgroupPath,
                                     int[] devices, long minLatencyNanos,
                                     int ringBufferBytes, int maxInflight, int maxBios, int wakeupBytes,
                                     int stackEntries, int stackMode, int stacksPerSecond, String btfPath,
                                     int pathEntries, boolean syscallEntry, int maxFiles, boolean writeback,
                                     int stackSignal, int stackSignalsPerSecond, int carrierSlots)
            throws CollectorException;

    private static native void trackVirtualThreads0(long handle) throws CollectorException;

    private static native void untrackVirtualThreads0();

    private static native int takeVirtualThreads0(Thread[] threads, long[] ids, int[] io);

    private static native Thread mountedVirtualThread0(Thread carrier);

    private static native void virtualThreadCounters0(long[] out);

    private static native void forgetFiles0(long handle, long[] pairs) throws CollectorException;

    private static native int filesEndIo0(long handle);

    private static native int maxSample0();

    private static native String discoverFunctions0(String btfPath) throws CollectorException;

    private static native int attachFunctions0(long handle, String[] names, int[] args, int[] kinds, boolean stacks,
                                               int mode, int[] results) throws CollectorException;

    private static native String errnoText0(int errno);

    private static native void detach0(long handle);

    /** The C library's text for an errno value, with the number. */
    public static String errnoText(int errno) {
        return errnoText0(errno) + " (errno " + errno + ")";
    }

    private static native int stack0(long handle, int id, long[] frames) throws CollectorException;

    private static native int await0(long handle, int timeoutMillis) throws CollectorException;

    private static native int drain0(long handle, ByteBuffer buffer) throws CollectorException;

    private static native void counters0(long handle, long[] out) throws CollectorException;

    private static native long ringPeak0(long handle);

    private static native long expire0(long handle, long cutoffNanos) throws CollectorException;

    private static native String probes0(long handle);

    private static native String writebackProblem0(long handle);

    private static native void close0(long handle);

    private static native long monotonicNanos0();

    private static native String layout0();

    private static native void trackThreads0() throws CollectorException;
}
