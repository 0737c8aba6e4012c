package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** O_DIRECT helpers for the workloads: buffers aligned to the loop devices' block size, and files written around the page cache. */
public final class DirectBlocks {
    private static final int BLOCK = LoopDevice.BLOCK_SIZE;

    private DirectBlocks() {
    }

    /** A direct buffer of {@code bytes} (its limit) starting at a block boundary, as O_DIRECT needs. */
    public static ByteBuffer aligned(int bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes + BLOCK).alignedSlice(BLOCK);
        buffer.limit(bytes);
        return buffer;
    }

    /** Writes {@code blocks} blocks (a multiple of 64) from the file's start with O_DIRECT, 64 blocks a call. */
    public static void write(Path file, int blocks) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            ByteBuffer buffer = aligned(64 * BLOCK);
            for (int done = 0; done < blocks; done += 64) {
                buffer.clear();
                channel.write(buffer, (long) done * BLOCK);
            }
        }
    }
}
