package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of the files-and-writeback fixture recording: access patterns a storage engineer tells apart, on
 * named files, at the same time.
 * <ul>
 * <li>"scanner" reads {@link #SCAN} from start to end with O_DIRECT in 64 KiB reads (sequential);</li>
 * <li>"seeker" reads 4 KiB blocks of {@link #INDEX} in a shuffled order with O_DIRECT (random);</li>
 * <li>"log-appender" appends {@link #LOG} through the page cache and never syncs, then ends: the kernel's flushers
 * write it back later (writeback credited to it);</li>
 * <li>"committer" writes {@link #COMMIT} through the page cache and fsyncs it (its own requests, in fsync).</li>
 * </ul>
 * Then it waits for the flushers (the recorder lowers vm.dirty_expire_centisecs). Arguments: DIRECTORY WAIT_SECONDS;
 * SCAN and INDEX must exist there, {@link #FILE_KIB} KiB each.
 */
public final class PatternWorkload {
    public static final String SCAN = "scan.dat";
    public static final String INDEX = "index.dat";
    public static final String LOG = "app.log";
    public static final String COMMIT = "commit.dat";
    public static final int FILE_KIB = 2048;
    private static final int SCAN_CHUNK = 64 * 1024;
    private static final int BLOCK = 4096;
    private static final int SEEKS = 48;

    private PatternWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        List<Thread> threads = List.of(
                new Thread(() -> scan(directory.resolve(SCAN)), "scanner"),
                new Thread(() -> seek(directory.resolve(INDEX)), "seeker"),
                new Thread(() -> append(directory.resolve(LOG)), "log-appender"),
                new Thread(() -> commit(directory.resolve(COMMIT)), "committer"));
        for (Thread thread : threads) {
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Thread.sleep(Long.parseLong(args[1]) * 1000);
        System.out.println("pattern workload done");
    }

    static void scan(Path file) {
        ByteBuffer buffer = DirectBlocks.aligned(SCAN_CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            for (long position = 0; position < FILE_KIB * 1024L; position += SCAN_CHUNK) {
                buffer.clear();
                channel.read(buffer, position);
                Thread.sleep(2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void seek(Path file) {
        List<Long> blocks = new ArrayList<>();
        for (long block = 0; block < FILE_KIB / 4; block += 7) {
            blocks.add(block);
        }
        Collections.shuffle(blocks, new Random(19));
        ByteBuffer buffer = DirectBlocks.aligned(BLOCK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            for (long block : blocks.subList(0, SEEKS)) {
                buffer.clear();
                channel.read(buffer, block * BLOCK);
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void append(Path file) {
        byte[] chunk = new byte[SCAN_CHUNK];
        java.util.Arrays.fill(chunk, (byte) 'l');
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            for (int i = 0; i < 2 * 1024 * 1024 / SCAN_CHUNK; i++) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void commit(Path file) {
        ByteBuffer chunk = ByteBuffer.allocate(SCAN_CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 4; i++) {
                chunk.clear();
                channel.write(chunk);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
