package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A burst, then quiet, then a little more: threads "burst-N" read the file's blocks with O_DIRECT as
 * fast as they can, the program sleeps, then thread "after-burst" reads blocks 0..after-1 once each.
 * Arguments: file, threads, reads per thread, pause in ms, after-burst reads, blocks in the file.
 */
public final class BurstWorkload {
    private BurstWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int reads = Integer.parseInt(args[2]);
        long pause = Long.parseLong(args[3]);
        int after = Integer.parseInt(args[4]);
        int blocks = Integer.parseInt(args[5]);
        Thread[] burst = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            burst[t] = new Thread(() -> read(file, reads, blocks, index * 7919), "burst-" + (t + 1));
            burst[t].start();
        }
        for (Thread thread : burst) {
            thread.join();
        }
        Thread.sleep(pause);
        Thread late = new Thread(() -> read(file, after, blocks, -1), "after-burst");
        late.start();
        late.join();
        System.out.println("burst done");
    }

    /** Reads count blocks; with seed -1 blocks 0, 1, 2, ... in order, else spread by the seed. */
    static void read(Path file, int count, int blocks, long seed) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * LoopDevice.BLOCK_SIZE).alignedSlice(LoopDevice.BLOCK_SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            for (int i = 0; i < count; i++) {
                long block = seed < 0 ? i : Math.floorMod(seed + i * 31L, blocks);
                buffer.clear().limit(LoopDevice.BLOCK_SIZE);
                channel.read(buffer, block * LoopDevice.BLOCK_SIZE);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
