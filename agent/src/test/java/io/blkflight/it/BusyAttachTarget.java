package io.blkflight.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * A JVM whose threads are in the middle of I/O when the agent attaches: three "busy-N" threads read the
 * file with O_DIRECT without pause from the start; after "go" on standard input they run one more second
 * and the program ends. Arguments: file, blocks.
 */
public final class BusyAttachTarget {
    private BusyAttachTarget() {
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of(args[0]);
        int blocks = Integer.parseInt(args[1]);
        for (int t = 0; t < 3; t++) {
            int index = t;
            Thread busy = new Thread(() -> BurstWorkload.read(file, Integer.MAX_VALUE, blocks, index * 7L), "busy-" + (t + 1));
            busy.setDaemon(true);
            busy.start();
        }
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (!"go".equals(in.readLine())) {
            Thread.onSpinWait();
        }
        Thread.sleep(1000);
        System.out.println("done");
    }
}
