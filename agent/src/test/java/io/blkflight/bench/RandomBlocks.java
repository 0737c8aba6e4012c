package io.blkflight.bench;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * 4 KiB O_DIRECT reads and writes of random blocks of one preallocated file, one call at a time: the I/O
 * that the cost benchmark, the soak and the record capture all drive. Depends on nothing but the JDK, so the
 * benchmark's workload JVMs keep a class path without the agent.
 */
final class RandomBlocks implements AutoCloseable {
    static final int BLOCK = 4096;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK);
    private final SplittableRandom random;
    private final long blocks;
    private final int readPercent;

    /** Opens the file for direct I/O; readPercent of the calls read, the others write. */
    RandomBlocks(Path file, long seed, int readPercent) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        this.random = new SplittableRandom(seed);
        this.blocks = channel.size() / BLOCK;
        this.readPercent = readPercent;
    }

    /** Reads or writes one random block. */
    void next() throws IOException {
        long position = random.nextLong(blocks) * BLOCK;
        buffer.clear().limit(BLOCK);
        if (random.nextInt(100) < readPercent) {
            channel.read(buffer, position);
        } else {
            channel.write(buffer, position);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
