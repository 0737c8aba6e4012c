package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the first N blocks of a file one at a time with O_DIRECT from thread "scanner": more requests
 * than the device has request structures, so the kernel must hand addresses out again. Arguments:
 * the file, N.
 */
public final class SequentialReadWorkload {
    private SequentialReadWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int blocks = Integer.parseInt(args[1]);
        Thread scanner = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2 * LoopDevice.BLOCK_SIZE).alignedSlice(LoopDevice.BLOCK_SIZE);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                for (int block = 0; block < blocks; block++) {
                    buffer.clear().limit(LoopDevice.BLOCK_SIZE);
                    channel.read(buffer, (long) block * LoopDevice.BLOCK_SIZE);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "scanner");
        scanner.start();
        scanner.join();
        System.out.println("read " + blocks + " blocks");
    }
}
