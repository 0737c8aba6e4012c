package io.blkflight.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
        AtomicLong operations = new AtomicLong();
        Thread[] workers = new Thread[5];
        for (int t = 0; t < 3; t++) {
            int index = t;
            workers[t] = new Thread(() -> random(data, end, index, operations), "random-" + (t + 1));
        }
        workers[3] = new Thread(() -> append(directory.resolve("log.bin"), end, operations), "appender");
        workers[4] = new Thread(() -> churn(data, end, operations), "churn");
        for (Thread worker : workers) {
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println("operations=" + operations.get());
    }

    private static void random(Path file, long end, int seed, AtomicLong operations) {
        try (RandomBlocks io = new RandomBlocks(file, seed, 70)) {
            while (System.nanoTime() < end) {
                io.next();
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

    private static void churn(Path file, long end, AtomicLong operations) {
        int started = 0;
        while (System.nanoTime() < end) {
            int seed = started++;
            Thread shortLived = new Thread(() -> random(file, System.nanoTime() + 20_000_000L, seed, operations),
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
