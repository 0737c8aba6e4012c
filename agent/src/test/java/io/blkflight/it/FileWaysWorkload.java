package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

/**
 * Every way a JVM makes block I/O on files, each in a thread named after it and on files of its own, so that
 * {@code FilesIT} can check each request's file against filefrag. Argument: the directory FilesIT prepared
 * (files of {@link #READ_FILES} and {@link #HOSTILE}, cold: the filesystem was mounted again); the files the
 * ways write are made here. Every way runs inside an IoCallEvent(operation = way, file = its file). Prints
 * "ways done" at the end.
 */
public final class FileWaysWorkload {
    /** Files FilesIT makes before the run, with their size in 4 KiB blocks. */
    public static final List<String> READ_FILES = List.of("read.bin", "pread.bin", "readv.bin", "mmap.bin", "sendfile.bin",
            "copy-source.bin", "direct.bin", "victim.bin");
    public static final int READ_BLOCKS = 256;
    /** Hostile names: a newline and a terminal sequence, the longest name (255 bytes), and a path deeper than the walk. */
    public static final String EVIL_NAME = "evil\nname\u001b[31m";
    public static final String LONG_NAME = "L".repeat(255);
    public static final int DEEP_LEVELS = 40;
    public static final List<String> HOSTILE = List.of("hostile/" + EVIL_NAME, "hostile/" + LONG_NAME, deepPath());
    /** Files the ways write. */
    public static final String WRITE = "write.bin";
    public static final String PWRITE = "pwrite.bin";
    public static final String WRITEV = "writev.bin";
    public static final String COPY_TARGET = "copy-target.bin";
    public static final String FLUSHED = "flushed.bin";
    public static final String SMALL = "small";
    public static final int SMALL_FILES = 64;
    /** victim.bin: O_DIRECT writes of its blocks, the file unlinked after VICTIM_BEFORE of them. */
    public static final int VICTIM_BEFORE = 64;
    /** A file written, read and deleted, then another made, which the filesystem gives the same inode number. */
    public static final String REUSED_FIRST = "reuse-first.bin";
    public static final String REUSED_SECOND = "reuse-second.bin";

    private static final int BLOCK = LoopDevice.BLOCK_SIZE;

    private FileWaysWorkload() {
    }

    public static String deepPath() {
        StringBuilder path = new StringBuilder("deep");
        for (int i = 0; i < DEEP_LEVELS; i++) {
            path.append(String.format("/d%02d", i));
        }
        return path.append("/deep.bin").toString();
    }

    private interface Way {
        void run() throws Exception;
    }

