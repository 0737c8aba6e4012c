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
}
