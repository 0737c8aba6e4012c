/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The user-space half of the request probe: loads bpf/requests.bpf.c through its skeleton, attaches the
 * tracepoints this kernel offers, and copies finished-request records out of the ring buffer.
 * Every function returns 0 or a count on success and a negative errno on failure; on failure `why`
 * holds one sentence saying what failed and what to do about it.
 */
#ifndef BLKFLIGHT_COLLECTOR_H
#define BLKFLIGHT_COLLECTOR_H

#include <stddef.h>
#include <linux/types.h>

#define BF_WHY_LEN 512

struct bf_collector_config {
	__u64 min_latency_ns;
	__u64 pidns_dev;         /* the JVM's PID namespace (stat of /proc/self/ns/pid); pidns_ino 0: the initial one */
	__u64 pidns_ino;
	__u32 scope;             /* enum bf_scope */
	__u32 self_tgid;         /* the JVM's pid in its own PID namespace */
	const char *cgroup_path; /* scope=cgroup: the JVM's cgroup v2 directory (e.g. /sys/fs/cgroup/system.slice/x) */
	const __u32 *devices;    /* kernel dev_t of whole disks; none: every disk */
	__u32 device_count;
	__u32 ring_buffer_bytes; /* a power of two, at least a page */
	__u32 max_inflight;      /* request addresses followed (each keeps its entry across lifecycles) */
	__u32 max_bios;          /* bios waiting to start a request (kernels before 6.5) */
	__u32 wakeup_bytes;      /* wake the reader once this much waits */
	__u32 stack_entries;     /* kernel stacks kept; 0: no stacks */
	__u32 stack_mode;        /* enum bf_stack_mode */
	__u32 stack_rate;        /* BF_STACKS_SAMPLED: lifecycles a second given stage stacks, beyond each kind's first */
	const char *btf_path;    /* the kernel's BTF from this file instead of /sys/kernel/btf/vmlinux; NULL: the kernel's */
	__u32 path_entries;      /* function-level mode: request addresses whose function path is kept; 0: off */
	__u32 max_files;         /* files whose path the kernel side remembers as sent (bpf/files.bpf.h); 0: files off */
	__u8 syscall_entry;      /* follow sys_enter/sys_exit of the JVM's threads (start times); else read the
	                          * system call number from the issuer's registers */
	__u8 writeback;          /* follow the JVM's dirtying and record the writeback of its pages (dirtying.bpf.c) */
	__u32 stack_signal;      /* faultStacks: the signal the agent's handler takes Java stacks on (java_stacks.bpf.h); 0: off */
	__u32 stack_signal_rate; /* signals a second at most */
	__u64 stack_signal_handler; /* the handler's address: the kernel side sends only while it is the signal's */
	__u32 carrier_slots;     /* virtual threads: slots of the carriers map (bpf/vthreads.h), a power of two; 0: the
	                          * kernel side does not look for them */
};

struct bf_collector;
struct bf_paths;

int bf_collector_open(const struct bf_collector_config *config, struct bf_collector **out, char *why);

/*
 * Detaches the tracepoint programs (maps, ring buffer and what waits in it stay); bf_collector_attach
 * attaches them again. The kernel-cost benchmark alternates with and without them in one run.
 */
void bf_collector_detach(struct bf_collector *c);
int bf_collector_attach(struct bf_collector *c, char *why);

/* Waits up to timeout_ms for the kernel to signal a batch. Does not consume. */
int bf_collector_wait(struct bf_collector *c, int timeout_ms, char *why);

/*
 * Moves whole records from the ring buffer into buf, each preceded by its length as a native-endian
 * __u32, until the ring is empty or buf cannot hold another record. Returns the bytes written.
 */
long bf_collector_drain(struct bf_collector *c, void *buf, size_t capacity, char *why);

/* Sums the per-CPU counters (enum bf_counter) into out[0..n). */
int bf_collector_counters(struct bf_collector *c, __u64 *out, int n, char *why);

/* The frames (innermost first) of a kernel stack by its id; returns how many, or a negative errno. */
int bf_collector_stack(struct bf_collector *c, __u32 id, __u64 *frames, int capacity, char *why);

/* Highest ring-buffer fill seen by the kernel side, in bytes. */
__u64 bf_collector_ring_peak(struct bf_collector *c);

/*
 * Files on: the bio completion functions found in /proc/kallsyms, bit (1 << enum bf_end_io); without
 * BF_END_IO_DIRECT direct I/O cannot be named.
 */
int bf_collector_files_end_io(const struct bf_collector *c);

/* Makes the kernel side send the paths of these files again (dev, ino pairs): user space no longer has them. */
int bf_collector_forget_files(struct bf_collector *c, const __u64 *dev_ino_pairs, int count, char *why);

/* The longest ring-buffer sample: a request record with its function path, or a file's path. */
size_t bf_collector_max_sample(void);

/* Removes open lifecycles that started before cutoff_ns (CLOCK_MONOTONIC) with their address's entry; returns how many. */
long bf_collector_expire(struct bf_collector *c, __u64 cutoff_ns, char *why);

/* For paths.c: the file descriptor of one of the collector's maps (requests, paths, stacks, counters). */
int bf_collector_map_fd(const struct bf_collector *c, const char *map);

/* For paths.c: whose I/O is followed, as the collector's programs were told. */
struct bf_scope_settings {
	__u64 pidns_dev;
	__u64 pidns_ino;
	__u32 self_tgid;
	__u8 scope;
};
void bf_collector_scope(const struct bf_collector *c, struct bf_scope_settings *out);

/* For paths.c: the function programs, detached when the collector closes. */
void bf_collector_adopt_paths(struct bf_collector *c, struct bf_paths *paths);

/* Why the dirtying programs (writeback) are not running, or "" when they are. */
const char *bf_collector_dirtying_problem(const struct bf_collector *c);

/*
 * Virtual threads: the carriers map (bpf/vthreads.h) mapped into this process, and its slots; NULL when they are not
 * followed. The mapping outlives the collector: the agent's JVMTI callbacks, which write it from application
 * threads, may still be running when the collector closes, so it is never unmapped (it keeps the map, slots x 16
 * bytes, until the process ends).
 */
struct bf_carrier *bf_collector_carriers(const struct bf_collector *c, __u32 *slots);

/* The tracepoints attached, comma separated. */
const char *bf_collector_probes(const struct bf_collector *c);

void bf_collector_close(struct bf_collector *c);

/* Layout of the shared records as "struct.field offset size" lines, for the Java decoder's test. */
const char *bf_layout_description(void);

#endif /* BLKFLIGHT_COLLECTOR_H */
