// SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0)
/*
 * Follows every block I/O request from the bio that started it to its completion, on BTF tracepoints
 * only, and writes one bf_request_record per finished request into the ring buffer.
 *
 *   block_bio_queue   submitter's context: remember issuer, syscall and time per bio
 *   block_split       the front part of a split bio inherits what its parent had
 *   block_io_start    request allocated for a bio, submitter's context (6.5+): the lifecycle starts
 *   block_getrq       the same moment on kernels without block_io_start: noted on the bio
 *   block_rq_insert   into the scheduler or dispatch list
 *   block_rq_issue    dispatched to the driver
 *   block_rq_requeue  back from the driver
 *   block_rq_merge    merged into another request: this lifecycle ends without completing
 *   block_rq_complete bytes completed, status
 *   block_io_done     accounting done (6.5+): the lifecycle ends
 *
 * A lifecycle is keyed by the struct request * and numbered by a generation: the kernel keeps requests
 * in per-tag arrays and hands the same address out again after a free, so one address carries many
 * lifecycles, one after another. Nothing here ever merges two of them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "requests.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load. */
const volatile __u32 target_tgid = 0;   /* scope=self: only I/O submitted by this process; 0 means scope=all */
const volatile __u32 syscall_tgid = 0;  /* the process whose threads' system calls are followed */
const volatile __u8 filter_devices = 0; /* only disks present in the selected_devices map */
const volatile __u8 has_io_start = 0;   /* block_io_start exists (6.5+); else block_getrq marks allocation */
const volatile __u8 has_io_done = 0;    /* block_io_done exists (6.5+); else the final block_rq_complete ends */
const volatile __u64 min_latency_ns = 0;
const volatile __u64 wakeup_bytes = 1;  /* wake the reader once this much data waits; it polls for less */
const volatile __u8 collect_stacks = 1; /* a kernel stack per stage (stacks=off saves the unwinding) */

/* errno values are ABI; vmlinux.h does not carry the macros. */
#define EEXIST 17

struct bio_info {
	__u64 queue_ns;
	__u64 alloc_ns;
	__u64 syscall_start_ns;
	__u32 tgid;
	__u32 tid;
	__s32 syscall_nr;
	__s32 submit_stack;
	char comm[BF_COMM_LEN];
};

struct thread_syscall {
	__u64 start_ns;
	__s64 nr;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20); /* resized by the loader */
} events SEC(".maps");

/* Open lifecycles. Bounded: a lifecycle that finds it full is counted lost, never silently dropped. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384); /* resized by the loader */
	__type(key, __u64);
	__type(value, struct bf_request_record);
} inflight SEC(".maps");

/* Bios queued by an issuer in scope, until they start a request, merge into one, or complete. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536); /* resized by the loader */
	__type(key, __u64);
	__type(value, struct bio_info);
} bios SEC(".maps");

/* Lifecycles seen per request address. LRU: an evicted address starts counting again at 1. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u32);
} generations SEC(".maps");

/* The system call each thread of syscall_tgid is in (nr < 0: none). LRU: exited threads age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct thread_syscall);
} syscalls SEC(".maps");

/*
 * Kernel stacks by id. Entries are never deleted, so an id names the same stack for the collector's whole
 * life and user space can cache it; a stack whose bucket is taken is not kept (counted), never mixed up.
 */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 8192); /* resized by the loader */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, BF_MAX_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} selected_devices SEC(".maps");

/* Highest ring-buffer fill each CPU has seen, in bytes: how close the reader came to losing records. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ring_peak SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BF_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Before 5.12 a bio named its disk directly (bi_disk); since then it goes through bi_bdev. */
struct bio___pre_5_12 {
	struct gendisk *bi_disk;
} __attribute__((preserve_access_index));

