// SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0)
/*
 * Follows every block I/O request from the bio that started it to its completion, on BTF tracepoints
 * only, and writes one bf_request_record per finished request into the ring buffer.
 *
 *   sys_enter/sys_exit the system call each thread of the JVM is in (task storage)
 *   block_bio_queue    submitter's context: the task remembers the bio it queued, when, and its stack
 *   block_io_start     request allocated for that bio, still in the submitter's context (6.5+): the
 *                      lifecycle starts, issuer and system call from the current task
 *   block_rq_insert    into the scheduler or dispatch list
 *   block_rq_issue     dispatched to the driver
 *   block_rq_requeue   back from the driver
 *   block_rq_merge     merged into another request: this lifecycle ends without completing
 *   block_rq_complete  bytes completed, status; the final one ends the lifecycle and writes its record,
 *                      before the request's bios complete and wake their waiter
 *
 * With files on, a lifecycle's start also names the file its first bio's data belongs to, and dispatch counts
 * the files of the bios merged into it (files.bpf.h). With faultStacks, a bio a thread of the JVM queues in its own
 * context sends that thread the signal on which the agent takes its Java stack (java_stacks.bpf.h).
 *
 * block_io_done (6.5+) is not followed: it comes right after the final block_rq_complete on the same path,
 * so it would only cost a program run per request (and it fires after the data phase of a flush sequence
 * already, while the sequence's post-flush is still to come).
 *
 * Kernels before 6.5 have no block_io_start. There the issuer is kept per bio in the bios map
 * (block_split, block_getrq and the bio merge and completion tracepoints keep it right), and the lifecycle
 * starts at the first insert or issue.
 *
 * A lifecycle is keyed by the struct request * and numbered by a generation: the kernel keeps requests
 * in per-tag arrays and hands the same address out again after a free, so one address carries many
 * lifecycles, one after another. The requests map keeps one entry per address for good, so starting and
 * ending a lifecycle costs no map insert or delete. Nothing here ever merges two lifecycles.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "requests.h"
#include "shared_state.h"
#include "vthreads.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load. */
const volatile __u8 follow_writeback = 1; /* writeback of the JVM's dirty pages by other tasks is followed */
const volatile __u8 syscall_entry = 0;  /* sys_enter/sys_exit follow the JVM's threads (start times); else registers */
const volatile __u8 filter_devices = 0; /* only disks present in the selected_devices map */
const volatile __u8 has_io_start = 0;   /* block_io_start exists (6.5+): no bios map needed */
const volatile __u32 rqf_flush_seq = 1U << 4; /* RQF_FLUSH_SEQ's bit in rq_flags: it moved (native/collector.c) */
const volatile __u64 min_latency_ns = 0;
const volatile __u64 wakeup_bytes = 1;  /* wake the reader once this much data waits; it polls for less */
const volatile __u8 follow_paths = 0;   /* function-level mode: paths.bpf.c fills the paths map */
const volatile __u8 stack_mode = BF_STACKS_OFF;  /* enum bf_stack_mode */
const volatile __u32 sample_budget = 0;         /* BF_STACKS_SAMPLED: lifecycles a CPU picks per window, beyond firsts */
const volatile __u32 sample_kind_target = 1;    /* picks per kind and window the stride aims at (the loader: half the budget) */

/* The issuer as a request record names it, taken in the submitter's context. */
struct issuer {
	__u64 syscall_start_ns;
	__u64 cgroup;
	__u64 vthread;
	__u32 tgid;
	__u32 tid;
	__u32 host_tgid;
	__u32 host_tid;
	__s32 syscall_nr;
	__u32 pad;
	char comm[BF_COMM_LEN];
};

/* Kernels before 6.5: what the bio's submitter was, until the bio starts a request. */
struct bio_info {
	__u64 queue_ns;
	__u64 alloc_ns;
	__s32 submit_stack;
	__u8 kind;       /* for stack sampling */
	__u8 writeback;  /* wb_reason + 1 of the flusher that queued it, or 255: another task writing back JVM pages */
	__u16 weight;    /* picked for stage stacks, standing for this many requests; 0: not */
	struct issuer issuer;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20); /* resized by the loader */
} events SEC(".maps");

/* Local storage of each task that queues I/O or runs in the JVM; freed with the task. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} task_states SEC(".maps");

/* Kernels before 6.5 only: bios queued by an issuer in scope, until they start a request, merge into one,
 * or complete. Sized to one entry by the loader where block_io_start exists. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536); /* resized by the loader */
	__type(key, __u64);
	__type(value, struct bio_info);
} bios SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} selected_devices SEC(".maps");

/* Stack sampling, per CPU: one entry per kind of request and, at BF_SAMPLE_KINDS, the CPU's budget. */
struct sample_state {
	__u64 window; /* CLOCK_MONOTONIC >> BF_SAMPLE_WINDOW_SHIFT */
	__u32 seen;   /* lifecycles of the kind that started in the window */
	__u32 taken;  /* of them, chosen for stacks */
	__u32 stride; /* 1 in stride is chosen after the first, from the last window's count */
	__u32 left;   /* the CPU's entry: picks left in the window */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BF_SAMPLE_KINDS + 1);
	__type(key, __u32);
	__type(value, struct sample_state);
} sampling SEC(".maps");

/* Highest ring-buffer fill each CPU has seen, in bytes: how close the reader came to losing records. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ring_peak SEC(".maps");

/* The value a new address's entry starts from (a map value needs a map-backed pointer: .rodata is one). */
static const struct bf_request_state fresh_request_state = {};

/*
 * How a record of this size goes into the ring buffer: batched wake-ups (a wake-up per record costs 20-35% of
 * IOPS; the reader polls for smaller batches), and the fill it meets noted as the CPU's peak.
 */
