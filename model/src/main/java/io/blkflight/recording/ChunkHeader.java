package io.blkflight.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * The 68 bytes that begin every JFR chunk: magic {@code FLR\0}, major and minor version, the chunk's size, the
 * offsets of its last constant pool and of its metadata, its start (epoch nanoseconds) and duration, start ticks,
 * ticks per second, and the file state byte followed by three flag bytes.
 *
 * <p>The JVM writes the header when it begins a chunk, rewrites it at every flush (each second, JDK 14 and later)
 * and once more when the chunk ends. The file state byte says which (jdk.jfr.internal.consumer.ChunkHeader): 0 for a
 * finished chunk, the flush generation (1 to 254) for one still being written, 255 while the header itself is being
 * rewritten. An unfinished chunk's size and offsets describe it as of its last flush: the events up to then, with
 * the constant pools and the metadata they need. The bytes after that size were written since, without their
 * constants, and no reader can use them. JDK 11 to 13 wrote a zero there in every chunk (the high byte of a
 * features word), which reads as finished.
 */
record ChunkHeader(int major, int minor, long size, long metadataOffset, long startNanos, long durationNanos,
                          int fileState) {
    static final int SIZE = 68;
    private static final byte[] MAGIC = {'F', 'L', 'R', 0};
    private static final int FILE_STATE_OFFSET = 64;
    private static final int UPDATING = 255;
    /** How often a header caught in the middle of its rewrite is read again: a live JVM rewrites it in microseconds. */
    private static final int REREADS = 20;

    /** The header at a position of a file, or empty when the bytes there are not one (no magic, another version). */
    static Optional<ChunkHeader> read(FileChannel file, long position) throws IOException {
        ChunkHeader header = readOnce(file, position);
        for (int i = 0; header != null && header.fileState == UPDATING && i < REREADS; i++) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            header = readOnce(file, position);
        }
        return Optional.ofNullable(header);
    }

    private static ChunkHeader readOnce(FileChannel file, long position) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(SIZE);
        while (bytes.hasRemaining()) {
            if (file.read(bytes, position + bytes.position()) < 0) {
                return null;
            }
        }
        bytes.flip();
        for (byte b : MAGIC) {
            if (bytes.get() != b) {
                return null;
            }
        }
        int major = bytes.getShort();
        int minor = bytes.getShort();
        if (major != 1 && major != 2) {
            return null;
        }
        long size = bytes.getLong();
        bytes.getLong(); // the last constant pool's offset: the reader follows it from the header itself
        long metadataOffset = bytes.getLong();
        long startNanos = bytes.getLong();
        long durationNanos = bytes.getLong();
        return new ChunkHeader(major, minor, size, metadataOffset, startNanos, durationNanos,
                Byte.toUnsignedInt(bytes.get(FILE_STATE_OFFSET)));
    }

    /** Whether the JVM finished the chunk (then its size is final). */
    boolean finished() {
        return fileState == 0;
    }

    /**
     * Whether an unfinished chunk holds events a reader can use: it was flushed at least once (a flush writes the
     * metadata) and its header was not caught in the middle of a rewrite (whose fields may be half old, half new).
     */
    boolean flushed() {
        return !finished() && fileState != UPDATING && metadataOffset > 0 && size >= SIZE;
    }

    /** When the chunk ends, or ended at its last flush, epoch nanoseconds. */
    long endNanos() {
        return startNanos + durationNanos;
    }

    /** Where the file state byte is in a chunk: a reader shown a copy with 0 there reads the chunk as finished. */
    static int fileStateOffset() {
        return FILE_STATE_OFFSET;
    }

    static boolean startsWithMagic(byte[] first) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= first.length || first[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
