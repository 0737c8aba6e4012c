package io.blkflight.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * 4 KiB appends through the page cache to a file of the thread's own, each dirtying a fresh page, the file cut
 * back to nothing every {@link #WRAP} bytes: the dirtying a log or segment writer does, at its highest rate, for
 * the cost benchmark's buffered-write runs. Cutting the file drops its dirty pages before the flushers write them,
 * so what is measured is the cost of dirtying (the kernel side follows every page the JVM dirties), not of writeback.
 */
final class BufferedAppends implements AutoCloseable {
    static final long WRAP = 64L << 20;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RandomBlocks.BLOCK);
    private long position;

    BufferedAppends(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Appends one block; at the wrap, cuts the file back to nothing first. */
    void next() throws IOException {
        if (position == WRAP) {
            channel.truncate(0);
            position = 0;
        }
        buffer.clear();
        position += channel.write(buffer, position);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
