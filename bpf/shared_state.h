/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * Kernel-side state that requests.bpf.c and paths.bpf.c share through the same maps (the function-level
 * programs reuse the request collector's map file descriptors), and the helpers both use. Included once by
 * each BPF object, after vmlinux.h and libbpf's helpers. User space reads only the records of requests.h.
 */
#ifndef BLKFLIGHT_SHARED_STATE_H
#define BLKFLIGHT_SHARED_STATE_H

#include "requests.h"
#include "counters.h"

/*
 * Function hits a task made before the request they belong to had a lifecycle: on its struct bio (the
 * submission path: submit_bio, splitting, plug merging) or on the struct request before block_io_start
 * (blk_mq_bio_to_request). The request's lifecycle start, in the same task, takes the ones that match its
 * address or its first bio's, in order. A ring: older entries are overwritten (before 6.5 the lifecycle
 * starts only at the first insert or issue, after a dozen or more such hits on the submission path).
 */
#define BF_PENDING_HITS 32

struct bf_pending_hit {
	__u64 object; /* struct request * or struct bio *; 0: free slot */
	__u64 ns;
	__u16 function;
	__u16 pad;
	__s32 stack;
};

/* Per task: the system call it is in, the last bio it queued that passed the filters, and its Java stack episode. */
struct task_state {
	__u64 syscall_start_ns;
	__u64 bio;
	__u64 bio_queue_ns;
	__u64 stack_signal_ns; /* faultStacks: the start of the episode whose signal was sent (java_stacks.bpf.h); 0: none */
	__s64 syscall_nr; /* BF_NO_SYSCALL outside system calls */
	__s32 bio_stack;
	__u8 bio_kind;       /* the bio's kind for stack sampling */
	__u8 pad;
	__u16 bio_weight;    /* its lifecycle was picked for stage stacks, standing for this many (0: not picked) */
};

/* Function-level mode, per task that made hits (map task_paths): the pending hits, a ring. */
struct task_path_state {
	__u32 next; /* next slot of pending[] to write */
	__u32 pad;
	struct bf_pending_hit pending[BF_PENDING_HITS];
};

/* Appends one hit to a path; false when the path is full (the caller counts it). */
static __always_inline bool path_append(struct bf_path_record *path, __u64 ns, __u16 function, __u8 in_issuer,
					__s32 stack)
{
	__u32 index = path->hits;

	if (index >= BF_MAX_PATH) {
		if (path->overflow < 0xffff)
			path->overflow++;
		return false;
	}
	path->hit[index].ns = ns;
	path->hit[index].function = function;
	path->hit[index].in_issuer = in_issuer;
	path->hit[index].stack = stack;
	path->hits = index + 1;
	return true;
}

/*
 * The maps both objects use. requests.bpf.c's loader creates them (and sizes them); each paths.bpf.c copy
 * reuses them by file descriptor, so its own definitions are never created.
 */

/* One entry per request address, kept across its lifecycles. Bounded: an address that finds it full is
 * not followed, and that is counted lost. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384); /* resized by the loader */
	__type(key, __u64);
	__type(value, struct bf_request_state);
} requests SEC(".maps");

/* Function-level mode: the functions each open lifecycle passed through, filled by paths.bpf.c's programs
 * (which share this map) and emitted with the request. One entry at the loader's size otherwise. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384); /* resized by the loader */
	__type(key, __u64);
	__type(value, struct bf_path_record);
} paths SEC(".maps");

/* Function-level mode: the hits each task made before their request's lifecycle started (paths.bpf.c
 * fills it; unused otherwise). Freed with the task. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_path_state);
} task_paths SEC(".maps");

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

/*
 * Whose I/O is followed, set by each object's loader. The JVM may run in a PID namespace of its own (a
 * container): it knows itself by its pid there (self_tgid), while tasks carry their pid in the kernel's
 * initial namespace. That one is learned in the kernel the first time one of the JVM's tasks is seen
 * (a process cannot learn it from inside the namespace), and kept in self_host for both objects.
 */
const volatile __u8 scope_mode = BF_SCOPE_SELF; /* enum bf_scope */
const volatile __u32 self_tgid = 0;             /* the JVM's pid in its own PID namespace */
const volatile __u64 pidns_dev = 0;             /* that namespace (stat of /proc/self/ns/pid); ino 0: the initial */
const volatile __u64 pidns_ino = 0;

