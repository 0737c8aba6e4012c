package io.blkflight.it;

/**
 * An application that leaves while its threads are in the middle of I/O: four daemon threads read the
 * file with O_DIRECT without pause; after a second the program returns from main ("return"), calls
 * System.exit(3) ("exit"), or waits to be killed ("wait", for SIGTERM). Arguments: file, blocks, mode.
 */
public final class ExitWorkload {
    private ExitWorkload() {
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of(args[0]);
        int blocks = Integer.parseInt(args[1]);
        for (int t = 0; t < 4; t++) {
            int index = t;
            Thread reader = new Thread(() -> BurstWorkload.read(file, Integer.MAX_VALUE, blocks, index * 104729L), "busy-" + (t + 1));
            reader.setDaemon(true);
            reader.start();
        }
        System.out.println("running");
        System.out.flush();
        Thread.sleep(1000);
        switch (args[2]) {
            case "return":
                return;
            case "exit":
                System.exit(3);
                break;
            default:
                Thread.sleep(Long.MAX_VALUE);
        }
    }
}
