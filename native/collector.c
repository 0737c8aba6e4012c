// SPDX-License-Identifier: Apache-2.0
/*
 * Loader and reader for bpf/requests.bpf.c. Skeleton lifecycle: open, set read-only configuration and
 * map sizes, choose programs by what this kernel's BTF offers, load, fill the device filter, attach.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "requests.h"
#include "files.h"
#include "java_stacks.h"
#include "vthreads.h"
#include "requests.skel.h"
#include "collector.h"
#include "files_loader.h"
#include "paths.h"
#include "dirtying.h"

/* The drain callback's "buffer full" signal; far outside the errno range so libbpf never returns it. */
#define DRAIN_BUFFER_FULL (-(1 << 20))

#define MAX_LINKS 32

struct drain_target {
	unsigned char *buf;
	size_t capacity;
	size_t used;
};

struct bf_collector {
	struct requests_bpf *skel;
	struct ring_buffer *ring;
	struct bpf_link *links[MAX_LINKS];
	int link_count;
	int cpus;
	struct drain_target target;
	struct bf_paths *paths;
	struct bf_dirtying *dirtying; /* NULL where the kernel refused the dirtying programs: no writeback then */
	int files_end_io;
	struct bf_carrier *carriers; /* the carriers map, mapped (virtual threads followed); never unmapped */
	__u32 carrier_slots;
	char probes[512];
	char dirtying_problem[BF_WHY_LEN];
};

/* The longest sample the ring buffer carries: a request record with its function path, or a file's path. */
#define SAMPLE_MAX (sizeof(struct bf_request_record) + sizeof(struct bf_path_record) > sizeof(struct bf_file_record) \
		    ? sizeof(struct bf_request_record) + sizeof(struct bf_path_record) : sizeof(struct bf_file_record))

static int fail(char *why, int err, const char *what, const char *hint)
{
	if (err > 0)
		err = -err;
	if (err == 0)
		err = -EINVAL;
	char text[128];

	/* libbpf's own error codes (4000 and up: bad ELF, bad format, ...) have texts only libbpf knows. */
	if (libbpf_strerror(err, text, sizeof(text)))
		snprintf(text, sizeof(text), "%s", strerror(-err));
	snprintf(why, BF_WHY_LEN, "%s: %s (errno %d)%s%s", what, text, -err, hint ? ". " : "", hint ? hint : "");
	return err;
}

/* Whether this process holds CAP_BPF or CAP_SYS_ADMIN: then EACCES from a load is the verifier's. */
static bool has_bpf_capability(void)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &header, data))
		return false;
	return (data[0].effective & (1U << CAP_SYS_ADMIN)) || (data[1].effective & (1U << (CAP_BPF - 32)));
}

static const char *load_hint(int err)
{
	static const char *const verifier = "The kernel rejected the BPF programs; the verifier's log is in the agent's "
					    "output with log=debug";

	switch (-err) {
	case EACCES:
		if (has_bpf_capability())
			return verifier;
		/* fall through */
	case EPERM:
		return "The kernel refused BPF: run the JVM as root, or grant it CAP_BPF and CAP_PERFMON "
		       "(CAP_SYS_ADMIN before Linux 5.8); kernel lockdown in confidentiality mode refuses it too";
	case ENOMEM:
		return "The kernel could not allocate the BPF maps: lower the agent options ringBuffer or maxInflight";
	default:
		return verifier;
	}
}

static bool has_tracepoint(const struct btf *btf, const char *tracepoint)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", tracepoint);
	return btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0;
}

/*
 * The bit of RQF_FLUSH_SEQ in struct request's rq_flags. It was a #define (1 << 4) until the flags became
 * enumerators, first of an anonymous enum (which CO-RE cannot name), later of enum rqf_flags, with
 * __RQF_FLUSH_SEQ = 1: so look for the enumerator in any enum of the kernel's BTF.
 */
static __u32 rqf_flush_seq(const struct btf *btf)
{
	__u32 types = btf__type_cnt(btf);

	for (__u32 id = 1; id < types; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (__u16 i = 0; i < btf_vlen(t); i++, e++) {
			const char *name = btf__name_by_offset(btf, e->name_off);

			if (name && strcmp(name, "__RQF_FLUSH_SEQ") == 0 && e->val >= 0 && e->val < 32)
				return 1U << e->val;
		}
	}
	return 1U << 4;
}

static const char *tracepoint_of(const struct bpf_program *prog)
{
	const char *section = bpf_program__section_name(prog);
	const char *slash = strchr(section, '/');

	return slash ? slash + 1 : section;
}

/* Chooses the programs this kernel can run. Kernels before 6.5 lack block_io_start: block_getrq marks
 * allocation instead, and the bio map carries the issuer to the first insert or issue. */
