package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

/**
 * A running application for the attach test. Thread "early-reader" exists before the agent is
 * attached; after "go" on standard input it reads block 1, then a new thread "late-reader" reads
 * block 2 (O_DIRECT, 4 KiB). Argument: the file.
 */
public final class AttachTargetWorkload {
    private AttachTargetWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        CountDownLatch go = new CountDownLatch(1);
        Thread early = new Thread(() -> {
            try {
                go.await();
                read(file, 1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "early-reader");
        early.start();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (!"go".equals(in.readLine())) {
            Thread.onSpinWait();
        }
        go.countDown();
        early.join();
        Thread late = new Thread(() -> read(file, 2), "late-reader");
        late.start();
        late.join();
        System.out.println("done");
    }

    private static void read(Path file, long block) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * LoopDevice.BLOCK_SIZE).alignedSlice(LoopDevice.BLOCK_SIZE);
        buffer.limit(LoopDevice.BLOCK_SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            channel.read(buffer, block * LoopDevice.BLOCK_SIZE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
