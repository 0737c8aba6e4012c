package io.blkflight.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Cold scans of memory-mapped files, as search engines and key-value stores read: thread "scanner-a" reads one byte
 * per page of the first file in {@link #scanA}, thread "scanner-b" the second in {@link #scanB}, both through a
 * MappedByteBuffer. Each touch of a page not yet in the page cache faults, and the kernel reads it (and its
 * readahead) in that thread. FaultStacksIT finds the lines of the accesses by their comments. Arguments: the two
 * files, and how many passes over them (the first is cold; later ones let the JIT compile the loops, for which a
 * test drops the page cache between passes by reading the files' names from standard input).
 */
public final class MappedScanWorkload {
    private static final int PAGE = 4096;

    private MappedScanWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path first = Path.of(args[0]);
        Path second = Path.of(args[1]);
        long[] sums = new long[2];
        // "virtual" (JDK 21+): the scans run on virtual threads of those names.
        boolean virtual = args.length > 2 && args[2].equals("virtual");
        Thread a = thread(virtual, "scanner-a", () -> sums[0] = scanA(map(first)));
        Thread b = thread(virtual, "scanner-b", () -> sums[1] = scanB(map(second)));
        a.start();
        b.start();
        a.join();
        b.join();
        System.out.println("scanned " + sums[0] + " " + sums[1]);
    }

    private static Thread thread(boolean virtual, String name, Runnable task) {
        return virtual ? io.blkflight.report.VirtualThreadsWorkload.virtual(name, task) : new Thread(task, name);
    }

    static MappedByteBuffer map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long scanA(MappedByteBuffer map) {
        long sum = 0;
        for (int offset = 0; offset < map.capacity(); offset += PAGE) {
            sum += map.get(offset); // fault: scanA
        }
        return sum;
    }

    static long scanB(MappedByteBuffer map) {
        long sum = 0;
        for (int offset = 0; offset < map.capacity(); offset += PAGE) {
            sum += map.get(offset) * 31; // fault: scanB
        }
        return sum;
    }
}
