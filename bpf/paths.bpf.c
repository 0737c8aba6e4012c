// SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0)
/*
 * Function-level mode: every kernel function a request passes through. One copy of this object is loaded
 * per traced function (a fentry program is bound to its target at load), with the function's index in
 * function_id and only the program for the argument position that holds the struct request * (or
 * struct bio *) loaded. The maps are requests.bpf.c's own, shared by file descriptor.
 *
 * A hit on a request with an open lifecycle joins that lifecycle's path. A hit on a request before its
 * lifecycle started, or on a bio, waits in the task's pending ring; the lifecycle's start in the same task
 * takes the ones that are its own (see start_path in requests.bpf.c). So another process's request at a
 * reused address never lands in ours.
 *
 * Kernels without fentry (or where it is refused) get the kprobe programs instead, where kprobes exist.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "requests.h"
#include "shared_state.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load. */
const volatile __u16 function_id = 0;  /* index of this function among the ones attached */
const volatile __u8 argument_is_bio = 0; /* the traced argument is a struct bio *, not a struct request * */

/* The hit joins the path of the request's open lifecycle. */
static __always_inline void join_path(void *ctx, __u64 key, __u32 generation, __u32 issuer)
{
	struct bf_path_record *path = lifecycle_path(key, generation);

	if (path && !path_append(path, bpf_ktime_get_ns(), function_id,
				 issuer && (__u32)bpf_get_current_pid_tgid() == issuer, capture_stack(ctx)))
		count(BF_CNT_PATH_HITS_LOST);
}

/* The hit waits in the current task's pending ring for its request's lifecycle to start. */
static __always_inline void wait_in_task(void *ctx, __u64 object)
{
	struct task_path_state *task;
	struct bf_pending_hit *pending;
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	if (!in_scope(pid_tgid))
		return;
	task = bpf_task_storage_get(&task_paths, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!task)
		return;
	pending = &task->pending[task->next & (BF_PENDING_HITS - 1)];
	pending->object = object;
	pending->ns = bpf_ktime_get_ns();
	pending->function = function_id;
	pending->stack = capture_stack(ctx);
	task->next = (task->next + 1) & (BF_PENDING_HITS - 1);
}

static __always_inline int hit(void *ctx, void *object)
{
	__u64 key = (__u64)object;
	struct bf_request_state *state;

	if (!key)
		return 0;
	if (!argument_is_bio) {
		state = bpf_map_lookup_elem(&requests, &key);
		if (state && state->active) {
			join_path(ctx, key, state->rec.generation, state->rec.host_tid);
			return 0;
		}
	}
	wait_in_task(ctx, key);
	return 0;
}

/* The attach target is set by the loader; blk_mq_start_request is only what the section needs to name. */
SEC("fentry/blk_mq_start_request")
int BPF_PROG(fentry_arg0, void *a0)
{
	return hit(ctx, a0);
}

SEC("fentry/blk_mq_start_request")
int BPF_PROG(fentry_arg1, void *a0, void *a1)
{
	return hit(ctx, a1);
}

SEC("fentry/blk_mq_start_request")
int BPF_PROG(fentry_arg2, void *a0, void *a1, void *a2)
{
	return hit(ctx, a2);
}

SEC("fentry/blk_mq_start_request")
int BPF_PROG(fentry_arg3, void *a0, void *a1, void *a2, void *a3)
{
	return hit(ctx, a3);
}

SEC("fentry/blk_mq_start_request")
int BPF_PROG(fentry_arg4, void *a0, void *a1, void *a2, void *a3, void *a4)
{
	return hit(ctx, a4);
}

SEC("fentry/blk_mq_start_request")
int BPF_PROG(fentry_arg5, void *a0, void *a1, void *a2, void *a3, void *a4, void *a5)
{
	return hit(ctx, a5);
}

SEC("kprobe/blk_mq_start_request")
int BPF_KPROBE(kprobe_arg0, void *a0)
{
	return hit(ctx, a0);
}

SEC("kprobe/blk_mq_start_request")
int BPF_KPROBE(kprobe_arg1, void *a0, void *a1)
{
	return hit(ctx, a1);
}

SEC("kprobe/blk_mq_start_request")
int BPF_KPROBE(kprobe_arg2, void *a0, void *a1, void *a2)
{
	return hit(ctx, a2);
}

SEC("kprobe/blk_mq_start_request")
int BPF_KPROBE(kprobe_arg3, void *a0, void *a1, void *a2, void *a3)
{
	return hit(ctx, a3);
}

SEC("kprobe/blk_mq_start_request")
int BPF_KPROBE(kprobe_arg4, void *a0, void *a1, void *a2, void *a3, void *a4)
{
	return hit(ctx, a4);
}

/* libbpf 1.1's BPF_KPROBE stops at five arguments; the sixth of the x86-64 calling convention is in r9. */
SEC("kprobe/blk_mq_start_request")
int kprobe_arg5(struct pt_regs *ctx)
{
	return hit(ctx, (void *)ctx->r9);
}