    /** Runs a way in a thread of its name, inside an IoCallEvent. */
    private static void way(String name, String file, Way way) throws Exception {
        Exception[] failure = new Exception[1];
        Thread thread = new Thread(() -> {
            IoCallEvent call = new IoCallEvent();
            call.operation = name;
            call.file = file;
            call.begin();
            try {
                way.run();
            } catch (Exception e) {
                failure[0] = e;
            }
            call.commit();
        }, name);
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw new IllegalStateException("way " + name + " failed", failure[0]);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(17);

        way("read", "read.bin", () -> {
            byte[] buffer = new byte[64 << 10];
            try (InputStream in = new FileInputStream(dir.resolve("read.bin").toFile())) {
                while (in.read(buffer) > 0) {
                    // read(2) through the page cache, with readahead
                }
            }
        });
        way("pread", "pread.bin", () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve("pread.bin"))) {
                ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
                for (int i = 0; i < 64; i++) {
                    buffer.clear();
                    channel.read(buffer, (long) random.nextInt(READ_BLOCKS) * BLOCK);
                }
            }
        });
        way("readv", "readv.bin", () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve("readv.bin"))) {
                ByteBuffer[] buffers = {ByteBuffer.allocate(16 << 10), ByteBuffer.allocate(16 << 10), ByteBuffer.allocate(32 << 10)};
                while (channel.read(buffers) > 0) {
                    for (ByteBuffer buffer : buffers) {
                        buffer.clear();
                    }
                }
            }
        });
        way("mmap", "mmap.bin", () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve("mmap.bin"))) {
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                long sum = 0;
                for (int i = 0; i < map.capacity(); i += BLOCK) {
                    sum += map.get(i);
                }
                System.out.println("mapped sum " + sum);
            }
        });
        way("sendfile", "sendfile.bin", () -> sendfile(dir.resolve("sendfile.bin")));
        way("copy", "copy-source.bin", () -> {
            try (FileChannel source = FileChannel.open(dir.resolve("copy-source.bin"));
                 FileChannel target = FileChannel.open(dir.resolve(COPY_TARGET), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                for (long done = 0; done < source.size(); ) {
                    done += source.transferTo(done, source.size() - done, target);
                }
                target.force(true);
            }
        });
        way("write", WRITE, () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve(WRITE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                for (int i = 0; i < 4; i++) {
                    channel.write(filled(64 << 10, i));
                }
                channel.force(true);
            }
        });
        way("pwrite", PWRITE, () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve(PWRITE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                for (int i = 0; i < 64; i++) {
                    channel.write(filled(BLOCK, i), (long) i * 2 * BLOCK);
                }
                channel.force(false);
            }
        });
        way("writev", WRITEV, () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve(WRITEV), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                for (int i = 0; i < 4; i++) {
                    channel.write(new ByteBuffer[] {filled(16 << 10, i), filled(48 << 10, i + 1)});
                }
                channel.force(true);
            }
        });
        way("direct", "direct.bin", () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve("direct.bin"), StandardOpenOption.READ, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
                for (int i = 0; i < 32; i++) {
                    buffer.clear();
                    channel.read(buffer, (long) i * 8 * BLOCK);
                    buffer.flip();
                    channel.write(buffer, (long) (i * 8 + 4) * BLOCK);
                }
            }
        });
        way("flusher", FLUSHED, () -> {
            try (FileChannel channel = FileChannel.open(dir.resolve(FLUSHED), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.write(filled(256 << 10, 7));
            }
            Files.createDirectories(dir.resolve(SMALL));
            for (int i = 0; i < SMALL_FILES; i++) {
                Files.write(dir.resolve(SMALL).resolve(String.format("f%02d", i)), filled(BLOCK, i).array());
            }
            // sync(2) hands the writeback to the kernel's flusher threads and waits for them.
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            if (sync.waitFor() != 0) {
                throw new IllegalStateException("sync failed");
            }
        });
        way("hostile", "hostile", () -> {
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            for (String file : HOSTILE) {
                try (FileChannel channel = FileChannel.open(dir.resolve(file))) {
                    buffer.clear();
                    channel.read(buffer, 0);
                }
            }
        });
        way("victim", "victim.bin", () -> victim(dir));
        way("reuse", REUSED_SECOND, () -> reuse(dir));
        System.out.println("ways done, pid " + ProcessHandle.current().pid());
    }

    /** O_DIRECT writes of victim.bin's blocks, the file unlinked half way (an IoCallEvent "unlink" around it). */
    private static void victim(Path dir) throws Exception {
        Path victim = dir.resolve("victim.bin");
        try (FileChannel channel = FileChannel.open(victim, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
            for (int i = 0; i < 2 * VICTIM_BEFORE; i++) {
                if (i == VICTIM_BEFORE) {
                    IoCallEvent unlink = new IoCallEvent();
                    unlink.operation = "unlink";
                    unlink.file = "victim.bin";
                    unlink.begin();
                    Files.delete(victim);
                    unlink.commit();
                }
                buffer.clear();
                channel.write(buffer, (long) i * BLOCK);
            }
        }
    }

    /**
     * A file written and read by O_DIRECT, deleted (an IoCallEvent "delete" around it), and a second one made and
     * read the same way: the filesystem hands the second the first one's inode number (printed), and the kernel
     * may give it the same struct inode; its requests must still name the second file.
     */
    private static void reuse(Path dir) throws Exception {
        long[] inodes = new long[2];
        String[] names = {REUSED_FIRST, REUSED_SECOND};
        for (int i = 0; i < 2; i++) {
            Path file = dir.resolve(names[i]);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.write(filled(16 * BLOCK, i));
                channel.force(true);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
                for (int block = 0; block < 16; block += 4) {
                    buffer.clear();
                    channel.read(buffer, (long) block * BLOCK);
                }
            }
            inodes[i] = (Long) Files.getAttribute(file, "unix:ino");
            if (i == 0) {
                IoCallEvent delete = new IoCallEvent();
                delete.operation = "delete";
                delete.file = names[0];
                delete.begin();
                Files.delete(file);
                delete.commit();
            }
        }
        System.out.println("reused inodes " + inodes[0] + " " + inodes[1]);
    }

    /** transferTo from the file to a socket of this process: sendfile(2), which reads the file through the page cache. */
    private static void sendfile(Path file) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread drain = new Thread(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
                    while (in.read(buffer) >= 0) {
                        buffer.clear();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "sendfile-drain");
            drain.start();
            try (FileChannel channel = FileChannel.open(file); SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                for (long done = 0; done < channel.size(); ) {
                    done += channel.transferTo(done, channel.size() - done, out);
                }
            }
            drain.join();
        }
    }

    private static ByteBuffer filled(int size, int seed) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            buffer.put(i, (byte) (seed * 31 + i / BLOCK));
        }
        return buffer;
    }
}
