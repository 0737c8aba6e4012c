package io.blkflight.kernels;

import io.blkflight.it.DirectIoPlan;
import io.blkflight.it.DirectIoWorkload;
import io.blkflight.it.IoCallEvent;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.SequentialReadWorkload;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM that runs inside each guest of the kernel matrix: the direct-I/O integration test's workload
 * ({@link DirectIoWorkload}, unchanged), then one more call that only a flush sequence can serve.
 *
 * <p>The thread {@value #DATASYNC_THREAD} overwrites block {@value #DATASYNC_BLOCK} of the data file
 * through the page cache and calls fdatasync ({@code FileChannel.force(false)}). The block is allocated
 * and nothing fdatasync cares about changed, so ext4 writes the block back and then, having no journal
 * commit to carry the cache flush, sends an empty write with PREFLUSH from the same thread
 * (blkdev_issue_flush). On a device with a volatile write cache the block layer's flush machinery serves
 * that request without ever dispatching it: it completes without an insert or issue of its own, which
 * kernels before 6.5 report only through block_rq_complete.
 *
 * <p>Last, {@link SequentialReadWorkload} reads the first {@value #SCAN_BLOCKS} blocks of
 * {@value #SCAN_FILE} one at a time: more requests than the disk has request structures, so the kernel
 * hands the same addresses out again, and each must still be a lifecycle of its own (before 6.5 one that
 * starts at its first dispatch, recognised by its first bio).
 */
public final class KernelMatrixWorkload {
    public static final String DATASYNC_THREAD = "datasyncer";
    public static final String DATASYNC_OPERATION = "fdatasync";
    public static final long DATASYNC_BLOCK = 60;
    public static final String SCAN_FILE = "scan.bin";
    public static final int SCAN_BLOCKS = 400;

    private KernelMatrixWorkload() {
    }

    public static void main(String[] args) throws Exception {
        DirectIoWorkload.main(args);
        Path file = Path.of(args[0]).resolve(DirectIoPlan.DATA);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                dataSync(file);
            } catch (Exception e) {
                failure.set(e);
            }
        }, DATASYNC_THREAD);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        System.out.println("datasync done");
        SequentialReadWorkload.main(new String[] {Path.of(args[0]).resolve(SCAN_FILE).toString(), Integer.toString(SCAN_BLOCKS)});
    }

    private static void dataSync(Path file) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(LoopDevice.BLOCK_SIZE);
        while (buffer.hasRemaining()) {
            buffer.put(DirectIoPlan.fill(DATASYNC_BLOCK));
        }
        buffer.flip();
        IoCallEvent call = new IoCallEvent();
        call.operation = DATASYNC_OPERATION;
        call.file = DirectIoPlan.DATA;
        call.block = DATASYNC_BLOCK;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            call.begin();
            channel.write(buffer, DATASYNC_BLOCK * LoopDevice.BLOCK_SIZE);
            channel.force(false);
            call.commit();
        }
    }
}