static int choose_programs(struct bf_collector *c, const struct btf *btf, char *why)
{
	struct requests_bpf *skel = c->skel;
	bool io_start = has_tracepoint(btf, "block_io_start");
	struct bpf_program *prog;

	skel->rodata->has_io_start = io_start;
	skel->rodata->rqf_flush_seq = rqf_flush_seq(btf);
	bpf_program__set_autoload(skel->progs.io_start, io_start);
	/* Without block_io_start the issuer travels with each bio in the bios map, which these keep right. */
	bpf_program__set_autoload(skel->progs.getrq, !io_start);
	bpf_program__set_autoload(skel->progs.bio_split, !io_start);
	bpf_program__set_autoload(skel->progs.bio_backmerge, !io_start);
	bpf_program__set_autoload(skel->progs.bio_frontmerge, !io_start);
	bpf_program__set_autoload(skel->progs.bio_complete, !io_start);

	bpf_object__for_each_program(prog, skel->obj) {
		const char *tracepoint = tracepoint_of(prog);

		if (!bpf_program__autoload(prog))
			continue;
		if (!has_tracepoint(btf, tracepoint)) {
			char what[160];

			snprintf(what, sizeof(what), "this kernel has no tracepoint %s", tracepoint);
			return fail(why, -ENOENT, what, "blkflight needs the block tracepoints of Linux 5.10 or later");
		}
	}
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct drain_target *target = ctx;
	__u32 length = (__u32)size;

	memcpy(target->buf + target->used, &length, sizeof(length));
	memcpy(target->buf + target->used + sizeof(length), data, size);
	target->used += sizeof(length) + size;
	/* Stop while another sample (a request record, and its path in function-level mode, or a file's path)
	 * still fits for sure: the sample that stops libbpf is consumed with it. */
	if (target->capacity - target->used < sizeof(length) + SAMPLE_MAX)
		return DRAIN_BUFFER_FULL;
	return 0;
}

/*
 * The order programs attach in: a lifecycle's end before its middle before its start, so that no request
 * can begin while the programs that would see it end are not there yet (it would count as unfinished).
 */
static const char *const ATTACH_ORDER[] = {
	"sys_enter", "sys_exit", "rq_complete", "rq_merge", "rq_requeue", "rq_issue", "rq_insert",
	"bio_complete", "bio_backmerge", "bio_frontmerge", "getrq", "bio_split", "io_start", "bio_queue",
};

static int attach_one(struct bf_collector *c, struct bpf_program *prog, size_t *used, char *why)
{
	const char *tracepoint = tracepoint_of(prog);
	struct bpf_link *link;

	if (c->link_count == MAX_LINKS)
		return fail(why, -E2BIG, "too many BPF programs", NULL);
	link = bpf_program__attach(prog);
	if (!link) {
		char what[160];
		int err = -errno;

		snprintf(what, sizeof(what), "attaching to tracepoint %s failed", tracepoint);
		return fail(why, err, what, load_hint(err));
	}
	c->links[c->link_count++] = link;
	*used += snprintf(c->probes + *used, sizeof(c->probes) - *used, "%s%s", *used ? "," : "", tracepoint);
	if (*used >= sizeof(c->probes))
		*used = sizeof(c->probes) - 1;
	return 0;
}

static int attach_all(struct bf_collector *c, char *why)
{
	struct bpf_program *prog;
	size_t used = 0;
	int attached = 0, loaded = 0, err;

	for (size_t i = 0; i < sizeof(ATTACH_ORDER) / sizeof(ATTACH_ORDER[0]); i++) {
		prog = bpf_object__find_program_by_name(c->skel->obj, ATTACH_ORDER[i]);
		if (!prog || !bpf_program__autoload(prog))
			continue;
		err = attach_one(c, prog, &used, why);
		if (err)
			return err;
		attached++;
	}
	bpf_object__for_each_program(prog, c->skel->obj)
		loaded += bpf_program__autoload(prog);
	if (attached != loaded)
		return fail(why, -EINVAL, "a BPF program has no place in the attach order (native/collector.c)", NULL);
	return 0;
}

