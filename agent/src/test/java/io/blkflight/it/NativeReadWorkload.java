package io.blkflight.it;

import java.nio.file.Path;

/**
 * Native code reading a file from a Java thread, as a storage engine reached through JNI does: thread "native-reader"
 * calls {@link NativeReader#pread0} from {@link #readThroughJni}, which reads the first file with the library's own
 * pread calls (no JDK file API, so no JFR file event). Then a native thread attaches to the JVM, reads the second
 * file, detaches and reads on: its late reads come from a thread the JVM no longer knows. FaultStacksIT finds the
 * line of the native call by its comment. Arguments: the library, the two files, the bytes to read of each.
 */
public final class NativeReadWorkload {
    private NativeReadWorkload() {
    }

    public static void main(String[] args) throws Exception {
        System.load(Path.of(args[0]).toAbsolutePath().toString());
        String first = args[1];
        String second = args[2];
        long length = Long.parseLong(args[3]);
        long[] read = new long[1];
        Thread reader = new Thread(() -> read[0] = readThroughJni(first, length), "native-reader");
        reader.start();
        reader.join();
        long detached = NativeReader.detachedRead0(second, 0, length);
        System.out.println("native read " + read[0] + " detached " + detached);
    }

    static long readThroughJni(String file, long length) {
        return NativeReader.pread0(file, 0, length); // native: readThroughJni
    }
}
