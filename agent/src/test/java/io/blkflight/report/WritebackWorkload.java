package io.blkflight.report;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Writes through the page cache as storage engines do, for WritebackIT; the kernel's flusher threads write most
 * of it back after the writers are gone.
 * <ul>
 * <li>"log-appender" appends {@link #APPENDED} with FileOutputStream and never syncs;</li>
 * <li>"segment-writer" writes {@link #SEGMENT} with a FileChannel in two halves; after the first, "syncer" opens the
 * same file and fsyncs it (its requests are its own), the second half is left to the flushers;</li>
 * <li>"mapper" stores into every page of {@link #MAPPED} through a MappedByteBuffer, slowly enough for method
 * samples to see it, and never forces it.</li>
 * </ul>
 * Then it waits for the flushers (the test lowers vm.dirty_expire_centisecs). With "flood FILES" it instead
 * dirties FILES files of 4 KiB each, more than the kernel side remembers, then writes and syncs one more file
 * ({@link #AFTER_FLOOD}: requests after the flood).
 *
 * <p>Arguments: DIRECTORY threads WAIT_SECONDS, or DIRECTORY flood FILES WAIT_SECONDS.
 */
public final class WritebackWorkload {
    static final String APPENDED = "appender.log";
    static final String SEGMENT = "segment.dat";
    static final String MAPPED = "mapped.dat";
    static final String AFTER_FLOOD = "after-flood.dat";
    static final int APPENDED_MIB = 24;
    static final int SEGMENT_HALF_MIB = 8;
    static final int MAPPED_MIB = 8;
    private static final int CHUNK = 256 * 1024;
    private static final int PAGE = 4096;

    private WritebackWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        if (args[1].equals("flood")) {
            flood(directory, Integer.parseInt(args[2]));
            Thread.sleep(Long.parseLong(args[3]) * 1000);
            System.out.println("flood done");
            return;
        }
        CountDownLatch firstHalf = new CountDownLatch(1);
        CountDownLatch synced = new CountDownLatch(1);
        Thread appender = new Thread(() -> append(directory.resolve(APPENDED)), "log-appender");
        Thread segment = new Thread(() -> writeSegment(directory.resolve(SEGMENT), firstHalf, synced), "segment-writer");
        Thread syncer = new Thread(() -> syncSegment(directory.resolve(SEGMENT), firstHalf, synced), "syncer");
        Thread mapper = new Thread(() -> storeMapped(directory.resolve(MAPPED)), "mapper");
        for (Thread thread : new Thread[] {appender, segment, syncer, mapper}) {
            thread.start();
        }
        for (Thread thread : new Thread[] {appender, segment, syncer, mapper}) {
            thread.join();
        }
        // The writers have ended: the flushers write their pages back for threads that no longer exist.
        Thread.sleep(Long.parseLong(args[2]) * 1000);
        System.out.println("writeback done");
    }

    /** A log appender: FileOutputStream writes of 256 KiB, no sync. */
    static void append(Path file) {
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) 'a');
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            for (int i = 0; i < APPENDED_MIB * 4; i++) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A segment written by a FileChannel in two halves; the syncer fsyncs it between them. */
    static void writeSegment(Path file, CountDownLatch firstHalf, CountDownLatch synced) {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int half = 0; half < 2; half++) {
                for (int i = 0; i < SEGMENT_HALF_MIB * 4; i++) {
                    chunk.clear();
                    channel.write(chunk);
                }
                if (half == 0) {
                    firstHalf.countDown();
                    synced.await();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Another thread's fsync of the segment's first half: its requests are its own, in fsync. */
    static void syncSegment(Path file, CountDownLatch firstHalf, CountDownLatch synced) {
        try {
            firstHalf.await();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synced.countDown();
        }
    }

    /** Stores into every page of a shared mapping, computing a little between pages; never forced. */
    static void storeMapped(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, MAPPED_MIB << 20);
            long sum = 0;
            for (int page = 0; page < (MAPPED_MIB << 20) / PAGE; page++) {
                map.putLong(page * PAGE, page);
                long until = System.nanoTime() + 100_000;
                while (System.nanoTime() < until) {
                    sum += page;
                }
            }
            if (sum == 42) {
                System.out.println("unlikely");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dirties many small files at once, then writes and syncs one more (recorded after the flood). */
    static void flood(Path directory, int files) throws IOException {
        Path dir = Files.createDirectories(directory.resolve("flood"));
        byte[] block = new byte[PAGE];
        for (int i = 0; i < files; i++) {
            Files.write(dir.resolve("f" + i), block);
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(AFTER_FLOOD), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(1 << 20));
            channel.force(true);
        }
    }
}
