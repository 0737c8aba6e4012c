package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Stacks begin in the kernel function that fired the tracepoint or was entered, not in the tracing machinery. */
class KernelStacksTest {
    @Test
    void aTracepointStackBeginsWhereTheTracepointFired() {
        assertThat(KernelStacks.withoutTracingFrames(List.of("bpf_prog_6deef7357e7b4530_rq_issue+0x1a6",
                "bpf_trace_run1+0x8c", "__bpf_trace_block_rq+0x9", "blk_mq_start_request+0xcf", "loop_queue_rq+0x25 [loop]")))
                .containsExactly("blk_mq_start_request+0xcf", "loop_queue_rq+0x25 [loop]");
    }

    @Test
    void anFentryStackBeginsInTheFunctionEntered() {
        // As recorded on Debian's 6.12 under qemu: the trampoline called from the function's patched entry.
        assertThat(KernelStacks.withoutTracingFrames(List.of("bpf_prog_1e2f_fentry_arg0+0x81 [bpf]",
                "bpf_trampoline_6442511111+0x43 [bpf]", "submit_bio+0x9", "submit_bio_noacct_nocheck+0x2b7")))
                .containsExactly("submit_bio+0x9", "submit_bio_noacct_nocheck+0x2b7");
    }

    @Test
    void aKprobeStackBeginsInTheFunctionEntered() {
        assertThat(KernelStacks.withoutTracingFrames(List.of("bpf_prog_77aa_kprobe_arg0+0x5b", "trace_call_bpf+0xc8",
                "kprobe_perf_func+0x4a", "kprobe_ftrace_handler+0x16e", "0xffffffffc03d70c8", "blk_mq_start_request+0x5",
                "virtio_queue_rq+0x1a [virtio_blk]")))
                .containsExactly("blk_mq_start_request+0x5", "virtio_queue_rq+0x1a [virtio_blk]");
    }

    @Test
    void aStackOfMachineryOnlyIsKeptAsItIs() {
        List<String> odd = List.of("bpf_prog_1+0x1", "bpf_trace_run1+0x8");
        assertThat(KernelStacks.withoutTracingFrames(odd)).isEqualTo(odd);
    }
}