/* The JVM's pid in the initial PID namespace: set by the loader outside a namespace, else learned here. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} self_host SEC(".maps");

/* scope=cgroup: the JVM's cgroup (v2), by a descriptor of its directory; its descendants are in scope too. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} scope_cgroup SEC(".maps");

/* Whether the current task belongs to the JVM's process. */
static __always_inline bool is_self(__u64 pid_tgid)
{
	__u32 zero = 0;
	__u32 *host = bpf_map_lookup_elem(&self_host, &zero);
	struct bpf_pidns_info ns;

	if (!host)
		return false;
	if (*host)
		return (pid_tgid >> 32) == *host;
	/* Inside a PID namespace, until one of the JVM's tasks shows itself: ask that namespace who this is. */
	if (!pidns_ino || bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)) || ns.tgid != self_tgid)
		return false;
	*host = pid_tgid >> 32;
	return true;
}

/* Whether the current task's I/O is followed. */
static __always_inline bool in_scope(__u64 pid_tgid)
{
	if (scope_mode == BF_SCOPE_SELF)
		return is_self(pid_tgid);
	if (scope_mode == BF_SCOPE_CGROUP)
		return bpf_current_task_under_cgroup(&scope_cgroup, 0) == 1;
	return true;
}

/*
 * Writeback: who dirtied which pages of the page cache (dirtying.bpf.c remembers, requests.bpf.c credits). The
 * JVM's threads dirty pages through write() or stores into a shared mapping; a flusher kernel thread writes them
 * back later. Two levels: the files the JVM has dirty pages in (keyed by their struct address_space *), which tell
 * a writeback bio of the JVM's from another's and are deleted when the kernel has written the file clean; and
 * the chunks of 2 MiB with the threads that dirtied them (a page-cache folio is never larger and is aligned to
 * its size, so it lies in one chunk), which an LRU map keeps as long as it can (a chunk forgotten leaves the
 * file's last dirtier: BF_CREDIT_FILE).
 */
struct bf_dirty_file {
	__u64 last_ns;  /* the last dirtying, CLOCK_MONOTONIC */
	__u64 vthread;  /* the virtual thread mounted on the last dirtier then (vthreads.h), 0: none */
	__u32 tgid;     /* the last dirtier, as the JVM's PID namespace numbers it */
	__u32 tid;
};

struct bf_dirty_chunk_key {
	__u64 mapping;  /* struct address_space * */
	__u64 chunk;    /* page index >> BF_DIRTY_CHUNK_SHIFT */
};

struct bf_dirty_chunk {
	__u64 last_ns;     /* the last dirtying */
	__u64 written_ns;  /* the last request credited with it: a dirtying after it starts the tally again */
	__u64 dirtier[BF_DIRTY_SLOTS]; /* each dirtier: bf_dirtier(tid, virtual thread mounted on it); 0: a free slot */
	__u64 dirtied_ns[BF_DIRTY_SLOTS]; /* each dirtier's last dirtying (threads appending by turns share a chunk) */
	__u32 tgid;
	__u16 pages[BF_DIRTY_SLOTS]; /* pages each dirtied (a large folio counts its pages) */
	__u32 pad;
};

/*
 * A dirtier as one word, so that the tallies compare one value (each comparison more multiplies the verifier's states
 * in the unrolled loops): the thread in the low half, the virtual thread mounted on it (its java.lang.Thread id, 0
 * for none) in the high half. Java thread ids count up from 1 as threads are created; one past 2^32 would be taken
 * modulo 2^32, which only a JVM that created four billion threads could meet.
 */
static __always_inline __u64 bf_dirtier(__u32 tid, __u64 vthread)
{
	return vthread << 32 | tid;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384); /* files with dirty pages at once; a file more is counted (DIRTY_FILES_LOST) */
	__type(key, __u64);
	__type(value, struct bf_dirty_file);
} dirty_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384); /* 32 GiB of dirty page cache in chunks of 2 MiB */
	__type(key, struct bf_dirty_chunk_key);
	__type(value, struct bf_dirty_chunk);
} dirty_chunks SEC(".maps");

/*
 * Per flusher kernel thread, between writeback_start and writeback_written: why it writes back (wb_reason + 1);
 * per journal thread (jbd2), between jbd2_start_commit and jbd2_end_commit: BF_WRITEBACK_JOURNAL and the
 * transaction it commits.
 */
struct bf_flusher {
	__u8 reason;
	__u8 pad[3];
	__u32 journal_dev;  /* the filesystem's dev_t, kernel encoding, as jbd2's tracepoints give it */
	__u32 journal_tid;  /* the transaction being committed */
	__u32 pad2;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct bf_flusher);
} flushers SEC(".maps");

/*
 * Journal transactions (jbd2, ext4's journal) that hold changes of the JVM: a thread of the JVM started a handle in
 * them (jbd2_handle_start), and maybe waits for their commit in fsync (ext4_sync_file_enter names the transaction
 * the file's last change is in). Forgotten when the commit ends; an LRU map forgets the oldest if many are open.
 */