static __always_inline __u64 ring_wakeup_flags(__u64 size)
{
	__u64 waiting = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + size;
	__u32 zero = 0;
	__u64 *peak = bpf_map_lookup_elem(&ring_peak, &zero);

	if (peak && waiting > *peak)
		*peak = waiting;
	return waiting >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

#include "files.bpf.h"
#include "java_stacks.bpf.h"

/*
 * Fields are read directly: tracepoint arguments are BTF pointers, which tp_btf programs may load from
 * (fault-safe, CO-RE relocated through vmlinux.h's preserve_access_index) without a probe-read helper
 * call per field.
 */

/* Before 5.12 a bio named its disk directly (bi_disk); since then it goes through bi_bdev. */
struct bio___pre_5_12 {
	struct gendisk *bi_disk;
} __attribute__((preserve_access_index));

/* Before 5.16 a request named its disk (rq_disk); since then it is the queue's disk. */
struct request___pre_5_16 {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));


/* include/linux/sched.h and errno.h values, stable ABI, not in BTF */
#define PF_KTHREAD_FLAG 0x00200000
#define ENOSYS_VALUE 38

/* The operation occupies the low REQ_OP_BITS (8) bits of cmd_flags on every kernel since 4.10. */
#define REQ_OP_MASK_ALL_KERNELS 0xffU

