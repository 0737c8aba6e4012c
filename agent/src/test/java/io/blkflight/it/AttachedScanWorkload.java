package io.blkflight.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A running application the agent is attached to, whose code already uses the agent's favourite signal: it installs
 * a handler on SIGRTMAX-1 (through the test's JNI library) before the attach, and thread "early-scanner", which exists
 * before the agent, scans a mapped file after "go" on standard input (MappedScanWorkload.scanA). Arguments: the
 * library, the file.
 */
public final class AttachedScanWorkload {
    private AttachedScanWorkload() {
    }

    public static void main(String[] args) throws Exception {
        System.load(Path.of(args[0]).toAbsolutePath().toString());
        int taken = NativeReader.realtimeMax0() - 1;
        if (NativeReader.takeSignal0(taken) != 0) {
            throw new IllegalStateException("taking signal " + taken + " failed");
        }
        Path file = Path.of(args[1]);
        CountDownLatch go = new CountDownLatch(1);
        long[] sum = new long[1];
        Thread early = new Thread(() -> {
            try {
                go.await();
                sum[0] = MappedScanWorkload.scanA(MappedScanWorkload.map(file));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "early-scanner");
        early.start();
        System.out.println("ready " + ProcessHandle.current().pid() + " took " + taken);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (!"go".equals(in.readLine())) {
            Thread.onSpinWait();
        }
        go.countDown();
        early.join();
        System.out.println("done " + sum[0]);
    }
}
