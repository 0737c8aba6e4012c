package io.blkflight.it;

/** The JNI methods of agent/src/test/native/preader.c (native/target/test/libblkflight-preader.so). */
final class NativeReader {
    private NativeReader() {
    }

    /** Reads length bytes of the file from offset with the library's own pread calls; the bytes read, or -errno. */
    static native long pread0(String path, long offset, long length);

    /**
     * The same from a native thread that attaches to the JVM, reads 64 KiB, detaches, and reads the rest as a thread
     * the JVM no longer knows; 0, or -errno of the first read.
     */
    static native long detachedRead0(String path, long offset, long length);

    /** Drops the file's clean, unmapped pages from the page cache; 0 or -errno. */
    static native int dropCache0(String path);

    /** Installs a do-nothing handler on the signal, as other code using it would; 0 or -errno. */
    static native int takeSignal0(int signal);

    /** SIGRTMAX as the C library numbers it. */
    static native int realtimeMax0();

    /** SIGPROF every interval of CPU time, handled, as a sampling profiler's timer; 0 or -errno. */
    static native int profilingTimer0(int micros);
}