int bf_collector_open(const struct bf_collector_config *config, struct bf_collector **out, char *why)
{
	struct bf_collector *c = calloc(1, sizeof(*c));
	struct btf *btf;
	int err;
	__u8 one = 1;

	*out = NULL;
	if (!c)
		return fail(why, -ENOMEM, "allocating the collector failed", NULL);
	c->cpus = libbpf_num_possible_cpus();
	if (c->cpus <= 0) {
		err = fail(why, c->cpus, "counting the possible CPUs failed", NULL);
		goto error;
	}

	if (config->btf_path) {
		btf = btf__parse(config->btf_path, NULL);
		if (!btf) {
			char what[BF_WHY_LEN / 2];

			snprintf(what, sizeof(what), "reading BTF from %s failed", config->btf_path);
			err = fail(why, -errno, what, "The btf option takes a file with the running kernel's BTF "
				   "(an ELF vmlinux with .BTF, or raw BTF as in /sys/kernel/btf/vmlinux)");
			goto error;
		}
	} else {
		btf = btf__load_vmlinux_btf();
		if (!btf) {
			err = fail(why, -errno, "reading the kernel's BTF (/sys/kernel/btf/vmlinux) failed",
				   "blkflight needs a kernel built with CONFIG_DEBUG_INFO_BTF=y, as most distribution "
				   "kernels since 2020 are, or the kernel's BTF in a file given with the btf option");
			goto error;
		}
	}

	{
		LIBBPF_OPTS(bpf_object_open_opts, open_options, .btf_custom_path = config->btf_path);

		c->skel = requests_bpf__open_opts(&open_options);
	}
	if (!c->skel) {
		err = fail(why, -errno, "opening the BPF object failed", NULL);
		btf__free(btf);
		goto error;
	}
	c->skel->rodata->scope_mode = (__u8)config->scope;
	c->skel->rodata->self_tgid = config->self_tgid;
	c->skel->rodata->pidns_dev = config->pidns_dev;
	c->skel->rodata->pidns_ino = config->pidns_ino;
	c->skel->rodata->syscall_entry = config->syscall_entry;
	c->skel->rodata->follow_writeback = config->writeback;
	bpf_program__set_autoload(c->skel->progs.sys_enter, config->syscall_entry);
	bpf_program__set_autoload(c->skel->progs.sys_exit, config->syscall_entry);
	c->skel->rodata->filter_devices = config->device_count > 0;
	c->skel->rodata->min_latency_ns = config->min_latency_ns;
	c->skel->rodata->wakeup_bytes = config->wakeup_bytes;
	c->skel->rodata->collect_stacks = config->stack_entries > 0;
	c->skel->rodata->stack_mode = config->stack_entries > 0 ? (__u8)config->stack_mode : BF_STACKS_OFF;
	/* The programs count in windows of 2^BF_SAMPLE_WINDOW_SHIFT ns, per CPU: the rate's share, at least 1. */
	c->skel->rodata->sample_budget = (__u32)(((__u64)config->stack_rate * (1ULL << BF_SAMPLE_WINDOW_SHIFT) / 1000000000ULL
						  + c->cpus - 1) / c->cpus);
	if (config->stack_mode == BF_STACKS_SAMPLED && !c->skel->rodata->sample_budget)
		c->skel->rodata->sample_budget = 1;
	/* A busy kind may take up to half the window's budget: enough picks for its estimates, some left for others. */
	c->skel->rodata->sample_kind_target = c->skel->rodata->sample_budget > 2 ? c->skel->rodata->sample_budget / 2 : 1;
	c->skel->rodata->follow_paths = config->path_entries > 0;
	c->skel->rodata->stack_signal = config->stack_signal;
	c->skel->rodata->stack_signal_handler = config->stack_signal_handler;
	/* Per window of 2^BF_SAMPLE_WINDOW_SHIFT ns, for the whole JVM, at least 1. */
	c->skel->rodata->stack_signal_budget = (__u32)((__u64)config->stack_signal_rate * (1ULL << BF_SAMPLE_WINDOW_SHIFT)
						       / 1000000000ULL);
	if (config->stack_signal && !c->skel->rodata->stack_signal_budget)
		c->skel->rodata->stack_signal_budget = 1;
	c->skel->rodata->follow_vthreads = config->carrier_slots > 0;
	c->skel->rodata->carrier_slots = config->carrier_slots ? config->carrier_slots : 1;
	err = choose_programs(c, btf, why);
	btf__free(btf);
	if (err)
		goto error;
	err = bf_files_configure(c->skel, config->max_files, why);
	if (err < 0)
		goto error;
	c->files_end_io = err;

	if ((err = bpf_map__set_max_entries(c->skel->maps.events, config->ring_buffer_bytes)) ||
	    (err = bpf_map__set_max_entries(c->skel->maps.requests, config->max_inflight)) ||
	    (err = bpf_map__set_max_entries(c->skel->maps.bios, c->skel->rodata->has_io_start ? 1 : config->max_bios)) ||
	    (err = bpf_map__set_max_entries(c->skel->maps.stacks, config->stack_entries ? config->stack_entries : 1)) ||
	    (err = bpf_map__set_max_entries(c->skel->maps.paths, config->path_entries ? config->path_entries : 1)) ||
	    (err = bpf_map__set_max_entries(c->skel->maps.carriers, config->carrier_slots ? config->carrier_slots : 1))) {
		err = fail(why, err, "sizing the BPF maps failed", NULL);
		goto error;
	}

	err = requests_bpf__load(c->skel);
	if (err) {
		err = fail(why, err, "loading the BPF programs failed", load_hint(err));
		goto error;
	}

	/* Outside a PID namespace the JVM's pid is the kernel's; inside one the programs learn it (shared_state.h). */
	if (!config->pidns_ino) {
		__u32 zero = 0;

		err = bpf_map__update_elem(c->skel->maps.self_host, &zero, sizeof(zero), &config->self_tgid,
					   sizeof(config->self_tgid), BPF_ANY);
		if (err) {
			err = fail(why, err, "setting the JVM's process id failed", NULL);
			goto error;
		}
	}
	if (config->scope == BF_SCOPE_CGROUP) {
		/* The map keeps its own reference to the cgroup: the descriptor is only needed to name it. */
		int fd = config->cgroup_path ? open(config->cgroup_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -EINVAL;
		__u32 zero = 0;

		if (fd < 0) {
			char what[BF_WHY_LEN / 2];

			snprintf(what, sizeof(what), "opening the cgroup directory %s failed",
				 config->cgroup_path ? config->cgroup_path : "(none)");
			err = fail(why, fd == -EINVAL ? -EINVAL : -errno, what,
				   "scope=cgroup needs the unified cgroup hierarchy (cgroup v2) mounted, usually at /sys/fs/cgroup");
			goto error;
		}
		err = bpf_map__update_elem(c->skel->maps.scope_cgroup, &zero, sizeof(zero), &fd, sizeof(fd), BPF_ANY);
		close(fd);
		if (err) {
			err = fail(why, err, "setting the cgroup of scope=cgroup failed",
				   "scope=cgroup needs the unified cgroup hierarchy (cgroup v2)");
			goto error;
		}
	}
	for (__u32 i = 0; i < config->device_count; i++) {
		err = bpf_map__update_elem(c->skel->maps.selected_devices, &config->devices[i], sizeof(__u32), &one,
					   sizeof(one), BPF_ANY);
		if (err) {
			err = fail(why, err, "filling the device filter failed", "select at most 64 devices");
			goto error;
		}
	}

	if (config->carrier_slots) {
		void *mapped = mmap(NULL, (size_t)config->carrier_slots * sizeof(struct bf_carrier), PROT_READ | PROT_WRITE,
				    MAP_SHARED, bpf_map__fd(c->skel->maps.carriers), 0);

		if (mapped == MAP_FAILED) {
			err = fail(why, -errno, "mapping the carriers map (virtual threads) failed", NULL);
			goto error;
		}
		c->carriers = mapped;
		c->carrier_slots = config->carrier_slots;
	}

	c->ring = ring_buffer__new(bpf_map__fd(c->skel->maps.events), on_record, &c->target, NULL);
	if (!c->ring) {
		err = fail(why, -errno, "opening the BPF ring buffer failed", NULL);
		goto error;
	}

	err = attach_all(c, why);
	if (err)
		goto error;
	/* Writeback's dirtying side; without it the collector runs on and says so (bf_collector_dirtying_problem). */
	if (!config->writeback)
		snprintf(c->dirtying_problem, sizeof(c->dirtying_problem), "off (writeback=off)");
	else if (bf_dirtying_open(c, &c->dirtying, c->dirtying_problem))
		c->dirtying = NULL;
	*out = c;
	return 0;

error:
	bf_collector_close(c);
	return err;
}

void bf_collector_detach(struct bf_collector *c)
{
	bf_dirtying_detach(c->dirtying);
	for (int i = c->link_count - 1; i >= 0; i--)
		bpf_link__destroy(c->links[i]);
	c->link_count = 0;
	c->probes[0] = '\0';
}

int bf_collector_attach(struct bf_collector *c, char *why)
{
	int err = c->link_count ? 0 : attach_all(c, why);

	return err || !c->dirtying ? err : bf_dirtying_attach(c->dirtying, why);
}

const char *bf_collector_dirtying_problem(const struct bf_collector *c)
{
	return c->dirtying ? "" : c->dirtying_problem;
}

int bf_collector_wait(struct bf_collector *c, int timeout_ms, char *why)
{
	struct epoll_event event;
	int ready = epoll_wait(ring_buffer__epoll_fd(c->ring), &event, 1, timeout_ms);

	if (ready < 0 && errno != EINTR)
		return fail(why, -errno, "waiting on the BPF ring buffer failed", NULL);
	return ready < 0 ? 0 : ready;
}

long bf_collector_drain(struct bf_collector *c, void *buf, size_t capacity, char *why)
{
	int err;

	if (capacity < 2 * (sizeof(__u32) + SAMPLE_MAX))
		return fail(why, -EINVAL, "the drain buffer is too small", NULL);
	c->target.buf = buf;
	c->target.capacity = capacity;
	c->target.used = 0;
	err = ring_buffer__consume(c->ring);
	if (err < 0 && err != DRAIN_BUFFER_FULL)
		return fail(why, err, "reading the BPF ring buffer failed", NULL);
	return (long)c->target.used;
}

int bf_collector_counters(struct bf_collector *c, __u64 *out, int n, char *why)
{
	size_t size = sizeof(__u64) * (size_t)c->cpus;
	__u64 *values = malloc(size);

	if (!values)
		return fail(why, -ENOMEM, "allocating the counter buffer failed", NULL);
	for (int i = 0; i < n && i < BF_CNT_MAX; i++) {
		__u32 key = (__u32)i;
		int err = bpf_map__lookup_elem(c->skel->maps.counters, &key, sizeof(key), values, size, 0);

		if (err) {
			free(values);
			return fail(why, err, "reading the BPF counters failed", NULL);
		}
		out[i] = 0;
		for (int cpu = 0; cpu < c->cpus; cpu++)
			out[i] += values[cpu];
	}
	free(values);
	return 0;
}

int bf_collector_stack(struct bf_collector *c, __u32 id, __u64 *frames, int capacity, char *why)
{
	__u64 values[BF_MAX_STACK_DEPTH];
	int depth = 0;
	int err = bpf_map__lookup_elem(c->skel->maps.stacks, &id, sizeof(id), values, sizeof(values), 0);

	if (err)
		return fail(why, err, "reading a kernel stack failed", NULL);
	while (depth < BF_MAX_STACK_DEPTH && depth < capacity && values[depth]) {
		frames[depth] = values[depth];
		depth++;
	}
	return depth;
}

__u64 bf_collector_ring_peak(struct bf_collector *c)
{
	size_t size = sizeof(__u64) * (size_t)c->cpus;
	__u64 *values = malloc(size);
	__u64 peak = 0;
	__u32 key = 0;

	if (values && !bpf_map__lookup_elem(c->skel->maps.ring_peak, &key, sizeof(key), values, size, 0)) {
		for (int cpu = 0; cpu < c->cpus; cpu++)
			if (values[cpu] > peak)
				peak = values[cpu];
	}
	free(values);
	return peak;
}

long bf_collector_expire(struct bf_collector *c, __u64 cutoff_ns, char *why)
{
	int fd = bpf_map__fd(c->skel->maps.requests);
	__u32 capacity = bpf_map__max_entries(c->skel->maps.requests);
	__u64 *stale = calloc(capacity, sizeof(__u64));
	struct bf_request_state state;
	__u64 key, next, *previous = NULL;
	long found = 0, removed = 0;

	if (!stale)
		return fail(why, -ENOMEM, "allocating the expiry buffer failed", NULL);
	/* Collect first: deleting while walking a hash map restarts the walk. Deleting the address's entry
	 * also restarts its generation count, the price of never writing over a lifecycle the kernel side
	 * might be starting at that moment. */
	while (found < capacity && bpf_map_get_next_key(fd, previous, &next) == 0) {
		if (bpf_map_lookup_elem(fd, &next, &state) == 0 && state.active) {
			struct bf_request_record *rec = &state.rec;
			__u64 first_seen = rec->submit_ns ? rec->submit_ns : (rec->insert_ns ? rec->insert_ns : rec->issue_ns);

			if (first_seen && first_seen < cutoff_ns)
				stale[found++] = next;
		}
		key = next;
		previous = &key;
	}
	for (long i = 0; i < found; i++)
		if (bpf_map_delete_elem(fd, &stale[i]) == 0)
			removed++;
	free(stale);
	return removed;
}

int bf_collector_files_end_io(const struct bf_collector *c)
{
	return c->files_end_io;
}

int bf_collector_forget_files(struct bf_collector *c, const __u64 *dev_ino_pairs, int count, char *why)
{
	return bf_files_forget(c->skel, dev_ino_pairs, count, why);
}

size_t bf_collector_max_sample(void)
{
	return SAMPLE_MAX;
}

struct bf_carrier *bf_collector_carriers(const struct bf_collector *c, __u32 *slots)
{
	*slots = c->carrier_slots;
	return c->carriers;
}

const char *bf_collector_probes(const struct bf_collector *c)
{
	return c->probes;
}

int bf_collector_map_fd(const struct bf_collector *c, const char *map)
{
	struct bpf_map *found = bpf_object__find_map_by_name(c->skel->obj, map);

	return found ? bpf_map__fd(found) : -ENOENT;
}

void bf_collector_scope(const struct bf_collector *c, struct bf_scope_settings *out)
{
	out->pidns_dev = c->skel->rodata->pidns_dev;
	out->pidns_ino = c->skel->rodata->pidns_ino;
	out->self_tgid = c->skel->rodata->self_tgid;
	out->scope = c->skel->rodata->scope_mode;
}

void bf_collector_adopt_paths(struct bf_collector *c, struct bf_paths *paths)
{
	bf_paths_destroy(c->paths);
	c->paths = paths;
}

void bf_collector_close(struct bf_collector *c)
{
	if (!c)
		return;
	bf_paths_destroy(c->paths);
	bf_collector_detach(c);
	bf_dirtying_destroy(c->dirtying);
	ring_buffer__free(c->ring);
	requests_bpf__destroy(c->skel);
	free(c);
}

#define LAYOUT_FIELD(type, field)                                                                    \
	used += snprintf(layout + used, sizeof(layout) - used, "%s.%s %zu %zu\n", #type, #field,        \
			 offsetof(struct type, field), sizeof(((struct type *)0)->field))

const char *bf_layout_description(void)
{
	static char layout[16384];
	size_t used = 0;

	used += snprintf(layout + used, sizeof(layout) - used, "bf_request_record %zu %zu\n",
			 (size_t)BF_LAYOUT_VERSION, sizeof(struct bf_request_record));
	LAYOUT_FIELD(bf_request_record, header.kind);
	LAYOUT_FIELD(bf_request_record, header.version);
	LAYOUT_FIELD(bf_request_record, request);
	LAYOUT_FIELD(bf_request_record, submit_ns);
	LAYOUT_FIELD(bf_request_record, alloc_ns);
	LAYOUT_FIELD(bf_request_record, insert_ns);
	LAYOUT_FIELD(bf_request_record, issue_ns);
	LAYOUT_FIELD(bf_request_record, complete_ns);
	LAYOUT_FIELD(bf_request_record, syscall_start_ns);
	LAYOUT_FIELD(bf_request_record, sector);
	LAYOUT_FIELD(bf_request_record, cgroup);
	LAYOUT_FIELD(bf_request_record, dirtied_ns);
	LAYOUT_FIELD(bf_request_record, file_ino);
	LAYOUT_FIELD(bf_request_record, vthread);
	LAYOUT_FIELD(bf_request_record, dirtier_vthread);
	LAYOUT_FIELD(bf_request_record, bytes);
	LAYOUT_FIELD(bf_request_record, dev);
	LAYOUT_FIELD(bf_request_record, tgid);
	LAYOUT_FIELD(bf_request_record, tid);
	LAYOUT_FIELD(bf_request_record, host_tgid);
	LAYOUT_FIELD(bf_request_record, host_tid);
	LAYOUT_FIELD(bf_request_record, dirtier_tgid);
	LAYOUT_FIELD(bf_request_record, dirtier_tid);
	LAYOUT_FIELD(bf_request_record, generation);
	LAYOUT_FIELD(bf_request_record, flags);
	LAYOUT_FIELD(bf_request_record, syscall_nr);
	LAYOUT_FIELD(bf_request_record, submit_stack);
	LAYOUT_FIELD(bf_request_record, insert_stack);
	LAYOUT_FIELD(bf_request_record, issue_stack);
	LAYOUT_FIELD(bf_request_record, complete_stack);
	LAYOUT_FIELD(bf_request_record, file_dev);
	LAYOUT_FIELD(bf_request_record, requeues);
	LAYOUT_FIELD(bf_request_record, merges);
	LAYOUT_FIELD(bf_request_record, dirtiers);
	LAYOUT_FIELD(bf_request_record, other_files);
	LAYOUT_FIELD(bf_request_record, op);
	LAYOUT_FIELD(bf_request_record, status);
	LAYOUT_FIELD(bf_request_record, origin);
	LAYOUT_FIELD(bf_request_record, issuer_context);
	LAYOUT_FIELD(bf_request_record, sample_kind);
	LAYOUT_FIELD(bf_request_record, writeback_reason);
	LAYOUT_FIELD(bf_request_record, credit);
	LAYOUT_FIELD(bf_request_record, stack_weight);
	LAYOUT_FIELD(bf_request_record, file_kind);
	LAYOUT_FIELD(bf_request_record, file_flags);
	LAYOUT_FIELD(bf_request_record, file_seq);
	LAYOUT_FIELD(bf_request_record, comm);
	used += snprintf(layout + used, sizeof(layout) - used, "bf_path_record %zu %zu\n", (size_t)BF_LAYOUT_VERSION,
			 sizeof(struct bf_path_record));
	LAYOUT_FIELD(bf_path_record, header.kind);
	LAYOUT_FIELD(bf_path_record, request);
	LAYOUT_FIELD(bf_path_record, generation);
	LAYOUT_FIELD(bf_path_record, hits);
	LAYOUT_FIELD(bf_path_record, overflow);
	LAYOUT_FIELD(bf_path_record, hit);
	LAYOUT_FIELD(bf_path_hit, ns);
	LAYOUT_FIELD(bf_path_hit, function);
	LAYOUT_FIELD(bf_path_hit, in_issuer);
	LAYOUT_FIELD(bf_path_hit, stack);
	used += snprintf(layout + used, sizeof(layout) - used, "bf_file_record %zu %zu\n", (size_t)BF_LAYOUT_VERSION,
			 sizeof(struct bf_file_record));
	LAYOUT_FIELD(bf_file_record, header.kind);
	LAYOUT_FIELD(bf_file_record, ino);
	LAYOUT_FIELD(bf_file_record, dev);
	LAYOUT_FIELD(bf_file_record, flags);
	LAYOUT_FIELD(bf_file_record, mode);
	LAYOUT_FIELD(bf_file_record, seq);
	LAYOUT_FIELD(bf_file_record, depth);
	LAYOUT_FIELD(bf_file_record, length);
	LAYOUT_FIELD(bf_file_record, names);
	used += snprintf(layout + used, sizeof(layout) - used, "bf_stack_signal_record %zu %zu\n", (size_t)BF_LAYOUT_VERSION,
			 sizeof(struct bf_stack_signal_record));
	LAYOUT_FIELD(bf_stack_signal_record, header.kind);
	LAYOUT_FIELD(bf_stack_signal_record, ns);
	LAYOUT_FIELD(bf_stack_signal_record, tid);
	LAYOUT_FIELD(bf_stack_signal_record, host_tid);
	LAYOUT_FIELD(bf_stack_signal_record, vthread);
#define LAYOUT_CONSTANT(name) used += snprintf(layout + used, sizeof(layout) - used, "const.%s %lld 0\n", #name, (long long)(name))
	LAYOUT_CONSTANT(BF_LAYOUT_VERSION);
	LAYOUT_CONSTANT(BF_RECORD_REQUEST);
	LAYOUT_CONSTANT(BF_RECORD_PATH);
	LAYOUT_CONSTANT(BF_MAX_PATH);
	LAYOUT_CONSTANT(BF_NO_SYSCALL);
	LAYOUT_CONSTANT(BF_MERGES_SATURATED);
	LAYOUT_CONSTANT(BF_NO_STACK);
	LAYOUT_CONSTANT(BF_MAX_STACK_DEPTH);
	LAYOUT_CONSTANT(BF_STAGE_SUBMIT);
	LAYOUT_CONSTANT(BF_STAGE_INSERT);
	LAYOUT_CONSTANT(BF_STAGE_ISSUE);
	LAYOUT_CONSTANT(BF_STAGE_COMPLETE);
	LAYOUT_CONSTANT(BF_STACKS_OFF);
	LAYOUT_CONSTANT(BF_STACKS_SAMPLED);
	LAYOUT_CONSTANT(BF_STACKS_ALL);
	LAYOUT_CONSTANT(BF_SAMPLE_KINDS);
	LAYOUT_CONSTANT(BF_SAMPLE_WINDOW_SHIFT);
	LAYOUT_CONSTANT(BF_SCOPE_ALL);
	LAYOUT_CONSTANT(BF_SCOPE_SELF);
	LAYOUT_CONSTANT(BF_SCOPE_CGROUP);
	LAYOUT_CONSTANT(BF_CREDIT_NONE);
	LAYOUT_CONSTANT(BF_CREDIT_PAGES);
	LAYOUT_CONSTANT(BF_CREDIT_FILE);
	LAYOUT_CONSTANT(BF_DIRTY_CHUNK_SHIFT);
	LAYOUT_CONSTANT(BF_WRITEBACK_OTHER_TASK);
	LAYOUT_CONSTANT(BF_WRITEBACK_JOURNAL);
	LAYOUT_CONSTANT(BF_CREDIT_FSYNC);
	LAYOUT_CONSTANT(BF_CREDIT_SHARED);
	LAYOUT_CONSTANT(BF_ORIGIN_BIO);
	LAYOUT_CONSTANT(BF_ORIGIN_TASK);
	LAYOUT_CONSTANT(BF_ORIGIN_UNKNOWN);
	LAYOUT_CONSTANT(BF_STATUS_END_UNSEEN);
	LAYOUT_CONSTANT(BF_OP_READ);
	LAYOUT_CONSTANT(BF_OP_WRITE);
	LAYOUT_CONSTANT(BF_OP_FLUSH);
	LAYOUT_CONSTANT(BF_OP_DISCARD);
	LAYOUT_CONSTANT(BF_OP_SECURE_ERASE);
	LAYOUT_CONSTANT(BF_OP_WRITE_ZEROES);
	LAYOUT_CONSTANT(BF_OP_ZONE_APPEND);
	LAYOUT_CONSTANT(BF_OP_ZONE_MGMT);
	LAYOUT_CONSTANT(BF_OP_DRV_IN);
	LAYOUT_CONSTANT(BF_OP_DRV_OUT);
	LAYOUT_CONSTANT(BF_FLAG_SYNC);
	LAYOUT_CONSTANT(BF_FLAG_META);
	LAYOUT_CONSTANT(BF_FLAG_FUA);
	LAYOUT_CONSTANT(BF_FLAG_PREFLUSH);
	LAYOUT_CONSTANT(BF_FLAG_RAHEAD);
	LAYOUT_CONSTANT(BF_FLAG_BACKGROUND);
	LAYOUT_CONSTANT(BF_FLAG_PRIO);
	LAYOUT_CONSTANT(BF_FLAG_NOWAIT);
	LAYOUT_CONSTANT(BF_FLAG_IDLE);
	LAYOUT_CONSTANT(BF_FLAG_POLLED);
	LAYOUT_CONSTANT(BF_FLAG_NOMERGE);
	LAYOUT_CONSTANT(BF_RECORD_FILE);
	LAYOUT_CONSTANT(BF_FILE_RECORD_HEAD);
	LAYOUT_CONSTANT(BF_PATH_BYTES);
	LAYOUT_CONSTANT(BF_PATH_DEPTH);
	LAYOUT_CONSTANT(BF_FILE_CHAIN);
	LAYOUT_CONSTANT(BF_FILE_NONE);
	LAYOUT_CONSTANT(BF_FILE_DATA);
	LAYOUT_CONSTANT(BF_FILE_DEVICE_CACHE);
	LAYOUT_CONSTANT(BF_FILE_XFS_LOG);
	LAYOUT_CONSTANT(BF_FILE_XFS_METADATA);
	LAYOUT_CONSTANT(BF_FILE_SWAP);
	LAYOUT_CONSTANT(BF_FILE_RAW_DEVICE);
	LAYOUT_CONSTANT(BF_FILE_USER_MEMORY);
	LAYOUT_CONSTANT(BF_FILE_KERNEL_BUFFER);
	LAYOUT_CONSTANT(BF_FILE_NO_DATA);
	LAYOUT_CONSTANT(BF_FILE_DELETED);
	LAYOUT_CONSTANT(BF_FILE_DIRECT);
	LAYOUT_CONSTANT(BF_FILE_MORE_BIOS);
	LAYOUT_CONSTANT(BF_FILE_PATH_STALE);
	LAYOUT_CONSTANT(BF_PATH_TRUNCATED);
	LAYOUT_CONSTANT(BF_PATH_UNLINKED);
	LAYOUT_CONSTANT(BF_PATH_NO_LINKS);
	LAYOUT_CONSTANT(BF_PATH_NO_DENTRY);
	LAYOUT_CONSTANT(BF_PATH_DISCONNECTED);
	LAYOUT_CONSTANT(BF_PATH_FROM_FILE);
	LAYOUT_CONSTANT(BF_PATH_ALIASES);
	LAYOUT_CONSTANT(BF_PATH_REWALK);
	LAYOUT_CONSTANT(BF_PATH_MOVED);
	LAYOUT_CONSTANT(BF_PATH_SAME_LEAF);
	LAYOUT_CONSTANT(BF_PATH_LINKS);
	LAYOUT_CONSTANT(BF_END_IO_DIRECT);
	LAYOUT_CONSTANT(BF_RECORD_STACK_SIGNAL);
	LAYOUT_CONSTANT(BF_CARRIER_PROBES);
	LAYOUT_CONSTANT(BF_CARRIER_ISSUED);
	LAYOUT_CONSTANT(BF_CARRIER_DIRTIED);
#undef LAYOUT_CONSTANT
#define LAYOUT_COUNTER(name)                                                                          \
	used += snprintf(layout + used, sizeof(layout) - used, "bf_counter.%s %d 8\n", #name, BF_CNT_##name);
	BF_COUNTERS(LAYOUT_COUNTER)
#undef LAYOUT_COUNTER
	return layout;
}

_Static_assert(sizeof(struct bf_record_header) == 8, "record header must stay 8 bytes");
_Static_assert(sizeof(struct bf_request_record) == 216, "bf_request_record changed size: update the Java decoder");
_Static_assert(sizeof(struct bf_carrier) == 16, "bf_carrier changed size: update native/vthreads.c");
_Static_assert(sizeof(struct bf_file_record) == BF_FILE_RECORD_HEAD + BF_PATH_BYTES, "bf_file_record changed size: update the Java decoder");
_Static_assert(offsetof(struct bf_file_record, names) == BF_FILE_RECORD_HEAD, "a file record's names must follow its head");
_Static_assert(sizeof(struct bf_request_record) % 8 == 0, "records must keep 8-byte alignment");
_Static_assert(sizeof(struct bf_stack_signal_record) == 32, "bf_stack_signal_record changed size: update the Java decoder");
_Static_assert(sizeof(struct bf_path_hit) == 16, "bf_path_hit changed size: update the Java decoder");
_Static_assert(sizeof(struct bf_path_record) == 24 + 16 * BF_MAX_PATH, "bf_path_record changed size: update the Java decoder");