/* Before 5.16 a request named its disk (rq_disk); since then it is the queue's disk. */
struct request___pre_5_16 {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

/* Until 6.5 request flags were #defines, invisible to BTF; RQF_FLUSH_SEQ was 1 << 4. Only kernels without
 * block_io_done (all older than 6.5) need it. */
#define RQF_FLUSH_SEQ_BEFORE_6_5 (1U << 4)

/* The operation occupies the low REQ_OP_BITS (8) bits of cmd_flags on every kernel since 4.10. */
#define REQ_OP_MASK_ALL_KERNELS 0xffU

static __always_inline void count(enum bf_counter counter)
{
	__u32 key = counter;
	__u64 *value = bpf_map_lookup_elem(&counters, &key);

	/* Programs nest on one CPU (a softirq completion inside a task's submission): keep the add atomic. */
	if (value)
		__sync_fetch_and_add(value, 1);
}

/* The current kernel stack's id; without BPF_F_REUSE_STACKID a full comparison refuses a collision. */
static __always_inline __s32 capture_stack(void *ctx)
{
	long id;

	if (!collect_stacks)
		return BF_NO_STACK;
	id = bpf_get_stackid(ctx, &stacks, 0);
	if (id >= 0)
		return (__s32)id;
	count(id == -EEXIST ? BF_CNT_STACK_COLLISIONS : BF_CNT_STACKS_LOST);
	return BF_NO_STACK;
}

/* Marks the stage as run in the issuing thread when the current task is the issuer. */
static __always_inline void note_context(struct bf_request_record *rec, enum bf_stage stage)
{
	if (rec->tid && (__u32)bpf_get_current_pid_tgid() == rec->tid)
		rec->issuer_context |= 1 << stage;
	else
		rec->issuer_context &= ~(1 << stage);
}

static __always_inline __u32 disk_devt(struct gendisk *disk)
{
	if (!disk)
		return 0;
	return ((__u32)BPF_CORE_READ(disk, major) << 20) | (__u32)BPF_CORE_READ(disk, first_minor);
}

static __always_inline __u32 bio_devt(struct bio *bio)
{
	if (bpf_core_field_exists(struct bio___pre_5_12, bi_disk))
		return disk_devt(BPF_CORE_READ((struct bio___pre_5_12 *)bio, bi_disk));
	return disk_devt(BPF_CORE_READ(bio, bi_bdev, bd_disk));
}

static __always_inline __u32 request_devt(struct request *rq)
{
	if (bpf_core_field_exists(struct request___pre_5_16, rq_disk))
		return disk_devt(BPF_CORE_READ((struct request___pre_5_16 *)rq, rq_disk));
	return disk_devt(BPF_CORE_READ(rq, q, disk));
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

/* Where the request is and what it asks for. Flags accumulate: the flush machinery strips PREFLUSH and
 * FUA from a request once their phase is done, and the record keeps what the submitter asked for. */
static __always_inline void read_shape(struct request *rq, struct bf_request_record *rec)
{
	__u32 cmd_flags = BPF_CORE_READ(rq, cmd_flags);

	rec->op = normalise_op(cmd_flags);
	rec->flags |= normalise_flags(cmd_flags);
	rec->sector = BPF_CORE_READ(rq, __sector);
	rec->bytes = BPF_CORE_READ(rq, __data_len);
	rec->dev = request_devt(rq);
}

/* Bios merged into the request (its bio chain minus one), read when no more merges can happen. */
static __always_inline __u16 count_merges(struct request *rq)
{
	struct bio *bio = BPF_CORE_READ(rq, bio);
	__u32 bios = 0;

	for (int i = 0; i < BF_MAX_BIO_WALK; i++) {
		if (!bio)
			return bios ? bios - 1 : 0;
		bios++;
		bio = BPF_CORE_READ(bio, bi_next);
	}
	return BF_MERGES_SATURATED;
}

static __always_inline void fill_issuer_from_current(__u64 pid_tgid, __u32 *tgid, __u32 *tid, char *comm,
						     __s32 *syscall_nr, __u64 *syscall_start_ns)
{
	*tgid = pid_tgid >> 32;
	*tid = (__u32)pid_tgid;
	bpf_get_current_comm(comm, BF_COMM_LEN);
	*syscall_nr = BF_NO_SYSCALL;
	*syscall_start_ns = 0;
	if (*tgid == syscall_tgid) {
		__u32 key = *tid;
		struct thread_syscall *sc = bpf_map_lookup_elem(&syscalls, &key);

		if (sc && sc->nr >= 0) {
			*syscall_nr = sc->nr;
			*syscall_start_ns = sc->start_ns;
		}
	}
}

static __always_inline bool in_scope(__u64 pid_tgid)
{
	return !target_tgid || (pid_tgid >> 32) == target_tgid;
}

/*
 * Starts a lifecycle for rq. The issuer comes from the request's first bio (queued in the submitter's
 * context), else from the current task when called in the submitter's context, else it is unknown,
 * which only scope=all records. Returns the map entry, or NULL when the request is not tracked.
 */
static __always_inline struct bf_request_record *lifecycle_begin(void *ctx, struct request *rq, __u64 now,
								 bool submitter, __u64 alloc_ns)
{
	struct bf_request_record rec = {
		.submit_stack = BF_NO_STACK,
		.insert_stack = BF_NO_STACK,
		.issue_stack = BF_NO_STACK,
		.complete_stack = BF_NO_STACK,
	};
	struct bio *bio = BPF_CORE_READ(rq, bio);
	__u64 key = (__u64)rq;
	struct bio_info *info = NULL;
	__u32 *generation;

	if (bio)
		info = bpf_map_lookup_elem(&bios, &bio);
	if (info) {
		rec.origin = BF_ORIGIN_BIO;
		rec.submit_ns = info->queue_ns;
		rec.alloc_ns = alloc_ns ? alloc_ns : info->alloc_ns;
		rec.syscall_start_ns = info->syscall_start_ns;
		rec.tgid = info->tgid;
		rec.tid = info->tid;
		rec.syscall_nr = info->syscall_nr;
		rec.submit_stack = info->submit_stack;
		rec.issuer_context = 1 << BF_STAGE_SUBMIT;
		__builtin_memcpy(rec.comm, info->comm, BF_COMM_LEN);
		bpf_map_delete_elem(&bios, &bio);
	} else if (submitter) {
		__u64 pid_tgid = bpf_get_current_pid_tgid();

		if (!in_scope(pid_tgid) || !device_selected(request_devt(rq)))
			return NULL;
		rec.origin = BF_ORIGIN_TASK;
		rec.submit_ns = now;
		rec.alloc_ns = now;
		fill_issuer_from_current(pid_tgid, &rec.tgid, &rec.tid, rec.comm, &rec.syscall_nr,
					 &rec.syscall_start_ns);
		rec.submit_stack = capture_stack(ctx);
		rec.issuer_context = 1 << BF_STAGE_SUBMIT;
	} else {
		if (target_tgid || !device_selected(request_devt(rq)))
			return NULL;
		rec.origin = BF_ORIGIN_UNKNOWN;
		rec.syscall_nr = BF_NO_SYSCALL;
	}

	rec.header.kind = BF_RECORD_REQUEST;
	rec.header.version = BF_LAYOUT_VERSION;
	rec.request = key;
	generation = bpf_map_lookup_elem(&generations, &key);
	rec.generation = generation ? *generation + 1 : 1;
	bpf_map_update_elem(&generations, &key, &rec.generation, BPF_ANY);
	read_shape(rq, &rec);

	if (bpf_map_update_elem(&inflight, &key, &rec, BPF_ANY)) {
		count(BF_CNT_LOST_INFLIGHT_FULL);
		return NULL;
	}
	count(BF_CNT_REQUESTS_STARTED);
	return bpf_map_lookup_elem(&inflight, &key);
}

static __always_inline void lifecycle_end(__u64 key, struct bf_request_record *rec)
{
	__u64 start = rec->submit_ns ? rec->submit_ns : (rec->insert_ns ? rec->insert_ns : rec->issue_ns);

	if (min_latency_ns && rec->complete_ns - start < min_latency_ns) {
		count(BF_CNT_BELOW_MIN_LATENCY);
	} else {
		__u64 waiting = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + sizeof(*rec);
		__u32 zero = 0;
		__u64 *peak = bpf_map_lookup_elem(&ring_peak, &zero);
		/* Batched wake-ups: a wake-up per record costs 20-35% of IOPS; the reader polls for smaller batches. */
		__u64 flags = waiting >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;

		if (peak && waiting > *peak)
			*peak = waiting;

		if (bpf_ringbuf_output(&events, rec, sizeof(*rec), flags))
			count(BF_CNT_LOST_RINGBUF_FULL);
		else
			count(BF_CNT_REQUESTS_EMITTED);
	}
	bpf_map_delete_elem(&inflight, &key);
}

/*
 * The open lifecycle of rq at insert or issue, starting one if there is none. On kernels without
 * block_io_start a new lifecycle is recognised by its first bio still waiting in the bios map.
 */
static __always_inline struct bf_request_record *lifecycle_at_dispatch(void *ctx, struct request *rq, __u64 now)
{
	__u64 key = (__u64)rq;
	struct bf_request_record *rec = bpf_map_lookup_elem(&inflight, &key);

	if (rec && !has_io_start) {
		struct bio *bio = BPF_CORE_READ(rq, bio);

		if (bio && bpf_map_lookup_elem(&bios, &bio)) {
			count(BF_CNT_LOST_UNFINISHED);
			rec = NULL;
		}
	}
	if (!rec)
		rec = lifecycle_begin(ctx, rq, now, false, 0);
	return rec;
}

SEC("tp_btf/block_bio_queue")
int BPF_PROG(bio_queue, struct bio *bio)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct bio_info info = {};
	__u64 key = (__u64)bio;

	if (!in_scope(pid_tgid) || !device_selected(bio_devt(bio)))
		return 0;
	info.queue_ns = bpf_ktime_get_ns();
	fill_issuer_from_current(pid_tgid, &info.tgid, &info.tid, info.comm, &info.syscall_nr,
				 &info.syscall_start_ns);
	info.submit_stack = capture_stack(ctx);
	if (bpf_map_update_elem(&bios, &key, &info, BPF_ANY))
		count(BF_CNT_LOST_BIO_MAP_FULL);
	else
		count(BF_CNT_BIOS_QUEUED);
	return 0;
}

/* The front part of a split bio becomes the request; bio_chain() made its parent its bi_private before
 * the tracepoint fires, so it inherits the parent's submitter and queue time. */
SEC("tp_btf/block_split")
int BPF_PROG(bio_split, struct bio *split, unsigned int new_sector)
{
	__u64 parent = (__u64)BPF_CORE_READ(split, bi_private);
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

SEC("tp_btf/block_io_start")
int BPF_PROG(io_start, struct request *rq)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 key = (__u64)rq;

	/* io_start marks a new lifecycle; one still open at this address never saw its end. */
	if (bpf_map_lookup_elem(&inflight, &key)) {
		count(BF_CNT_LOST_UNFINISHED);
		bpf_map_delete_elem(&inflight, &key);
	}
	lifecycle_begin(ctx, rq, now, true, now);
	return 0;
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(rq_insert, struct request *rq)
{
	__u64 now = bpf_ktime_get_ns();
	struct bf_request_record *rec = lifecycle_at_dispatch(ctx, rq, now);

	if (!rec)
		return 0;
	if (!rec->insert_ns) {
		rec->insert_ns = now;
		rec->insert_stack = capture_stack(ctx);
		note_context(rec, BF_STAGE_INSERT);
	}
	read_shape(rq, rec);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(rq_issue, struct request *rq)
{
	__u64 now = bpf_ktime_get_ns();
	struct bf_request_record *rec = lifecycle_at_dispatch(ctx, rq, now);

	if (!rec) {
		count(BF_CNT_UNTRACKED);
		return 0;
	}
	rec->issue_ns = now;
	rec->issue_stack = capture_stack(ctx);
	note_context(rec, BF_STAGE_ISSUE);
	read_shape(rq, rec);
	rec->merges = count_merges(rq);
	return 0;
}

SEC("tp_btf/block_rq_requeue")
int BPF_PROG(rq_requeue, struct request *rq)
{
	__u64 key = (__u64)rq;
	struct bf_request_record *rec = bpf_map_lookup_elem(&inflight, &key);

	if (rec && rec->requeues < 0xffff)
		rec->requeues++;
	return 0;
}

/* rq was merged into another request and will be freed without completing; its bios complete with the survivor. */
SEC("tp_btf/block_rq_merge")
int BPF_PROG(rq_merge, struct request *rq)
{
	__u64 key = (__u64)rq;

	if (bpf_map_lookup_elem(&inflight, &key)) {
		bpf_map_delete_elem(&inflight, &key);
		count(BF_CNT_MERGED_AWAY);
	}
	return 0;
}

/*
 * Kernels without block_io_done: is this block_rq_complete the last one? A request in a flush sequence
 * completes its data and then, with nothing left, once more when the sequence is done: only that ends it.
 */
static __always_inline bool completion_is_final(struct request *rq, struct bf_request_record *rec,
						unsigned int nr_bytes)
{
	__u32 remaining = BPF_CORE_READ(rq, __data_len);

	if ((BPF_CORE_READ(rq, rq_flags) & RQF_FLUSH_SEQ_BEFORE_6_5) && rec->op != BF_OP_FLUSH)
		return remaining == 0;
	return nr_bytes >= remaining;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	__u64 key = (__u64)rq;
	struct bf_request_record *rec = bpf_map_lookup_elem(&inflight, &key);

	if (!rec)
		return 0;
	rec->complete_ns = bpf_ktime_get_ns();
	rec->complete_stack = capture_stack(ctx);
	note_context(rec, BF_STAGE_COMPLETE);
	if (error && !rec->status)
		rec->status = error;
	if (!has_io_done && completion_is_final(rq, rec, nr_bytes))
		lifecycle_end(key, rec);
	return 0;
}

SEC("tp_btf/block_io_done")
int BPF_PROG(io_done, struct request *rq)
{
	__u64 key = (__u64)rq;
	struct bf_request_record *rec = bpf_map_lookup_elem(&inflight, &key);

	if (!rec)
		return 0;
	if (!rec->complete_ns)
		rec->complete_ns = bpf_ktime_get_ns();
	lifecycle_end(key, rec);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct thread_syscall *sc;

	if ((pid_tgid >> 32) != syscall_tgid)
		return 0;
	sc = bpf_map_lookup_elem(&syscalls, &tid);
	if (sc) {
		sc->nr = id;
		sc->start_ns = bpf_ktime_get_ns();
	} else {
		struct thread_syscall fresh = { .start_ns = bpf_ktime_get_ns(), .nr = id };

		bpf_map_update_elem(&syscalls, &tid, &fresh, BPF_ANY);
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct thread_syscall *sc;

	if ((pid_tgid >> 32) != syscall_tgid)
		return 0;
	sc = bpf_map_lookup_elem(&syscalls, &tid);
	if (sc)
		sc->nr = BF_NO_SYSCALL;
	return 0;
}
