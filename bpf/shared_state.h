/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * Kernel-side state that requests.bpf.c and paths.bpf.c share through the same maps (the function-level
 * programs reuse the request collector's map file descriptors). User space never reads these; the records
 * it reads are in requests.h.
 */
#ifndef BLKFLIGHT_SHARED_STATE_H
#define BLKFLIGHT_SHARED_STATE_H

#include "requests.h"

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

/* Per task: the system call it is in, and the last bio it queued that passed the filters. */
struct task_state {
	__u64 syscall_start_ns;
	__u64 bio;
	__u64 bio_queue_ns;
	__s64 syscall_nr; /* BF_NO_SYSCALL outside system calls */
	__s32 bio_stack;
	__u32 pad;
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

#endif /* BLKFLIGHT_SHARED_STATE_H */
