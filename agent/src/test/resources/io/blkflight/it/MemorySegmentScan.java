import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * FaultStacksIT's cold scans of mapped files through the foreign memory API (JDK 22 and later, run as a source file
 * by JDK 25's launcher, since the test classes are compiled for 17): thread "segment-a" reads one byte per page of
 * the first file in scanA, thread "segment-b" the second in scanB. The test finds the lines by their comments.
 */
public class MemorySegmentScan {
    private static final long PAGE = 4096;

    public static void main(String[] args) throws Exception {
        long[] sums = new long[2];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment first = map(arena, Path.of(args[0]));
            MemorySegment second = map(arena, Path.of(args[1]));
            Thread a = new Thread(() -> sums[0] = scanA(first), "segment-a");
            Thread b = new Thread(() -> sums[1] = scanB(second), "segment-b");
            a.start();
            b.start();
            a.join();
            b.join();
        }
        System.out.println("scanned " + sums[0] + " " + sums[1]);
    }

    static MemorySegment map(Arena arena, Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        }
    }

    static long scanA(MemorySegment segment) {
        long sum = 0;
        for (long offset = 0; offset < segment.byteSize(); offset += PAGE) {
            sum += segment.get(ValueLayout.JAVA_BYTE, offset); // fault: scanA
        }
        return sum;
    }

    static long scanB(MemorySegment segment) {
        long sum = 0;
        for (long offset = 0; offset < segment.byteSize(); offset += PAGE) {
            sum += segment.get(ValueLayout.JAVA_BYTE, offset) * 31; // fault: scanB
        }
        return sum;
    }
}