static __always_inline struct task_state *current_task_state(bool create)
{
	return bpf_task_storage_get(&task_states, bpf_get_current_task_btf(), 0,
				    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/* Marks the stage as run in the issuing thread when the current task is the issuer. */
static __always_inline void note_context(struct bf_request_record *rec, enum bf_stage stage)
{
	if (rec->host_tid && (__u32)bpf_get_current_pid_tgid() == rec->host_tid)
		rec->issuer_context |= 1 << stage;
	else
		rec->issuer_context &= ~(1 << stage);
}

static __always_inline __u32 disk_devt(struct gendisk *disk)
{
	if (!disk)
		return 0;
	return ((__u32)disk->major << 20) | (__u32)disk->first_minor;
}

static __always_inline __u32 bio_devt(struct bio *bio)
{
	if (bpf_core_field_exists(struct bio___pre_5_12, bi_disk))
		return disk_devt(((struct bio___pre_5_12 *)bio)->bi_disk);
	return disk_devt(bio->bi_bdev->bd_disk);
}

static __always_inline __u32 request_devt(struct request *rq)
{
	if (bpf_core_field_exists(struct request___pre_5_16, rq_disk))
		return disk_devt(((struct request___pre_5_16 *)rq)->rq_disk);
	return disk_devt(rq->q->disk);
}

static __always_inline bool device_selected(__u32 dev)
{
	return !filter_devices || bpf_map_lookup_elem(&selected_devices, &dev);
}

/* Maps the running kernel's enum req_op onto bf_op; the values moved (REQ_OP_ZONE_APPEND: 13 until 6.x, now 7). */
static __always_inline __u8 normalise_op(__u32 cmd_flags)
{
	__u32 op = cmd_flags & REQ_OP_MASK_ALL_KERNELS;

	if (op == bpf_core_enum_value(enum req_op, REQ_OP_READ))
		return BF_OP_READ;
	if (op == bpf_core_enum_value(enum req_op, REQ_OP_WRITE))
		return BF_OP_WRITE;
	if (op == bpf_core_enum_value(enum req_op, REQ_OP_FLUSH))
		return BF_OP_FLUSH;
	if (op == bpf_core_enum_value(enum req_op, REQ_OP_DISCARD))
		return BF_OP_DISCARD;
	if (op == bpf_core_enum_value(enum req_op, REQ_OP_SECURE_ERASE))
		return BF_OP_SECURE_ERASE;
	if (op == bpf_core_enum_value(enum req_op, REQ_OP_WRITE_ZEROES))
		return BF_OP_WRITE_ZEROES;
	if (bpf_core_enum_value_exists(enum req_op, REQ_OP_ZONE_APPEND) &&
	    op == bpf_core_enum_value(enum req_op, REQ_OP_ZONE_APPEND))
		return BF_OP_ZONE_APPEND;
	if (op == bpf_core_enum_value(enum req_op, REQ_OP_DRV_IN))
		return BF_OP_DRV_IN;
	if (op == bpf_core_enum_value(enum req_op, REQ_OP_DRV_OUT))
		return BF_OP_DRV_OUT;
	if (op >= bpf_core_enum_value(enum req_op, REQ_OP_ZONE_OPEN) &&
	    op <= bpf_core_enum_value(enum req_op, REQ_OP_ZONE_RESET_ALL))
		return BF_OP_ZONE_MGMT;
	return BF_OP_OTHER;
}

#define FLAG_IF_SET(cmd_flags, bit_name, bf_flag)                                                   \
	((bpf_core_enum_value_exists(enum req_flag_bits, bit_name) &&                                 \
	  ((cmd_flags) & (1U << bpf_core_enum_value(enum req_flag_bits, bit_name))))                  \
		 ? (bf_flag)                                                                           \
		 : 0)

/* Maps the running kernel's request flag bits (their positions move between kernels) onto bf_flag. */
static __always_inline __u32 normalise_flags(__u32 cmd_flags)
{
	return FLAG_IF_SET(cmd_flags, __REQ_SYNC, BF_FLAG_SYNC) |
	       FLAG_IF_SET(cmd_flags, __REQ_META, BF_FLAG_META) |
	       FLAG_IF_SET(cmd_flags, __REQ_FUA, BF_FLAG_FUA) |
	       FLAG_IF_SET(cmd_flags, __REQ_PREFLUSH, BF_FLAG_PREFLUSH) |
	       FLAG_IF_SET(cmd_flags, __REQ_RAHEAD, BF_FLAG_RAHEAD) |
	       FLAG_IF_SET(cmd_flags, __REQ_BACKGROUND, BF_FLAG_BACKGROUND) |
	       FLAG_IF_SET(cmd_flags, __REQ_PRIO, BF_FLAG_PRIO) |
	       FLAG_IF_SET(cmd_flags, __REQ_NOWAIT, BF_FLAG_NOWAIT) |
	       FLAG_IF_SET(cmd_flags, __REQ_IDLE, BF_FLAG_IDLE) |
	       FLAG_IF_SET(cmd_flags, __REQ_POLLED, BF_FLAG_POLLED) |
	       FLAG_IF_SET(cmd_flags, __REQ_NOMERGE, BF_FLAG_NOMERGE);
}

/* The kind of a bio or request for stack sampling (bpf/requests.h): operation class, three flags, context. */
static __always_inline __u8 sample_kind(__u32 cmd_flags, __u8 context)
{
	__u8 op = normalise_op(cmd_flags);
	__u32 flags = FLAG_IF_SET(cmd_flags, __REQ_META, 1) | FLAG_IF_SET(cmd_flags, __REQ_FUA, 2) |
		      FLAG_IF_SET(cmd_flags, __REQ_PREFLUSH, 2) | FLAG_IF_SET(cmd_flags, __REQ_RAHEAD, 4);
	__u8 class = op == BF_OP_READ ? BF_SAMPLE_OP_READ
		     : op == BF_OP_WRITE || op == BF_OP_ZONE_APPEND ? BF_SAMPLE_OP_WRITE
		     : op == BF_OP_FLUSH ? BF_SAMPLE_OP_FLUSH
		     : op == BF_OP_DISCARD || op == BF_OP_SECURE_ERASE || op == BF_OP_WRITE_ZEROES ? BF_SAMPLE_OP_RANGE
		     : BF_SAMPLE_OP_OTHER;

	return (class * 8 + (flags & 7)) * 6 + context;
}

/*
 * The family of a system call, by its x86-64 number (the collector runs on x86-64 only): reads, writes, the calls
 * that make data durable, and the rest.
 */
static __always_inline __u8 syscall_family(__s32 nr)
{
	switch (nr) {
	case 0: case 17: case 19: case 295: case 327: /* read, pread64, readv, preadv, preadv2 */
		return BF_SAMPLE_SYSCALL_READ;
	case 1: case 18: case 20: case 296: case 328: /* write, pwrite64, writev, pwritev, pwritev2 */
	case 40: case 275: case 326:                  /* sendfile, splice, copy_file_range */
		return BF_SAMPLE_SYSCALL_WRITE;
	case 74: case 75: case 277: case 26:          /* fsync, fdatasync, sync_file_range, msync */
	case 162: case 306:                           /* sync, syncfs */
		return BF_SAMPLE_SYSCALL_SYNC;
	default:
		return BF_SAMPLE_SYSCALL_OTHER;
	}
}

/*
 * Whether a new lifecycle gets its stage stacks, and how many requests of its kind it stands for (0: none).
 * Sampled mode, per CPU and window of 134 ms: the first lifecycle of each kind always (so that rare paths show:
 * flushes, metadata, faults, writeback; at most BF_SAMPLE_KINDS a window), then 1 in stride of the kind, the
 * stride from the kind's count in the window before (aiming at half the budget, so that a busy kind's picks
 * spread over the window), while the CPU's budget lasts. Short windows keep a kind that starts or speeds up from
 * spending the budget on its first moments for long. A picked lifecycle keeps all its stages' stacks, so its own
 * tree stays whole. Its weight, the stride it was picked at, goes into the record: a kind's windows are sampled
 * at different rates where its rate changes, and readers weight each pick by it (then scale the kind to its
 * exact count, which every request's record gives).
 */
static __always_inline __u16 pick_for_stacks(__u8 kind, __u64 now)
{
	__u32 cpu_key = BF_SAMPLE_KINDS, kind_key = kind;
	struct sample_state *cpu, *state;
	__u64 window = now >> BF_SAMPLE_WINDOW_SHIFT;

	if (stack_mode != BF_STACKS_SAMPLED)
		return stack_mode == BF_STACKS_ALL ? 1 : 0;
	cpu = bpf_map_lookup_elem(&sampling, &cpu_key);
	state = bpf_map_lookup_elem(&sampling, &kind_key);
	if (!cpu || !state)
		return 0;
	if (cpu->window != window) {
		cpu->window = window;
		cpu->left = sample_budget;
	}
	if (state->window != window) {
		state->stride = state->window + 1 == window && sample_kind_target ? state->seen / sample_kind_target + 1 : 1;
		state->window = window;
		state->seen = 0;
		state->taken = 0;
	}
	state->seen++;
	if (state->taken > 0) {
		if (!cpu->left || state->stride == 0 || state->seen % state->stride)
			return 0;
		cpu->left--;
	}
	state->taken++;
	/* A pick stands for the stride of requests around it: the first, and each 1 in stride after it. */
	return state->stride < 0xffff ? (__u16)state->stride : 0xffff;
}

/* Where on the disk the request is and what it asks for (the disk itself is read once, at the lifecycle's
 * start: it never changes). Flags accumulate: the flush machinery strips PREFLUSH and
 * FUA from a request once their phase is done, and the record keeps what the submitter asked for. */
static __always_inline void read_shape(struct request *rq, struct bf_request_record *rec)
{
	__u32 cmd_flags = rq->cmd_flags;

	rec->op = normalise_op(cmd_flags);
	rec->flags |= normalise_flags(cmd_flags);
	rec->sector = rq->__sector;
	rec->bytes = rq->__data_len;
}

/* Bios merged into the request (its bio chain minus one), read when no more merges can happen. */
static __always_inline __u16 count_merges(struct request *rq)
{
	struct bio *bio = rq->bio;
	__u32 bios = 0;

	for (int i = 0; i < BF_MAX_BIO_WALK; i++) {
		if (!bio)
			return bios ? bios - 1 : 0;
		bios++;
		bio = bio->bi_next;
	}
	return BF_MERGES_SATURATED;
}

/*
 * The system call the current task is in. For the JVM's threads with syscall_entry, from their task storage,
 * which sys_enter and sys_exit keep (number and start time). For every other issuer (other processes under
 * scope=all too), from the registers its entry saved (number only): x86-64's entry code stores the number
 * in orig_ax and -ENOSYS in ax, which keeps that value until the call returns; a page fault or a kernel
 * thread leaves something else in ax.
 */
static __always_inline void current_syscall(__u64 pid_tgid, __s32 *nr, __u64 *start_ns)
{
	struct task_struct *current;
	struct task_state *task;
	struct pt_regs *regs;

	*nr = BF_NO_SYSCALL;
	*start_ns = 0;
	if (syscall_entry && is_self(pid_tgid)) {
		task = current_task_state(false);
		if (task && task->syscall_nr >= 0) {
			*nr = (__s32)task->syscall_nr;
			*start_ns = task->syscall_start_ns;
		}
		return;
	}
	current = bpf_get_current_task_btf();
	if (current->flags & PF_KTHREAD_FLAG)
		return;
	regs = (struct pt_regs *)bpf_task_pt_regs(current);
	if (regs && regs->ax == (unsigned long)-ENOSYS_VALUE && (long)regs->orig_ax >= 0)
		*nr = (__s32)regs->orig_ax;
}

/* The submitter's context for stack sampling: a kernel thread, a user task outside a system call, or a call's family. */
static __always_inline __u8 submit_context(__u64 pid_tgid)
{
	struct task_struct *current = bpf_get_current_task_btf();
	__s32 nr;
	__u64 start;

	if (current->flags & PF_KTHREAD_FLAG)
		return BF_SAMPLE_KERNEL_THREAD;
	current_syscall(pid_tgid, &nr, &start);
	return nr >= 0 ? syscall_family(nr) : BF_SAMPLE_USER_OTHER;
}

/*
 * The current task as the issuer, written into any struct with the issuer's fields (a request record, whose
 * lifecycle starts in the issuer's context on 6.5+, or a bio's struct issuer before 6.5): its ids as the JVM's
 * PID namespace numbers them (what the JVM's thread ids and the recording use; 0 for a task that namespace does
 * not see) and in the initial namespace, its cgroup, command name and system call, and for a thread of the JVM the
 * virtual thread mounted on it (vthreads.bpf.h). A macro, so that the record is filled in place rather than through
 * a copy.
 */
#define FILL_ISSUER(pid_tgid, who)                                                                          \
	do {                                                                                                \
		struct bpf_pidns_info ns_ids;                                                               \
		(who)->host_tgid = (pid_tgid) >> 32;                                                        \
		(who)->host_tid = (__u32)(pid_tgid);                                                        \
		if (!pidns_ino) {                                                                           \
			(who)->tgid = (who)->host_tgid;                                                     \
			(who)->tid = (who)->host_tid;                                                       \
		} else if (!bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns_ids, sizeof(ns_ids))) { \
			(who)->tgid = ns_ids.tgid;                                                          \
			(who)->tid = ns_ids.pid;                                                            \
		} else {                                                                                    \
			(who)->tgid = 0;                                                                    \
			(who)->tid = 0;                                                                     \
		}                                                                                           \
		(who)->cgroup = bpf_get_current_cgroup_id();                                                \
		(who)->vthread = (who)->tgid == self_tgid ? mounted_vthread((who)->tid, BF_CARRIER_ISSUED) : 0; \
		bpf_get_current_comm((who)->comm, BF_COMM_LEN);                                             \
		current_syscall((pid_tgid), &(who)->syscall_nr, &(who)->syscall_start_ns);                 \
	} while (0)

/* Kernels before 6.5: the issuer a bio carried, into the record of the lifecycle it starts. */
static __always_inline void set_issuer(struct bf_request_record *rec, const struct issuer *who)
{
	rec->tgid = who->tgid;
	rec->tid = who->tid;
	rec->host_tgid = who->host_tgid;
	rec->host_tid = who->host_tid;
	rec->cgroup = who->cgroup;
	rec->vthread = who->vthread;
	rec->syscall_nr = who->syscall_nr;
	rec->syscall_start_ns = who->syscall_start_ns;
	__builtin_memcpy(rec->comm, who->comm, BF_COMM_LEN);
}

static __always_inline void lifecycle_end(struct bf_request_state *state);
static __always_inline void credit_dirtiers(struct bf_request_record *rec, struct request *rq, __u8 reason);

/*
 * Starts a lifecycle at the request's address and returns its record, empty but for its address and
 * generation, for the caller to fill in place (a record built on the stack and copied in would cost a
 * 144-byte copy per request). The entry is created the first time the address is seen and kept, so a new
 * lifecycle only rewrites it and raises its generation. NULL when the map is full (counted).
 */
static __always_inline struct bf_request_record *lifecycle_start(__u64 key)
{
	struct bf_request_state *state = bpf_map_lookup_elem(&requests, &key);
	struct bf_request_record *rec;
	__u32 generation;

	if (!state) {
		long err = bpf_map_update_elem(&requests, &key, &fresh_request_state, BPF_NOEXIST);

		if (err && err != -EEXIST) {
			count(BF_CNT_LOST_INFLIGHT_FULL);
			return NULL;
		}
		state = bpf_map_lookup_elem(&requests, &key);
		if (!state)
			return NULL;
	}
	if (state->active) {
		/* The kernel side never saw this lifecycle end (the tracepoint fired without running this
		 * program: seen on 6.18 for softirq completions, with ftrace recording them and no BPF
		 * recursion miss counted). Its issuer and earlier stages are known: record it as it is. */
		state->rec.status = BF_STATUS_END_UNSEEN;
		count(BF_CNT_END_UNSEEN);
		lifecycle_end(state);
	}
	rec = &state->rec;
	generation = rec->generation + 1;
	__builtin_memset(rec, 0, sizeof(*rec));
	rec->header.kind = BF_RECORD_REQUEST;
	rec->header.version = BF_LAYOUT_VERSION;
	rec->request = key;
	rec->generation = generation;
	rec->submit_stack = BF_NO_STACK;
	rec->insert_stack = BF_NO_STACK;
	rec->issue_stack = BF_NO_STACK;
	rec->complete_stack = BF_NO_STACK;
	rec->syscall_nr = BF_NO_SYSCALL;
	state->active = 1;
	count(BF_CNT_REQUESTS_STARTED);
	return rec;
}

/* The open lifecycle at the request's address, or NULL. */
static __always_inline struct bf_request_state *open_lifecycle(__u64 key)
{
	struct bf_request_state *state = bpf_map_lookup_elem(&requests, &key);

	return state && state->active ? state : NULL;
}

/*
 * Function-level mode: a new lifecycle's path starts empty, then takes the hits its issuing thread made on
 * it before it started: on its address since its bio was queued, and on its first bio (or the bio that bio
 * was split from) since the system call began. Runs in the issuer's context only (6.5+: block_io_start;
 * before: the first insert or issue when the issuer runs it), so hits of other threads cannot match.
 */
static __always_inline void start_path(struct bf_request_record *rec, struct request *rq)
{
	__u64 key = rec->request;
	struct bf_path_record *path = bpf_map_lookup_elem(&paths, &key);
	struct task_path_state *task;
	__u64 bio, parent;
	__u32 next;

	if (path)
		path_reset(path, rec->generation);
	if (!rec->host_tid || (__u32)bpf_get_current_pid_tgid() != rec->host_tid)
		return;
	task = bpf_task_storage_get(&task_paths, bpf_get_current_task_btf(), 0, 0);
	if (!task)
		return;
	bio = (__u64)rq->bio;
	parent = rq->bio ? (__u64)rq->bio->bi_private : 0;
	next = task->next;
	for (__u32 i = 0; i < BF_PENDING_HITS; i++) {
		struct bf_pending_hit *pending = &task->pending[(next + i) & (BF_PENDING_HITS - 1)];
		__u64 object = pending->object;
		bool mine = object && ((object == key && pending->ns >= rec->submit_ns) ||
				       ((object == bio || object == parent) && pending->ns >= rec->syscall_start_ns));

		if (!mine)
			continue;
		pending->object = 0;
		if (!path && !(path = lifecycle_path(key, rec->generation)))
			return;
		if (!path_append(path, pending->ns, pending->function, 1, pending->stack))
			count(BF_CNT_PATH_HITS_LOST);
	}
}

/* What a new lifecycle reads from its request once its issuer is filled in: where it goes and on which disk,
 * which file its data belongs to, and in function-level mode the hits its issuer made on it before it started.
 * now: the time if the caller has it, else 0; at_io_start: the caller is block_io_start (6.5+), whose kernels
 * all have bpf_rdonly_cast (files.bpf.h). */
static __always_inline void lifecycle_begun(struct bf_request_record *rec, struct request *rq, __u64 now, bool at_io_start)
{
	read_shape(rq, rec);
	rec->dev = request_devt(rq);
	if (follow_files)
		request_file(rec, rq, now, at_io_start);
	if (follow_paths)
		start_path(rec, rq);
}

/*
 * Function-level mode: the path of the lifecycle that just ended, if it has one. It goes into the same
 * ring-buffer sample as the request record, right behind it, so that a reader never sees one without the
 * other.
 */
static __always_inline struct bf_path_record *path_of(struct bf_request_record *rec)
{
	__u64 key = rec->request;
	struct bf_path_record *path = bpf_map_lookup_elem(&paths, &key);

	if (!path || path->generation != rec->generation || !(path->hits | path->overflow))
		return NULL;
	path->header.kind = BF_RECORD_PATH;
	path->header.version = BF_LAYOUT_VERSION;
	path->request = key;
	return path;
}

/* The request record, and its path behind it in the same sample; 0 or the error of a full ring buffer. */
static __always_inline long output_request(struct bf_request_record *rec, __u64 flags)
{
	struct bf_path_record *path = follow_paths ? path_of(rec) : NULL;
	struct {
		struct bf_request_record rec;
		struct bf_path_record path;
	} *both;

	if (!path)
		return bpf_ringbuf_output(&events, rec, sizeof(*rec), flags);
	both = bpf_ringbuf_reserve(&events, sizeof(*both), 0);
	if (!both)
		return -1;
	__builtin_memcpy(&both->rec, rec, sizeof(*rec));
	__builtin_memcpy(&both->path, path, sizeof(*path));
	path->hits = 0;
	path->overflow = 0;
	bpf_ringbuf_submit(both, flags);
	return 0;
}

static __always_inline void lifecycle_end(struct bf_request_state *state)
{
	struct bf_request_record *rec = &state->rec;
	__u64 start = rec->submit_ns ? rec->submit_ns : (rec->insert_ns ? rec->insert_ns : rec->issue_ns);

	if (min_latency_ns && rec->complete_ns && rec->complete_ns - start < min_latency_ns) {
		count(BF_CNT_BELOW_MIN_LATENCY);
	} else {
		if (output_request(rec, ring_wakeup_flags(sizeof(*rec))))
			count(BF_CNT_LOST_RINGBUF_FULL);
		else
			count(BF_CNT_REQUESTS_EMITTED);
	}
	state->active = 0;
}

/*
 * Kernels before 6.5: starts a lifecycle at the first insert or issue, from the request's first bio in
 * the bios map. A request whose bio is not there is not the JVM's (or was in flight when the collector
 * started); with scope=all it is still recorded, with an unknown issuer, unless only a known issuer will do.
 */
static __always_inline struct bf_request_record *lifecycle_start_from_bio(void *ctx, struct request *rq, __u64 key,
									   bool known_issuer_only)
{
	struct bf_request_record *rec;
	struct bio *bio = rq->bio;
	/* 6.1: by the first insert or issue, blk_insert_flush() has cleared REQ_PREFLUSH (and REQ_FUA where
	 * the disk has no FUA) from rq->cmd_flags; the bio still says what the submitter asked. Read before
	 * the lookup: 6.1's verifier forgets the pointer in a stack slot that went to a helper as a map key. */
	__u32 asked = bio ? normalise_flags(bio->bi_opf) : 0;
	struct bio_info *info = bio ? bpf_map_lookup_elem(&bios, &bio) : NULL;

	if (!info && (known_issuer_only || scope_mode != BF_SCOPE_ALL || !device_selected(request_devt(rq))))
		return NULL;
	rec = lifecycle_start(key);
	if (info) {
		if (rec) {
			rec->flags = asked;
			rec->origin = BF_ORIGIN_BIO;
			rec->submit_ns = info->queue_ns;
			rec->alloc_ns = info->alloc_ns;
			rec->submit_stack = info->submit_stack;
			rec->sample_kind = info->kind;
			rec->stack_weight = info->weight;
			rec->issuer_context = 1 << BF_STAGE_SUBMIT;
			set_issuer(rec, &info->issuer);
			if (info->writeback)
				credit_dirtiers(rec, rq, info->writeback);
		}
		bpf_map_delete_elem(&bios, &bio);
	} else if (rec) {
		/* Issuer unknown (the flush machinery, requests in flight at the start): sampled as kernel work. */
		rec->origin = BF_ORIGIN_UNKNOWN;
		rec->sample_kind = sample_kind(rq->cmd_flags, BF_SAMPLE_KERNEL_THREAD);
		rec->stack_weight = pick_for_stacks(rec->sample_kind, bpf_ktime_get_ns());
	}
	if (!rec)
		return NULL;
	lifecycle_begun(rec, rq, 0, false);
	return rec;
}

/*
 * The open lifecycle of rq at insert or issue. Kernels with block_io_start started it there; older ones
 * start it here, and recognise a new lifecycle by its first bio still waiting in the bios map.
 */
static __always_inline struct bf_request_record *lifecycle_at_dispatch(void *ctx, struct request *rq)
{
	__u64 key = (__u64)rq;
	struct bf_request_state *state = open_lifecycle(key);

	if (has_io_start)
		return state ? &state->rec : NULL;
	if (state) {
		struct bio *bio = rq->bio;

		if (!bio || !bpf_map_lookup_elem(&bios, &bio))
			return &state->rec;
	}
	return lifecycle_start_from_bio(ctx, rq, key, false);
}

/*
 * Writeback. A write bio that a task outside the scope queues (a flusher kernel thread, or another process
 * that writes the JVM's dirty pages back: sync, fsync of a shared file) is followed when its first page is in a
 * file the JVM has dirty pages in (dirtying.bpf.c). Only write bios pay for the look-up; their issuer stays the
 * task that queued them, and the request is credited to the thread that dirtied most of its pages.
 */
static __always_inline bool writes_back_jvm_pages(struct bio *bio)
{
	__u64 index, mapping;

	mapping = bio_page_cache(bio, &index);
	return mapping && bpf_map_lookup_elem(&dirty_files, &mapping);
}

/*
 * Whether a bio of a task outside the scope is the JVM's writeback, and its reason: pages the JVM dirtied, written
 * by a flusher (wb_reason + 1), the journal thread (BF_WRITEBACK_JOURNAL) or another task
 * (BF_WRITEBACK_OTHER_TASK); or the journal thread's log blocks of a transaction holding the JVM's changes. 0: not.
 */
static __always_inline __u8 jvm_writeback(struct bio *bio)
{
	struct bf_flusher *flusher;

	if (!follow_writeback || !bio || normalise_op(bio->bi_opf) != BF_OP_WRITE)
		return 0;
	flusher = bpf_task_storage_get(&flushers, bpf_get_current_task_btf(), 0, 0);
	if (writes_back_jvm_pages(bio))
		return flusher && flusher->reason ? flusher->reason : BF_WRITEBACK_OTHER_TASK;
	if (flusher && flusher->reason == BF_WRITEBACK_JOURNAL) {
		struct bf_journal_key key = { .dev = flusher->journal_dev, .tid = flusher->journal_tid };

		if (bpf_map_lookup_elem(&jvm_transactions, &key))
			return BF_WRITEBACK_JOURNAL;
	}
	return 0;
}

/* The dirtiers of a request's pages, tallied over its bios (one bpf_loop step each): by chunk, else by file. */
struct credit_walk {
	__u64 bio;         /* the next bio of the request */
	__u64 now;
	__u64 file;        /* a file of the JVM's the request writes, for the file-level credit */
	__u64 dirtier[BF_DIRTY_SLOTS]; /* bf_dirtier(): a thread and the virtual thread mounted on it */
	__u64 dirtied_ns[BF_DIRTY_SLOTS]; /* each one's latest dirtying of the chunks credited */
	__u32 pages[BF_DIRTY_SLOTS];
	__u32 tgid;
	__u32 threads;     /* distinct dirtiers seen, also beyond the slots */
};

static long credit_step(__u32 i, struct credit_walk *walk)
{
	struct bio *bio = (struct bio *)walk->bio;
	struct bf_dirty_chunk_key key;
	struct bf_dirty_chunk *chunk;
	__u64 index;

	if (!bio)
		return 1;
	walk->bio = (__u64)BPF_CORE_READ(bio, bi_next);
	key.mapping = bio_page_cache(bio, &index);
	if (!key.mapping)
		return 0;
	key.chunk = index >> BF_DIRTY_CHUNK_SHIFT;
	chunk = bpf_map_lookup_elem(&dirty_chunks, &key);
	if (!chunk) {
		if (!walk->file && bpf_map_lookup_elem(&dirty_files, &key.mapping))
			walk->file = key.mapping;
		return 0;
	}
	/* Credited: a later dirtying of the chunk starts its tally again. */
	chunk->written_ns = walk->now;
	walk->tgid = chunk->tgid;
	for (int c = 0; c < BF_DIRTY_SLOTS; c++) {
		__u64 dirtier = chunk->dirtier[c];
		bool placed = false;

		if (!dirtier)
			break;
		for (int t = 0; t < BF_DIRTY_SLOTS; t++) {
			if (walk->dirtier[t] == dirtier) {
				walk->pages[t] += chunk->pages[c];
				if (chunk->dirtied_ns[c] > walk->dirtied_ns[t])
					walk->dirtied_ns[t] = chunk->dirtied_ns[c];
				placed = true;
				break;
			}
			if (!walk->dirtier[t]) {
				walk->dirtier[t] = dirtier;
				walk->dirtied_ns[t] = chunk->dirtied_ns[c];
				walk->pages[t] = chunk->pages[c];
				walk->threads++;
				placed = true;
				break;
			}
		}
		if (!placed)
			walk->threads++;
	}
	return 0;
}

/* A journal commit's request: credited to the first thread of the JVM that waits for it in fsync, else shared. */
static __always_inline void credit_journal(struct bf_request_record *rec)
{
	struct bf_flusher *committer = bpf_task_storage_get(&flushers, bpf_get_current_task_btf(), 0, 0);
	struct bf_journal_key key;
	struct bf_journal_txn *txn;

	if (!committer)
		return;
	key.dev = committer->journal_dev;
	key.tid = committer->journal_tid;
	txn = bpf_map_lookup_elem(&jvm_transactions, &key);
	if (!txn)
		return;
	if (!txn->waiters) {
		rec->credit = BF_CREDIT_SHARED;
		return;
	}
	rec->credit = BF_CREDIT_FSYNC;
	rec->dirtier_tgid = txn->waiter_tgid;
	rec->dirtier_tid = txn->waiter_tid;
	rec->dirtier_vthread = txn->waiter_vthread;
	rec->dirtiers = txn->waiters;
	rec->dirtied_ns = txn->wait_ns;
}

/* Credits a writeback lifecycle to the thread that dirtied most of its pages (or its file's last dirtier). */
static __always_inline void credit_dirtiers(struct bf_request_record *rec, struct request *rq, __u8 reason)
{
	struct credit_walk walk = { .bio = (__u64)rq->bio, .now = bpf_ktime_get_ns() };
	__u32 best_pages = 0;
	__u64 best = 0, best_ns = 0;

	bpf_loop(BF_DIRTY_BIO_WALK, credit_step, &walk, 0);
	rec->writeback_reason = reason;
	count(BF_CNT_WRITEBACK_STARTED);
	if (walk.threads) {
		/* Unrolled: an index into a stack array taken from a variable makes clang OR the stack pointer. */
		for (int t = 0; t < BF_DIRTY_SLOTS; t++) {
			if (walk.dirtier[t] && walk.pages[t] >= best_pages && (walk.pages[t] > best_pages || !best)) {
				best = walk.dirtier[t];
				best_pages = walk.pages[t];
				best_ns = walk.dirtied_ns[t];
			}
		}
		rec->credit = BF_CREDIT_PAGES;
		rec->dirtier_tgid = walk.tgid;
		rec->dirtier_tid = (__u32)best;
		rec->dirtier_vthread = best >> 32;
		rec->dirtiers = walk.threads;
		/* The credited thread's own last dirtying (the chunk's last may be another thread's): what links the call. */
		rec->dirtied_ns = best_ns;
		return;
	}
	if (walk.file) {
		struct bf_dirty_file *file = bpf_map_lookup_elem(&dirty_files, &walk.file);

		if (file) {
			rec->credit = BF_CREDIT_FILE;
			rec->dirtier_tgid = file->tgid;
			rec->dirtier_tid = file->tid;
			rec->dirtier_vthread = file->vthread;
			rec->dirtiers = 1;
			rec->dirtied_ns = file->last_ns;
			return;
		}
	}
	if (reason == BF_WRITEBACK_JOURNAL)
		credit_journal(rec);
}

SEC("tp_btf/block_bio_queue")
int BPF_PROG(bio_queue, struct bio *bio)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_state *task = NULL;
	__u8 writeback = 0;
	__u64 now;
	__s32 stack;
	__u8 kind;
	__u16 weight;

	if (!in_scope(pid_tgid) && !(writeback = jvm_writeback(bio)))
		return 0;
	if (filter_devices && !device_selected(bio_devt(bio)))
		return 0;
	now = bpf_ktime_get_ns();
	kind = sample_kind(bio->bi_opf, submit_context(pid_tgid));
	weight = pick_for_stacks(kind, now);
	stack = weight ? take_stack(ctx) : BF_NO_STACK;
	if (has_io_start || (stack_signal && !writeback))
		task = current_task_state(true);
	if (stack_signal && !writeback && task)
		request_java_stack(task, pid_tgid, now);
	if (has_io_start) {
		if (!task) {
			count(BF_CNT_LOST_BIO_MAP_FULL);
			return 0;
		}
		task->bio = (__u64)bio;
		task->bio_queue_ns = now;
		task->bio_stack = stack;
		task->bio_kind = kind;
		task->bio_weight = weight;
	} else {
		struct bio_info info = { .queue_ns = now, .submit_stack = stack, .kind = kind, .weight = weight,
					 .writeback = writeback };
		__u64 key = (__u64)bio;

		FILL_ISSUER(pid_tgid, &info.issuer);
		if (bpf_map_update_elem(&bios, &key, &info, BPF_ANY)) {
			count(BF_CNT_LOST_BIO_MAP_FULL);
			return 0;
		}
	}
	count(BF_CNT_BIOS_QUEUED);
	return 0;
}

