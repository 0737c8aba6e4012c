package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Several kinds of request from named threads, one thread after another, for the stack-sampling test:
 * "dio-reader" O_DIRECT reads, "dio-writer" O_DIRECT writes, "buffered-reader" cold buffered reads
 * (readahead), "syncer" buffered writes made durable with fsync, "trimmer" truncations on a file system
 * mounted with discard and without a journal (the freeing system call itself discards). Arguments: a
 * directory on the journaled device, a directory on the discarding one, the O_DIRECT reads to make.
 */
public final class MixedKindsWorkload {
    private static final int BLOCK = LoopDevice.BLOCK_SIZE;

    private MixedKindsWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path trim = Path.of(args[1]);
        int reads = Integer.parseInt(args[2]);
        Path direct = data.resolve("direct.bin");
        Path cold = data.resolve("cold.bin");
        DirectBlocks.write(direct, 4096);
        DirectBlocks.write(cold, 2048); // never in the page cache: its buffered reads go to the disk
        run("dio-reader", () -> {
            try (FileChannel channel = FileChannel.open(direct, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                ByteBuffer buffer = DirectBlocks.aligned(BLOCK);
                Random random = new Random(1);
                for (int i = 0; i < reads; i++) {
                    buffer.clear();
                    channel.read(buffer, (long) random.nextInt(4096) * BLOCK);
                }
            }
        });
        run("dio-writer", () -> {
            try (FileChannel channel = FileChannel.open(direct, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                ByteBuffer buffer = DirectBlocks.aligned(BLOCK);
                for (int i = 0; i < 300; i++) {
                    buffer.clear();
                    channel.write(buffer, (long) (i * 7 % 4096) * BLOCK);
                }
            }
        });
        run("buffered-reader", () -> {
            try (FileChannel channel = FileChannel.open(cold, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
                while (channel.read(buffer) > 0) {
                    buffer.clear();
                }
            }
        });
        run("syncer", () -> {
            try (FileChannel channel = FileChannel.open(data.resolve("synced.bin"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                for (int i = 0; i < 50; i++) {
                    channel.write(ByteBuffer.allocate(4 * BLOCK), (long) i * 4 * BLOCK);
                    channel.force(true);
                }
            }
        });
        run("trimmer", () -> {
            for (int i = 0; i < 20; i++) {
                Path file = trim.resolve("trimmed-" + i + ".bin");
                DirectBlocks.write(file, 256);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
                Files.delete(file);
            }
        });
        System.out.println("workload done, pid " + ProcessHandle.current().pid());
    }

    private interface Io {
        void run() throws Exception;
    }

    private static void run(String name, Io io) throws InterruptedException {
        Thread thread = new Thread(() -> {
            try {
                io.run();
            } catch (Exception e) {
                throw new IllegalStateException(name + " failed", e);
            }
        }, name);
        thread.start();
        thread.join();
    }
}
