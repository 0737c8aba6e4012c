/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * The kernel side's reading of the carriers map (vthreads.h): the virtual thread mounted on the current task, read
 * where a request or a dirtying starts, in that task's context. The agent writes the slot in the same thread at each
 * mount and unmount, so what is read here is the mount state at this very moment. Included by requests.bpf.c
 * (which creates the map) and dirtying.bpf.c (which reuses it), after vmlinux.h and libbpf's helpers.
 */
#ifndef BLKFLIGHT_VTHREADS_BPF_H
#define BLKFLIGHT_VTHREADS_BPF_H

#include "vthreads.h"

/* Set by the loader: the agent follows virtual threads (JDK 21 and later, virtualThreads=on), and the map's size. */
const volatile __u8 follow_vthreads = 0;
const volatile __u32 carrier_slots = 1; /* a power of two */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* resized by the loader */
	__type(key, __u32);
	__type(value, struct bf_carrier);
} carriers SEC(".maps");

/*
 * The java.lang.Thread id of the virtual thread mounted on the JVM's thread tid (as its PID namespace numbers it),
 * 0 when none is (a platform thread, or a carrier between mounts); notes what the virtual thread did in the slot.
 * Every probe is looked at: a slot freed before another carrier's is empty without ending the probe sequence.
 * A global function, so that the verifier checks it once rather than in every state of its callers (io_start's
 * states, with the issuer, writeback credit and file resolution, come close to the verifier's limit).
 */
__noinline __u64 mounted_vthread(__u32 tid, __u32 what)
{
	if (!follow_vthreads || !tid)
		return 0;
	for (__u32 i = 0; i < BF_CARRIER_PROBES; i++) {
		__u32 key = (tid + i) & (carrier_slots - 1);
		struct bf_carrier *slot = bpf_map_lookup_elem(&carriers, &key);
		__u64 vthread;

		if (!slot || slot->tid != tid)
			continue;
		vthread = slot->vthread;
		if (vthread)
			slot->io |= what;
		return vthread;
	}
	return 0;
}

#endif /* BLKFLIGHT_VTHREADS_BPF_H */
