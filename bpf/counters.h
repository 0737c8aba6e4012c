/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * The kernel side's counters (enum bf_counter in requests.h), one per-CPU slot each, and the one way to
 * add to them. Included by shared_state.h, and by the flood benchmark's program, which adds to a running
 * agent's counters through this same map definition. After vmlinux.h and libbpf's helpers.
 */
#ifndef BLKFLIGHT_COUNTERS_H
#define BLKFLIGHT_COUNTERS_H

#include "requests.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BF_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(enum bf_counter counter)
{
	__u32 key = counter;
	__u64 *value = bpf_map_lookup_elem(&counters, &key);

	/* Programs nest on one CPU (a softirq completion inside a task's submission): keep the add atomic. */
	if (value)
		__sync_fetch_and_add(value, 1);
}

#endif /* BLKFLIGHT_COUNTERS_H */
