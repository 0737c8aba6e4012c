package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * For PushIT: a thread named push-reader reads random 4 KiB blocks of a file with O_DIRECT for some seconds, a read
 * every millisecond; prints how many reads it made, and when main ends (epoch milliseconds).
 *   PushWorkload FILE SECONDS
 */
public final class PushWorkload {
    private PushWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long end = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        long[] reads = new long[1];
        Thread reader = new Thread(() -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(2 * LoopDevice.BLOCK_SIZE).alignedSlice(LoopDevice.BLOCK_SIZE);
                buffer.limit(LoopDevice.BLOCK_SIZE);
                long blocks = channel.size() / LoopDevice.BLOCK_SIZE;
                while (System.nanoTime() < end) {
                    buffer.clear().limit(LoopDevice.BLOCK_SIZE);
                    channel.read(buffer, ThreadLocalRandom.current().nextLong(blocks) * LoopDevice.BLOCK_SIZE);
                    reads[0]++;
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "push-reader");
        reader.start();
        reader.join();
        System.out.println("reads " + reads[0]);
        // When main ends, for PushIT's measure of how long the exit takes.
        System.out.println("main ends at " + System.currentTimeMillis());
    }
}
