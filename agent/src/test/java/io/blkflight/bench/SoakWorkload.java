package io.blkflight.bench;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's application, mixed heavy I/O for a given time: three threads doing 4 KiB O_DIRECT random
 * reads and writes, one appending 64 KiB buffered writes with an fsync every megabyte, and a stream of
 * short-lived threads that each read a few blocks and end (the agent's thread table must not grow).
 * Arguments: directory, seconds.
 */
public final class SoakWorkload {
    private SoakWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        long end = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
        Path data = directory.resolve("random.bin");
        long blocks = Files.size(data) / 4096;
        AtomicLong operations = new AtomicLong();
        Thread[] workers = new Thread[5];
        for (int t = 0; t < 3; t++) {
            int index = t;
            workers[t] = new Thread(() -> random(data, blocks, end, index, operations), "random-" + (t + 1));
        }
        workers[3] = new Thread(() -> append(directory.resolve("log.bin"), end, operations), "appender");
        workers[4] = new Thread(() -> churn(data, blocks, end, operations), "churn");
        for (Thread worker : workers) {
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println("operations=" + operations.get());
    }

    private static void random(Path file, long blocks, long end, int seed, AtomicLong operations) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buffer = ByteBuffer.allocateDirect(8192).alignedSlice(4096);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            while (System.nanoTime() < end) {
                buffer.clear().limit(4096);
                long position = random.nextLong(blocks) * 4096;
                if (random.nextInt(10) < 7) {
                    channel.read(buffer, position);
                } else {
                    channel.write(buffer, position);
                }
                operations.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void append(Path file, long end, AtomicLong operations) {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        try {
            while (System.nanoTime() < end) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    for (int i = 0; i < 256 && System.nanoTime() < end; i++) {
                        chunk.clear();
                        channel.write(chunk);
                        if (i % 16 == 15) {
                            channel.force(true);
                        }
                        operations.incrementAndGet();
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void churn(Path file, long blocks, long end, AtomicLong operations) {
        int started = 0;
        while (System.nanoTime() < end) {
            int seed = started++;
            Thread shortLived = new Thread(() -> random(file, blocks, System.nanoTime() + 20_000_000L, seed, operations),
                    "short-" + seed);
            shortLived.start();
            try {
                shortLived.join();
                Thread.sleep(30);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
