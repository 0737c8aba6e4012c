package io.blkflight.model;

import java.util.List;

/** Requests for the model's tests, with stacks like the kernel's. */
final class Requests {
    static final List<String> SUBMIT = List.of("submit_bio_noacct_nocheck+0x22d", "iomap_dio_bio_iter+0x319",
            "__iomap_dio_rw+0x527", "iomap_dio_rw+0xe", "ext4_file_read_iter+0x18b", "vfs_read+0x23a",
            "__x64_sys_pread64+0xa3", "do_syscall_64+0x71", "entry_SYSCALL_64_after_hwframe+0x76");
    static final List<String> ISSUE = List.of("blk_mq_start_request+0xcf", "loop_queue_rq+0x25 [loop]",
            "__blk_mq_issue_directly+0x44", "__iomap_dio_rw+0x56b", "iomap_dio_rw+0xe", "ext4_file_read_iter+0x18b",
            "vfs_read+0x23a", "__x64_sys_pread64+0xa3", "do_syscall_64+0x71", "entry_SYSCALL_64_after_hwframe+0x76");
    static final List<String> COMPLETE = List.of("blk_update_request+0x1df", "blk_mq_end_request+0x1c",
            "blk_done_softirq+0x49", "handle_softirqs+0xcd", "run_ksoftirqd+0x2f", "smpboot_thread_fn+0xef",
            "kthread+0xf8", "ret_from_fork+0x151", "ret_from_fork_asm+0x1a");
    static final JavaLink READER = new JavaLink(JavaLink.Source.FILE_EVENT,
            List.of("sun.nio.ch.FileChannelImpl.read", "app.Store.load", "java.lang.Thread.run"), List.of(108, 42, 840));

    static final List<String> FLUSH = List.of("submit_bio_noacct_nocheck+0x23f", "ext4_io_submit+0x20",
            "ext4_do_writepages+0x3dd", "ext4_writepages+0xd7", "do_writepages+0xcf", "__writeback_single_inode+0x41",
            "writeback_sb_inodes+0x21f", "wb_writeback+0x2dd", "wb_workfn+0x3f2", "process_one_work+0x18c",
            "worker_thread+0x192", "kthread+0xfa", "ret_from_fork+0x166", "ret_from_fork_asm+0x1a");

    private Requests() {
    }

    /** A flusher's write of pages thread 7 ("appender") dirtied at the given time, of /data/app.log. */
    static BlockRequest.Builder writeback(long start, long duration, long dirtied) {
        return BlockRequest.builder().time(start, duration).where("loop0", "7:0", "write", "", 2048, 1 << 20)
                .stages(2_000, 3_000, 5_000, duration - 5_000)
                .issuer(0, 55, "kworker/u8:3", "appender", 7)
                .syscall("none", BlockRequest.NOT_AVAILABLE)
                .writeback("periodic", "pages", 1, dirtied)
                .file("/data/app.log", "file", 12, 0)
                .kernelStack(Stage.SUBMIT, FLUSH, true)
                .kernelStack(Stage.COMPLETE, COMPLETE, false);
    }

    static BlockRequest.Builder read(long start, long duration) {
        return BlockRequest.builder().time(start, duration).where("loop0", "7:0", "read", "sync", 17026, 4096)
                .stages(2_000, BlockRequest.NOT_AVAILABLE, 5_000, duration - 5_000)
                .issuer(100, 101, "reader", "reader", 7)
                .syscall("pread64", start - 1_000)
                .kernelStack(Stage.SUBMIT, SUBMIT, true)
                .kernelStack(Stage.ISSUE, ISSUE, true)
                .kernelStack(Stage.COMPLETE, COMPLETE, false);
    }
}
