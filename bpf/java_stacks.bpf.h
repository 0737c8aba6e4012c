/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * Java stacks of faults and native system calls (faultStacks): when a thread of the JVM queues a bio, in its own
 * context (a page fault on a mapped file, or a system call, also one made by native code), the kernel side sends
 * that thread a signal with bpf_send_signal_thread. The kernel delivers it when the fault or the call returns to user
 * space, at the faulting instruction or the call's return; the agent's handler (native/java_stacks_handler.c) takes the
 * thread's Java stack there with AsyncGetCallTrace. Compiled into requests.bpf.c (block_bio_queue), after files.bpf.h.
 *
 * One signal per episode (java_stacks.h): while a thread's signal is pending, its further bios join the episode,
 * so that a fault's readahead or a call's many requests cost one signal and one stack. Never sent where it could
 * hurt the JVM: only to the JVM's own threads, only while the signal's handler is the agent's (a signal without a
 * handler would kill the process), never to a thread that blocks it, and at most a budget a second for the whole JVM;
 * each reason for not sending is counted.
 */
#ifndef BLKFLIGHT_JAVA_STACKS_BPF_H
#define BLKFLIGHT_JAVA_STACKS_BPF_H

#include "java_stacks.h"

/* Set by the loader: the signal (0: faultStacks off), the user-space address of the agent's handler for it, and the
 * signals the JVM may be sent in a window of 2^BF_SAMPLE_WINDOW_SHIFT ns. */
const volatile __u32 stack_signal = 0;
const volatile __u64 stack_signal_handler = 0;
const volatile __u32 stack_signal_budget = 0;

/* include/linux/sched.h, stable ABI, not in BTF: a task that exits, a kernel thread */
#define STACKS_PF_EXITING 0x00000004
#define STACKS_PF_KTHREAD 0x00200000

/*
 * The budget, for the whole JVM rather than per CPU: one busy thread (a cold scan) must be able to use all of it.
 * CPUs meeting a new window at once may each refill it, which can let a few more signals through at its start.
 */
struct stack_signal_window {
	__u64 window; /* CLOCK_MONOTONIC >> BF_SAMPLE_WINDOW_SHIFT */
	__s64 left;   /* signals that may still be sent in the window */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack_signal_window);
} stack_signal_windows SEC(".maps");

/* Whether the current task's handler for the signal is the agent's: read through addresses, not BTF pointers, as
 * the action's index is a number the verifier cannot bound in a BTF pointer's offset. */
static __always_inline bool agent_handles_signal(struct task_struct *current)
{
	__u64 sighand = 0, handler = 0;
	__u32 index = (stack_signal - 1) & 63;

	if (bpf_probe_read_kernel(&sighand, sizeof(sighand), &current->sighand) || !sighand)
		return false;
	sighand += bpf_core_field_offset(struct sighand_struct, action) +
		   (__u64)index * bpf_core_type_size(struct k_sigaction) + bpf_core_field_offset(struct sigaction, sa_handler);
	if (bpf_probe_read_kernel(&handler, sizeof(handler), (void *)sighand))
		return false;
	return handler == stack_signal_handler;
}

static __always_inline bool within_signal_budget(__u64 now)
{
	__u32 zero = 0;
	struct stack_signal_window *w = bpf_map_lookup_elem(&stack_signal_windows, &zero);
	__u64 window = now >> BF_SAMPLE_WINDOW_SHIFT;

	if (!w)
		return false;
	if (w->window != window) {
		w->window = window;
		w->left = stack_signal_budget;
	}
	/* A plain read first: past the budget a storm of faults costs no atomic operation each. */
	if (w->left <= 0)
		return false;
	return __sync_fetch_and_add(&w->left, -1) > 0;
}

/*
 * A bio the current task queued at now: opens an episode (sends the signal) unless one is pending for the task.
 * pid_tgid: the current task's; task: its storage.
 */
static __always_inline void request_java_stack(struct task_state *task, __u64 pid_tgid, __u64 now)
{
	struct task_struct *current = bpf_get_current_task_btf();
	__u64 bit = 1ULL << ((stack_signal - 1) & 63);
	struct bf_stack_signal_record *rec;
	struct bpf_pidns_info ns;

	if (!is_self(pid_tgid) || (current->flags & (STACKS_PF_KTHREAD | STACKS_PF_EXITING)))
		return;
	if (task->stack_signal_ns) {
		/* Still pending: the fault or call that queued the episode's first bio has not returned yet. */
		if (current->pending.signal.sig[0] & bit)
			return;
		task->stack_signal_ns = 0;
	}
	if (current->blocked.sig[0] & bit) {
		count(BF_CNT_STACK_SIGNALS_BLOCKED);
		return;
	}
	if (!agent_handles_signal(current)) {
		count(BF_CNT_STACK_SIGNALS_NO_HANDLER);
		return;
	}
	if (!within_signal_budget(now)) {
		count(BF_CNT_STACK_SIGNALS_OVER_BUDGET);
		return;
	}
	/* The record first: a signal whose episode user space never hears of would leave its stack unmatched. */
	rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);
	if (!rec) {
		count(BF_CNT_STACK_SIGNALS_RING_FULL);
		return;
	}
	if (bpf_send_signal_thread(stack_signal)) {
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
		count(BF_CNT_STACK_SIGNALS_FAILED);
		return;
	}
	rec->header.kind = BF_RECORD_STACK_SIGNAL;
	rec->header.version = BF_LAYOUT_VERSION;
	rec->ns = now;
	rec->host_tid = (__u32)pid_tgid;
	if (!pidns_ino)
		rec->tid = rec->host_tid;
	else
		rec->tid = bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)) ? 0 : ns.pid;
	/* A virtual thread's fault or call happens on its carrier: the stack the handler takes there is the virtual thread's. */
	rec->vthread = mounted_vthread(rec->tid, BF_CARRIER_ISSUED);
	bpf_ringbuf_submit(rec, ring_wakeup_flags(sizeof(*rec)));
	task->stack_signal_ns = now;
	count(BF_CNT_STACK_SIGNALS_SENT);
}

#endif /* BLKFLIGHT_JAVA_STACKS_BPF_H */