/* Kernels before 6.5: the front part of a split bio becomes the request; bio_chain() made its parent its
 * bi_private before the tracepoint fires, so it inherits the parent's submitter and queue time. */
SEC("tp_btf/block_split")
int BPF_PROG(bio_split, struct bio *split, unsigned int new_sector)
{
	__u64 parent = (__u64)split->bi_private;
	__u64 key = (__u64)split;
	struct bio_info *info;

	if (!parent)
		return 0;
	info = bpf_map_lookup_elem(&bios, &parent);
	if (info && bpf_map_update_elem(&bios, &key, info, BPF_ANY))
		count(BF_CNT_LOST_BIO_MAP_FULL);
	return 0;
}

static __always_inline void forget_bio(struct bio *bio)
{
	__u64 key = (__u64)bio;

	bpf_map_delete_elem(&bios, &key);
}

SEC("tp_btf/block_bio_backmerge")
int BPF_PROG(bio_backmerge, struct bio *bio)
{
	forget_bio(bio);
	return 0;
}

SEC("tp_btf/block_bio_frontmerge")
int BPF_PROG(bio_frontmerge, struct bio *bio)
{
	forget_bio(bio);
	return 0;
}

SEC("tp_btf/block_bio_complete")
int BPF_PROG(bio_complete, struct request_queue *q, struct bio *bio)
{
	forget_bio(bio);
	return 0;
}

