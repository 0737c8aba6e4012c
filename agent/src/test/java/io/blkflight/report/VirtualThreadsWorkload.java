package io.blkflight.report;

import com.sun.nio.file.ExtendedOpenOption;

import io.blkflight.it.DirectBlocks;
import io.blkflight.it.LoopDevice;

import java.io.FileOutputStream;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Virtual threads doing block I/O, for VirtualThreadsIT (JDK 21 and later), more of them than the scheduler has
 * carriers (run it with -Djdk.virtualThreadScheduler.parallelism=2). One phase after another, in a directory on
 * the device:
 * <ol>
 * <li>"vt-reader-0".."vt-reader-7" read {@link #DIRECT} with O_DIRECT ({@link #READS} blocks each, their own
 * blocks), unnamed virtual threads read their own cold file through the page cache ({@code cold-N.bin}, each
 * printing "cold-N id ID"), and platform threads "pt-reader-0", "pt-reader-1" read their own blocks of
 * {@link #DIRECT} with O_DIRECT, all at once;</li>
 * <li>"vt-syncer-N" write their file through a FileChannel and force it after each write (fsync);</li>
 * <li>"vt-stream-N" write their file through a FileOutputStream and force it through the stream's channel;</li>
 * <li>"vt-appender-N" write their file through a FileOutputStream and end: the kernel's flushers write the pages
 * back later (VirtualThreadsIT lowers the dirty expiry);</li>
 * <li>"vt-custom-N" run on a scheduler of one platform thread, "custom-carrier", which between two of their turns
 * reads {@link #CARRIER} with O_DIRECT itself; they read {@link #DIRECT} and yield after each read, so that the
 * carrier mounts and unmounts them all the time;</li>
 * <li>"vt-pinned" reads while holding a monitor, sleeping in it between reads.</li>
 * </ol>
 * Arguments: the directory, then "wait SECONDS" to wait for the flushers before exiting; or the directory, then
 * "many N": N short-lived unnamed virtual threads, 64 at a time, each reading one block of {@link #MANY} with O_DIRECT
 * (thread i block i), as a service's request handlers would.
 */
public final class VirtualThreadsWorkload {
    static final String DIRECT = "direct.bin";
    static final String CARRIER = "carrier.bin";
    static final String MANY = "many.bin";
    static final int READERS = 8;
    static final int READS = 200;
    static final int BLOCKS = 4096;
    static final int COLD_FILES = 8;
    static final int COLD_BLOCKS = 128;
    static final int SYNCERS = 4;
    static final int SYNCS = 20;
    static final int STREAMS = 4;
    static final int APPENDERS = 2;
    static final int APPENDED_BLOCKS = 512;
    static final int CUSTOM = 4;
    static final int CUSTOM_READS = 50;
    static final int CARRIER_READS = 100;
    private static final int BLOCK = LoopDevice.BLOCK_SIZE;

    private VirtualThreadsWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        if (args.length > 2 && args[1].equals("many")) {
            many(directory.resolve(MANY), Integer.parseInt(args[2]));
            return;
        }
        long waitSeconds = args.length > 2 && args[1].equals("wait") ? Long.parseLong(args[2]) : 0;
        Path direct = directory.resolve(DIRECT);
        DirectBlocks.write(direct, BLOCKS);
        DirectBlocks.write(directory.resolve(CARRIER), BLOCKS);
        for (int i = 0; i < COLD_FILES; i++) {
            DirectBlocks.write(directory.resolve("cold-" + i + ".bin"), COLD_BLOCKS); // never in the page cache
        }

        List<Thread> phase = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            int first = i * READS;
            phase.add(virtual("vt-reader-" + i, () -> readDirect(direct, first, READS)));
        }
        for (int i = 0; i < COLD_FILES; i++) {
            Path cold = directory.resolve("cold-" + i + ".bin");
            Thread unnamed = virtual(null, () -> readBuffered(cold));
            System.out.println("cold-" + i + " id " + id(unnamed));
            phase.add(unnamed);
        }
        for (int i = 0; i < 2; i++) {
            int first = (READERS + i) * READS;
            phase.add(new Thread(() -> readDirect(direct, first, READS), "pt-reader-" + i));
        }
        runAll(phase);

        phase.clear();
        for (int i = 0; i < SYNCERS; i++) {
            Path file = directory.resolve("synced-" + i + ".bin");
            phase.add(virtual("vt-syncer-" + i, () -> writeAndForce(file)));
        }
        for (int i = 0; i < STREAMS; i++) {
            Path file = directory.resolve("stream-" + i + ".bin");
            phase.add(virtual("vt-stream-" + i, () -> streamAndForce(file)));
        }
        for (int i = 0; i < APPENDERS; i++) {
            Path file = directory.resolve("appended-" + i + ".bin");
            phase.add(virtual("vt-appender-" + i, () -> append(file)));
        }
        runAll(phase);

        runOnCustomCarrier(direct, directory.resolve(CARRIER));

        Object monitor = new Object();
        Thread pinned = virtual("vt-pinned", () -> {
            synchronized (monitor) {
                for (int i = 0; i < 20; i++) {
                    readDirect(direct, 3000 + i, 1);
                    sleep(1);
                }
            }
        });
        pinned.start();
        pinned.join();

        if (waitSeconds > 0) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(waitSeconds));
        }
        System.out.println("virtual threads done");
    }

    private static void many(Path file, int count) throws Exception {
        DirectBlocks.write(file, BLOCKS);
        java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(64);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            running.acquire();
            int block = i;
            Thread thread = virtual(null, () -> {
                try {
                    readDirect(file, block, 1);
                } finally {
                    running.release();
                }
            });
            thread.start();
            started.add(thread);
            if (started.size() == 1024) {
                for (Thread done : started) {
                    done.join();
                }
                started.clear();
            }
        }
        for (Thread done : started) {
            done.join();
        }
        System.out.println("virtual threads done");
    }

    private static void runAll(List<Thread> threads) throws InterruptedException {
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * Virtual threads on a scheduler of one platform thread ("custom-carrier", through the JDK's package-private
     * builder constructor its own tests use) that reads a block of its own file between two turns of theirs.
     */
    private static void runOnCustomCarrier(Path direct, Path carrierFile) throws Exception {
        LinkedBlockingQueue<Runnable> turns = new LinkedBlockingQueue<>();
        Thread carrier = new Thread(() -> {
            int block = 0;
            try {
                while (true) {
                    Runnable turn = turns.take();
                    if (turn == STOP) {
                        return;
                    }
                    turn.run();
                    if (block < CARRIER_READS) {
                        readDirect(carrierFile, block++, 1);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "custom-carrier");
        carrier.start();
        Executor scheduler = turns::add;
        Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
        Constructor<?> constructor = builderClass.getDeclaredConstructor(Executor.class);
        constructor.setAccessible(true);
        List<Thread> custom = new ArrayList<>();
        for (int i = 0; i < CUSTOM; i++) {
            int first = 2000 + i * CUSTOM_READS;
            Thread thread = unstarted(constructor.newInstance(scheduler), "vt-custom-" + i, () -> {
                for (int r = 0; r < CUSTOM_READS; r++) {
                    readDirect(direct, first + r, 1);
                    Thread.yield();
                }
            });
            thread.start();
            custom.add(thread);
        }
        for (Thread thread : custom) {
            thread.join();
        }
        turns.add(STOP);
        carrier.join();
    }

    private static final Runnable STOP = () -> { };

    /*
     * The virtual thread API through reflection: the test classes are compiled for Java 17, the workload runs on 21+.
     */

    /** An unstarted virtual thread of the default scheduler, named unless name is null. */
    public static Thread virtual(String name, Runnable task) {
        try {
            return unstarted(Thread.class.getMethod("ofVirtual").invoke(null), name, task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JDK has no virtual threads", e);
        }
    }

    private static Thread unstarted(Object builder, String name, Runnable task) throws ReflectiveOperationException {
        Class<?> api = Class.forName("java.lang.Thread$Builder");
        Object named = name == null ? builder : api.getMethod("name", String.class).invoke(builder, name);
        return (Thread) api.getMethod("unstarted", Runnable.class).invoke(named, task);
    }

    @SuppressWarnings("deprecation") // threadId() is Java 19's; getId() returns the same id.
    static long id(Thread thread) {
        return thread.getId();
    }

    /** O_DIRECT reads of count blocks from first on. */
    static void readDirect(Path file, int first, int count) {
        ByteBuffer buffer = DirectBlocks.aligned(BLOCK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            for (int i = 0; i < count; i++) {
                buffer.clear();
                channel.read(buffer, (long) ((first + i) % BLOCKS) * BLOCK);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void readBuffered(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(16 << 10);
            while (channel.read(buffer) > 0) {
                buffer.clear();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeAndForce(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < SYNCS; i++) {
                channel.write(ByteBuffer.allocate(4 * BLOCK), (long) i * 4 * BLOCK);
                channel.force(true);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void streamAndForce(Path file) {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            byte[] block = new byte[BLOCK];
            for (int i = 0; i < 64; i++) {
                out.write(block);
            }
            out.getChannel().force(true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void append(Path file) {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            byte[] block = new byte[BLOCK];
            for (int i = 0; i < APPENDED_BLOCKS; i++) {
                out.write(block);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
