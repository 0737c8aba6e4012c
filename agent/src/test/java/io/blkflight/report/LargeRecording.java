package io.blkflight.report;

import io.blkflight.events.BlockRequestEvent;
import io.blkflight.events.EventTimes;
import io.blkflight.events.KernelStackEvent;
import io.blkflight.model.EventNames;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * Writes a recording of many block requests for measuring the report command on large inputs (a
 * benchmark, not a test): threads read a cached file (each read a jdk.FileRead event with its stack)
 * and commit a BlockRequest inside each read's window, naming kernel stacks taken from this machine's
 * real request paths. Arguments: output file, number of requests (default 1,000,000).
 */
public final class LargeRecording {
    private static final List<String> SUBMIT = List.of("submit_bio_noacct_nocheck+0x22d", "iomap_dio_bio_iter+0x319",
            "__iomap_dio_rw+0x527", "iomap_dio_rw+0xe", "ext4_file_read_iter+0x18b", "vfs_read+0x23a",
            "__x64_sys_pread64+0xa3", "do_syscall_64+0x71", "entry_SYSCALL_64_after_hwframe+0x76");
    private static final List<String> ISSUE = List.of("blk_mq_start_request+0xcf", "loop_queue_rq+0x25",
            "__blk_mq_issue_directly+0x44", "blk_mq_issue_direct+0x78", "blk_mq_dispatch_queue_requests+0x13c",
            "blk_mq_flush_plug_list+0x87", "__blk_flush_plug+0xee", "blk_finish_plug+0x28", "__iomap_dio_rw+0x56b",
            "iomap_dio_rw+0xe", "ext4_file_read_iter+0x18b", "vfs_read+0x23a", "__x64_sys_pread64+0xa3",
            "do_syscall_64+0x71", "entry_SYSCALL_64_after_hwframe+0x76");
    private static final List<String> COMPLETE = List.of("blk_update_request+0x1df", "blk_mq_end_request+0x1c",
            "blk_done_softirq+0x49", "handle_softirqs+0xcd", "run_ksoftirqd+0x2f", "smpboot_thread_fn+0xef",
            "kthread+0xf8", "ret_from_fork+0x151", "ret_from_fork_asm+0x1a");
    private static final int THREADS = 4;

    private LargeRecording() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args[0]);
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path data = Files.createTempFile("blkflight-large", ".bin");
        Files.write(data, new byte[64 * 4096]);
        FlightRecorder.register(BlockRequestEvent.class);
        FlightRecorder.register(KernelStackEvent.class);
        EventTimes<BlockRequestEvent> times = EventTimes.of(BlockRequestEvent.class);
        long started = System.nanoTime();
        try (Recording recording = new Recording()) {
            recording.enable(EventNames.BLOCK_REQUEST);
            recording.enable(EventNames.KERNEL_STACK);
            recording.enable(EventNames.FILE_READ).withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            List<List<String>> stacks = List.of(SUBMIT, ISSUE, COMPLETE);
            for (int id = 1; id <= stacks.size(); id++) {
                KernelStackEvent stack = new KernelStackEvent();
                stack.stackId = id;
                stack.frames = String.join("\n", stacks.get(id - 1));
                stack.depth = stacks.get(id - 1).size();
                stack.commit();
            }
            Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++) {
                int index = t;
                threads[t] = new Thread(() -> issue(data, requests / THREADS, index, times), "reader-" + (t + 1));
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            recording.stop();
            recording.dump(output);
        }
        Files.delete(data);
        System.out.printf("wrote %,d requests to %s (%,d bytes) in %d ms%n", requests, output, Files.size(output),
                (System.nanoTime() - started) / 1_000_000);
    }

    private static void issue(Path data, int count, int thread, EventTimes<BlockRequestEvent> times) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        try (FileChannel channel = FileChannel.open(data)) {
            for (int i = 0; i < count; i++) {
                long before = times.nowTicks();
                buffer.clear();
                channel.read(buffer, (i % 64) * 4096L);
                long after = times.nowTicks();
                BlockRequestEvent event = new BlockRequestEvent();
                // Inside the read's own window, as the bio of a real read would be, so that its jdk.FileRead links it.
                times.set(event, before + (after - before) / 2, Math.max(1, (after - before) / 4));
                event.device = "loop0";
                event.deviceNumber = "7:0";
                event.operation = i % 5 == 0 ? "write" : "read";
                event.flags = "sync";
                event.sector = 8L * (i % 100_000);
                event.bytes = 4096;
                event.allocationTime = 1_000 + i % 700;
                event.insertTime = Long.MIN_VALUE;
                event.queueTime = 3_000 + i % 1_100;
                event.serviceTime = 20_000 + (i * 7919L) % 50_000;
                event.status = "ok";
                event.osThreadId = 1000 + thread;
                event.pid = 999;
                event.comm = Thread.currentThread().getName();
                event.javaThread = Thread.currentThread();
                event.syscall = "pread64";
                event.syscallStart = before;
                event.requestAddress = 0xffff888100000000L + (i % 128) * 0x180L;
                event.generation = i / 128 + 1;
                event.origin = "bio";
                event.submitStack = 1;
                event.issueStack = 2;
                event.completeStack = 3;
                event.stagesInIssuer = "submit,issue";
                event.commit();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