/* Kernels without block_io_start: the request was just allocated for this bio, in the submitter's context. */
SEC("tp_btf/block_getrq")
int BPF_PROG(getrq, struct bio *bio)
{
	__u64 key = (__u64)bio;
	struct bio_info *info = bpf_map_lookup_elem(&bios, &key);

	if (info)
		info->alloc_ns = bpf_ktime_get_ns();
	return 0;
}

/*
 * A request was allocated for a bio, in the submitter's context (6.5+). The bio is the one this task
 * queued last, or the front part the block layer split from it (bio_chain() made that its bi_private).
 */
SEC("tp_btf/block_io_start")
int BPF_PROG(io_start, struct request *rq)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct bf_request_record *rec;
	struct task_state *task;
	struct bio *bio;
	__u64 now, submit_ns = 0;
	__s32 submit_stack = BF_NO_STACK;
	__u8 kind = 0, writeback = 0;
	__u16 weight = 0;

	bio = rq->bio;
	if (!in_scope(pid_tgid) && !(writeback = jvm_writeback(bio)))
		return 0;
	if (filter_devices && !device_selected(request_devt(rq)))
		return 0;
	now = bpf_ktime_get_ns();
	task = current_task_state(false);
	if (task && task->bio && bio &&
	    (task->bio == (__u64)bio || task->bio == (__u64)bio->bi_private)) {
		submit_ns = task->bio_queue_ns;
		submit_stack = task->bio_stack;
		kind = task->bio_kind;
		weight = task->bio_weight;
		task->bio = 0;
	}
	rec = lifecycle_start((__u64)rq);
	if (!rec)
		return 0;
	FILL_ISSUER(pid_tgid, rec);
	if (writeback)
		credit_dirtiers(rec, rq, writeback);
	rec->alloc_ns = now;
	rec->issuer_context = 1 << BF_STAGE_SUBMIT;
	if (submit_ns) {
		rec->origin = BF_ORIGIN_BIO;
		rec->submit_ns = submit_ns;
		rec->submit_stack = submit_stack;
		rec->sample_kind = kind;
		rec->stack_weight = weight;
	} else {
		rec->origin = BF_ORIGIN_TASK;
		rec->submit_ns = now;
		rec->sample_kind = sample_kind(rq->cmd_flags, submit_context(pid_tgid));
		rec->stack_weight = pick_for_stacks(rec->sample_kind, now);
		rec->submit_stack = rec->stack_weight ? take_stack(ctx) : BF_NO_STACK;
	}
	lifecycle_begun(rec, rq, now, true);
	return 0;
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(rq_insert, struct request *rq)
{
	struct bf_request_record *rec = lifecycle_at_dispatch(ctx, rq);

	if (!rec)
		return 0;
	if (!rec->insert_ns) {
		rec->insert_ns = bpf_ktime_get_ns();
		rec->insert_stack = rec->stack_weight ? take_stack(ctx) : BF_NO_STACK;
		note_context(rec, BF_STAGE_INSERT);
	}
	read_shape(rq, rec);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(rq_issue, struct request *rq)
{
	struct bf_request_record *rec = lifecycle_at_dispatch(ctx, rq);

	if (!rec) {
		count(BF_CNT_UNTRACKED);
		return 0;
	}
	rec->issue_ns = bpf_ktime_get_ns();
	rec->issue_stack = rec->stack_weight ? take_stack(ctx) : BF_NO_STACK;
	note_context(rec, BF_STAGE_ISSUE);
	read_shape(rq, rec);
	rec->merges = count_merges(rq);
	if (follow_files)
		other_files(rec, rq);
	return 0;
}

SEC("tp_btf/block_rq_requeue")
int BPF_PROG(rq_requeue, struct request *rq)
{
	struct bf_request_state *state = open_lifecycle((__u64)rq);

	if (state && state->rec.requeues < 0xffff)
		state->rec.requeues++;
	return 0;
}

/* rq was merged into another request and will be freed without completing; its bios complete with the survivor. */
SEC("tp_btf/block_rq_merge")
int BPF_PROG(rq_merge, struct request *rq)
{
	struct bf_request_state *state = open_lifecycle((__u64)rq);

	if (state) {
		state->active = 0;
		count(BF_CNT_MERGED_AWAY);
	}
	return 0;
}

/*
 * Is this block_rq_complete the last one? A partial completion leaves bytes for a later one. A request in a
 * flush sequence completes its data and then, with nothing left, once more when the sequence is done
 * (the flag cleared by then): only that ends it.
 */
static __always_inline bool completion_is_final(struct request *rq, struct bf_request_record *rec,
						unsigned int nr_bytes)
{
	__u32 remaining = rq->__data_len;

	if ((rq->rq_flags & rqf_flush_seq) && rec->op != BF_OP_FLUSH)
		return remaining == 0;
	return nr_bytes >= remaining;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	struct bf_request_state *state = open_lifecycle((__u64)rq);
	struct bf_request_record *rec;

	/* 6.1: the flush machinery serves an empty PREFLUSH write (blkdev_issue_flush, fdatasync) with its
	 * own flush request and never inserts or issues the submitter's request: this completion is its only
	 * trace, so its lifecycle starts here (insert and issue unseen, as they are where block_io_start is). */
	if (!state && !has_io_start && lifecycle_start_from_bio(ctx, rq, (__u64)rq, true))
		state = open_lifecycle((__u64)rq);
	if (!state)
		return 0;
	rec = &state->rec;
	rec->complete_ns = bpf_ktime_get_ns();
	rec->complete_stack = rec->stack_weight ? take_stack(ctx) : BF_NO_STACK;
	note_context(rec, BF_STAGE_COMPLETE);
	if (error && !rec->status)
		rec->status = error;
	if (completion_is_final(rq, rec, nr_bytes))
		lifecycle_end(state);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	struct task_state *task;

	if (!is_self(bpf_get_current_pid_tgid()))
		return 0;
	task = current_task_state(true);
	if (task) {
		task->syscall_nr = id;
		task->syscall_start_ns = bpf_ktime_get_ns();
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	struct task_state *task;

	if (!is_self(bpf_get_current_pid_tgid()))
		return 0;
	task = current_task_state(false);
	if (task)
		task->syscall_nr = BF_NO_SYSCALL;
	return 0;
}
