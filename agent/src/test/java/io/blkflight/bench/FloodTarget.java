package io.blkflight.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;

/**
 * The JVM the flood benchmark floods: runs under the agent, starts the Java threads that the flooded
 * records name as their issuers (as a storage engine's I/O threads would be), prints "pid=P tids=T,T,..."
 * and lives until its standard input closes; then it returns from main and the agent's recording is
 * written. Argument: the number of issuing threads.
 */
public final class FloodTarget {
    private FloodTarget() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        CountDownLatch started = new CountDownLatch(count);
        CountDownLatch stop = new CountDownLatch(1);
        List<String> tids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                try {
                    // /proc/thread-self names this thread's native id: "PID/task/TID".
                    String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
                    synchronized (tids) {
                        tids.add(self.substring(self.lastIndexOf('/') + 1));
                    }
                    started.countDown();
                    stop.await();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "flood-issuer-" + i);
            thread.start();
        }
        started.await();
        StringJoiner list = new StringJoiner(",");
        tids.forEach(list::add);
        System.out.println("pid=" + ProcessHandle.current().pid() + " tids=" + list);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            Thread.onSpinWait();
        }
        stop.countDown();
    }
}
