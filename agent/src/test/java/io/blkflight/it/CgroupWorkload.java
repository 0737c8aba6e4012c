package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A JVM and a process it starts, in one cgroup: thread "cg-reader" reads the first N blocks of a file with
 * O_DIRECT, then a child dd reads the same blocks (once the agent runs, so the collector must see it).
 * Arguments: the file, N.
 */
public final class CgroupWorkload {
    private CgroupWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int blocks = Integer.parseInt(args[1]);
        Thread reader = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2 * LoopDevice.BLOCK_SIZE).alignedSlice(LoopDevice.BLOCK_SIZE);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                for (int block = 0; block < blocks; block++) {
                    buffer.clear().limit(LoopDevice.BLOCK_SIZE);
                    channel.read(buffer, (long) block * LoopDevice.BLOCK_SIZE);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "cg-reader");
        reader.start();
        reader.join();
        Process dd = new ProcessBuilder("dd", "if=" + file, "of=/dev/null", "bs=4k", "count=" + blocks, "iflag=direct",
                "status=none").inheritIO().start();
        System.out.println("dd pid " + dd.pid() + " exited with " + dd.waitFor());
        System.out.println("workload done, pid " + ProcessHandle.current().pid());
    }
}
