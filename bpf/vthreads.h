/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual threads: which one is mounted on each carrier thread of the JVM, shared by the agent's JVMTI callbacks
 * (native/vthreads.c, which write it) and the kernel side (vthreads.bpf.h, which reads it where a request or a
 * dirtying starts, in the carrier's own context). Nothing else defines it.
 *
 * The carriers map is an array the agent maps into its memory (BPF_F_MMAPABLE): a mount costs the callback two
 * stores there, and no system call. A carrier's slot is found from its thread id by probing BF_CARRIER_PROBES
 * slots from tid modulo the map's size; the agent claims a free one on the carrier's first mount and frees it when
 * the carrier ends.
 */
#ifndef BLKFLIGHT_VTHREADS_H
#define BLKFLIGHT_VTHREADS_H

/* Slots probed for a carrier, from tid & (slots - 1) on. */
#define BF_CARRIER_PROBES 4

/* What the kernel side saw the mounted virtual thread do since its mount (bf_carrier.io bits). */
enum bf_carrier_io {
	BF_CARRIER_ISSUED = 1,  /* it started a request: its Thread is handed to the collector when it unmounts */
	BF_CARRIER_DIRTIED = 2, /* it dirtied page-cache pages, written back later by a flusher */
};

struct bf_carrier {
	__u64 vthread; /* java.lang.Thread id (threadId()) of the virtual thread mounted now; 0: none, the carrier runs */
	__u32 tid;     /* the carrier's thread id as the JVM's PID namespace numbers it (gettid()); 0: a free slot */
	__u32 io;      /* enum bf_carrier_io bits, set by the kernel side, cleared by the agent at each mount */
};

#endif /* BLKFLIGHT_VTHREADS_H */
