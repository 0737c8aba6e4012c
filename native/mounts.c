// SPDX-License-Identifier: Apache-2.0
/*
 * The carriers map from the agent's side (bpf/vthreads.h): each carrier thread writes its own slot, and only it, at
 * every mount and unmount (native/jni.c's JVMTI callbacks), so that the kernel side, reading the slot in that same
 * thread when it starts a request, sees which virtual thread is mounted at that moment. The mount path is two
 * stores into the mapped map; a carrier claims its slot once (a compare-and-swap) and frees it when it ends.
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mounts.h"

static struct bf_carrier *volatile table;
static volatile __u32 table_slots;

/* This thread's slot: 0 not looked for yet, 1 found (own_slot), -1 none was free. */
static __thread int own_state;
static __thread struct bf_carrier *own_slot;

static volatile __u64 carriers_without_slot;
static volatile __u64 handovers_lost;

static pthread_mutex_t handover_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	jobject thread;
	__u64 id;
	__u32 io;
} handovers[BF_HANDOVER_CAPACITY];
static int handover_head; /* the oldest */
static int handover_count;

void bf_vthreads_follow(struct bf_carrier *mapped, __u32 slots)
{
	table_slots = slots;
	__atomic_store_n(&table, mapped, __ATOMIC_RELEASE);
}

struct bf_carrier *bf_vthreads_slot(int claim)
{
	struct bf_carrier *current = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
	__u32 tid, slots;

	if (!current)
		return NULL;
	if (own_state > 0)
		return own_slot;
	if (own_state < 0 || !claim)
		return NULL;
	tid = (__u32)syscall(SYS_gettid);
	slots = table_slots;
	/* A slot already naming this tid is an ended thread's that was never freed (its tid came back): taken over. */
	for (__u32 i = 0; i < BF_CARRIER_PROBES; i++) {
		struct bf_carrier *slot = &current[(tid + i) & (slots - 1)];

		if (__atomic_load_n(&slot->tid, __ATOMIC_RELAXED) == tid) {
			own_slot = slot;
			break;
		}
	}
	for (__u32 i = 0; !own_slot && i < BF_CARRIER_PROBES; i++) {
		struct bf_carrier *slot = &current[(tid + i) & (slots - 1)];
		__u32 free_tid = 0;

		if (__atomic_compare_exchange_n(&slot->tid, &free_tid, tid, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			own_slot = slot;
	}
	if (!own_slot) {
		own_state = -1;
		__atomic_fetch_add(&carriers_without_slot, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	own_slot->vthread = 0;
	own_slot->io = 0;
	own_state = 1;
	return own_slot;
}

void bf_vthreads_release(void)
{
	struct bf_carrier *slot = own_slot;

	if (own_state > 0 && slot) {
		slot->vthread = 0;
		slot->io = 0;
		__atomic_store_n(&slot->tid, 0, __ATOMIC_RELEASE);
	}
	own_slot = NULL;
	own_state = 0;
}

int bf_vthreads_hand_over(jobject thread, __u64 id, __u32 io)
{
	int queued = -1;

	pthread_mutex_lock(&handover_lock);
	if (handover_count < BF_HANDOVER_CAPACITY) {
		int at = (handover_head + handover_count) % BF_HANDOVER_CAPACITY;

		handovers[at].thread = thread;
		handovers[at].id = id;
		handovers[at].io = io;
		handover_count++;
		queued = 0;
	}
	pthread_mutex_unlock(&handover_lock);
	if (queued)
		__atomic_fetch_add(&handovers_lost, 1, __ATOMIC_RELAXED);
	return queued;
}

int bf_vthreads_take(jobject *threads, __u64 *ids, __u32 *io, int capacity)
{
	int taken = 0;

	pthread_mutex_lock(&handover_lock);
	while (taken < capacity && handover_count > 0) {
		threads[taken] = handovers[handover_head].thread;
		ids[taken] = handovers[handover_head].id;
		io[taken] = handovers[handover_head].io;
		handovers[handover_head].thread = NULL;
		handover_head = (handover_head + 1) % BF_HANDOVER_CAPACITY;
		handover_count--;
		taken++;
	}
	pthread_mutex_unlock(&handover_lock);
	return taken;
}

void bf_vthreads_counters(__u64 *without_slot, __u64 *lost)
{
	*without_slot = __atomic_load_n(&carriers_without_slot, __ATOMIC_RELAXED);
	*lost = __atomic_load_n(&handovers_lost, __ATOMIC_RELAXED);
}
