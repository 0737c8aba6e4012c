package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the first N blocks of a file one at a time with O_DIRECT from thread "scanner": more requests
 * than the device has request structures, so the kernel must hand addresses out again. Arguments:
 * the file, N, and optionally the blocks each read takes (1 unless given).
 */
public final class SequentialReadWorkload {
    private SequentialReadWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int blocks = Integer.parseInt(args[1]);
        int perRead = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Thread scanner = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect((perRead + 1) * LoopDevice.BLOCK_SIZE).alignedSlice(LoopDevice.BLOCK_SIZE);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                for (int block = 0; block < blocks; block += perRead) {
                    buffer.clear().limit(perRead * LoopDevice.BLOCK_SIZE);
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
