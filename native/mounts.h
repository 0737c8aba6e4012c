/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual threads, the agent's half (the kernel's is bpf/vthreads.bpf.h): the carriers map as the JVMTI callbacks
 * in native/jni.c write it from each carrier thread at every mount and unmount, and the virtual threads handed to
 * the collector because the kernel side saw them start a request or dirty pages. Called from application threads:
 * nothing here blocks for long, allocates on the mount path or fails loudly.
 */
#ifndef BLKFLIGHT_MOUNTS_H
#define BLKFLIGHT_MOUNTS_H

#include <jni.h>
#include <linux/types.h>

#include "vthreads.h"

/* Virtual threads handed over and not yet taken by the collector, at most. */
#define BF_HANDOVER_CAPACITY 16384

/* Starts (table non-NULL) or stops (NULL) following mounts; the table is never unmapped (collector.h). */
void bf_vthreads_follow(struct bf_carrier *table, __u32 slots);

/*
 * In a carrier thread: its slot, claimed on first use (claim) or only looked up; NULL when virtual threads are not
 * followed or no slot of its probe sequence was free (counted, its virtual threads' requests stay the carrier's).
 */
struct bf_carrier *bf_vthreads_slot(int claim);

/* In an ending thread: frees its slot, if it has one. */
void bf_vthreads_release(void);

/* Queues a virtual thread (a JNI global reference) for the collector; -1 when the queue is full (counted). */
int bf_vthreads_hand_over(jobject thread, __u64 id, __u32 io);

/* Takes up to capacity queued virtual threads, oldest first; returns how many. */
int bf_vthreads_take(jobject *threads, __u64 *ids, __u32 *io, int capacity);

/* Carriers that found no free slot, and virtual threads not handed over because the queue was full. */
void bf_vthreads_counters(__u64 *carriers_without_slot, __u64 *handovers_lost);

#endif /* BLKFLIGHT_MOUNTS_H */