struct bf_journal_key {
	__u32 dev;
	__u32 tid;
};

struct bf_journal_txn {
	__u64 wait_ns;      /* when the first waiter entered fsync; 0: no thread of the JVM waits */
	__u64 waiter_vthread; /* the virtual thread mounted on the first waiter then (vthreads.h), 0: none */
	__u32 waiter_tgid;  /* the first waiter, as the JVM's PID namespace numbers it */
	__u32 waiter_tid;
	__u32 waiters;      /* threads of the JVM that entered fsync for it */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct bf_journal_key);
	__type(value, struct bf_journal_txn);
} jvm_transactions SEC(".maps");

/*
 * The page cache behind a bio's first data page: its struct address_space * (0 when the page is not a file's
 * page-cache page: a user buffer of O_DIRECT, a kernel buffer, an anonymous or swap page) and its page index.
 * A tail page's compound_head has bit 0 set and points at the head page, whose folio has the mapping. The
 * host's i_mapping must point back: pages of slab memory carry no mapping, only bytes that may look like one.
 */
static __always_inline __u64 bio_page_cache(struct bio *bio, __u64 *index)
{
	struct bio_vec *vec = BPF_CORE_READ(bio, bi_io_vec);
	__u32 idx = BPF_CORE_READ(bio, bi_iter.bi_idx);
	__u32 skip = BPF_CORE_READ(bio, bi_iter.bi_bvec_done);
	struct address_space *mapping;
	struct page *page = NULL, *head;
	struct bio_vec first;
	unsigned long compound;

	/* A split or cloned bio shares its parent's vector (bi_vcnt 0) from bi_idx on, bi_bvec_done bytes into
	 * that entry; an entry may span many pages of one folio. */
	if (!vec || idx >= 256 || bpf_probe_read_kernel(&first, sizeof(first), &vec[idx]) || !first.bv_page)
		return 0;
	page = first.bv_page + ((first.bv_offset + skip) >> 12);
	compound = BPF_CORE_READ(page, compound_head);
	head = compound & 1 ? (struct page *)(compound - 1) : page;
	mapping = BPF_CORE_READ((struct folio *)head, mapping);
	if (!mapping || ((unsigned long)mapping & 3))
		return 0;
	if ((__u64)BPF_CORE_READ(mapping, host, i_mapping) != (__u64)mapping)
		return 0;
	*index = BPF_CORE_READ((struct folio *)head, index);
	if (head != page)
		*index += ((__u64)page - (__u64)head) / bpf_core_type_size(struct page);
	return (__u64)mapping;
}

/* Set by the loader: a kernel stack per stage, or per function hit (stacks=off saves the unwinding). */
const volatile __u8 collect_stacks = 0;

/* A new path map entry's value (a map value needs a map-backed pointer: .rodata is one). */
static const struct bf_path_record empty_path = {};

/* errno values are ABI; vmlinux.h does not carry the macros. */
#define EEXIST 17

/* The current kernel stack's id; without BPF_F_REUSE_STACKID a full comparison refuses a collision. */
static __always_inline __s32 take_stack(void *ctx)
{
	long id = bpf_get_stackid(ctx, &stacks, 0);

	if (id >= 0)
		return (__s32)id;
	count(id == -EEXIST ? BF_CNT_STACK_COLLISIONS : BF_CNT_STACKS_LOST);
	return BF_NO_STACK;
}

/* The current kernel stack's id where stacks are collected at all (function-level hits). */
static __always_inline __s32 capture_stack(void *ctx)
{
	return collect_stacks ? take_stack(ctx) : BF_NO_STACK;
}

/* Empties a path for the lifecycle of that generation. */
static __always_inline void path_reset(struct bf_path_record *path, __u32 generation)
{
	path->generation = generation;
	path->hits = 0;
	path->overflow = 0;
}

/*
 * The path of the lifecycle of that generation at a request address: the address's entry, created when
 * missing and emptied when it holds another lifecycle's hits. NULL when the path map is full (counted).
 */
static __always_inline struct bf_path_record *lifecycle_path(__u64 key, __u32 generation)
{
	struct bf_path_record *path = bpf_map_lookup_elem(&paths, &key);

	if (!path) {
		if (bpf_map_update_elem(&paths, &key, &empty_path, BPF_NOEXIST) && !bpf_map_lookup_elem(&paths, &key)) {
			count(BF_CNT_PATHS_LOST);
			return NULL;
		}
		path = bpf_map_lookup_elem(&paths, &key);
		if (!path)
			return NULL;
	}
	if (path->generation != generation)
		path_reset(path, generation);
	return path;
}

#endif /* BLKFLIGHT_SHARED_STATE_H */
