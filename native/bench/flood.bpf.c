// SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0)
/*
 * The flood benchmark's producer (native/bench/flood.c): writes request records into a running agent's own
 * ring buffer and counters (both maps are the agent's, reused by file descriptor before load), at a rate
 * no real device on this machine reaches, so that everything after the kernel side (the ring buffer, the
 * agent's drain, decoding, resolution, the JFR commit and the recording) meets more requests than it can
 * take, and the rate at which the first record is lost shows. Each run of the program writes `count`
 * records built from the templates user space filled in, with fresh times, rotating request addresses
 * and generations, and the same wake-up rule as requests.bpf.c's lifecycle_end().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "requests.h"
#include "counters.h"
#include "flood.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define FLOOD_ADDRESSES 128 /* request addresses in rotation, as a device with that many tags */

/* The agent's maps, reused by file descriptor (counters.h holds the other): never created here. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

const volatile __u64 wakeup_bytes = 1; /* the agent's: a quarter of its ring buffer by default */
const volatile __u64 address_base = 0xffff888100000000ULL;

struct bf_request_record templates[FLOOD_TEMPLATES];
__u64 sequence;
__u64 emitted;
__u64 lost;
__u64 peak; /* highest fill of the ring buffer a record met, in bytes (flood.c resets it per rate) */

static long emit_one(__u64 index, void *ctx)
{
	__u64 now = *(__u64 *)ctx;
	__u64 n = sequence++;
	__u64 waiting = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + sizeof(struct bf_request_record);
	struct bf_request_record *rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);

	if (waiting > peak)
		peak = waiting;
	if (!rec) {
		lost++;
		count(BF_CNT_LOST_RINGBUF_FULL);
		return 0;
	}
	__builtin_memcpy(rec, &templates[n & (FLOOD_TEMPLATES - 1)], sizeof(*rec));
	rec->request = address_base + (n % FLOOD_ADDRESSES) * 512;
	rec->generation = (__u32)(n / FLOOD_ADDRESSES) + 1;
	rec->sector = (n * 2654435761ULL) & ((1ULL << 21) - 8);
	/* A 4 KiB request on a fast device: ~50 us from submit to completion, as in the cost benchmark. */
	rec->complete_ns = now;
	rec->issue_ns = now - 38000;
	rec->alloc_ns = now - 47000;
	rec->submit_ns = now - 48000;
	bpf_ringbuf_submit(rec, waiting >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	emitted++;
	count(BF_CNT_REQUESTS_EMITTED);
	return 0;
}

SEC("syscall")
int flood(struct flood_args *args)
{
	__u64 now = bpf_ktime_get_ns();

	bpf_loop(args->count, emit_one, &now, 0);
	return 0;
}
