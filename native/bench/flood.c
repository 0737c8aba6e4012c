// SPDX-License-Identifier: Apache-2.0
/*
 * Where the agent's user-space pipeline first loses records: floods a running agent's ring buffer with
 * request records (flood.bpf.c, which reuses the agent's `events` ring buffer and `counters` maps, found
 * through the process's /proc/PID/fdinfo) at rising rates, a few seconds each, and stops after the first
 * rate at which a record found the ring buffer full. Everything after the kernel side is the agent's own:
 * its drain, decoding, thread and device resolution, the JFR commit and the recording. Losses are counted
 * in the agent's counters as the real programs count them, so they show in its recording.
 *
 *   flood PID MAJOR:MINOR TID[,TID...] SECONDS RATE [RATE...]
 *
 * PID: the JVM running the agent; MAJOR:MINOR: the disk the records name; TIDs: Java threads of that JVM
 * the records name as issuers (reads and writes alternate over them); RATE: records per second. Per rate it
 * prints what was written and lost, the ring buffer's highest fill that a record met, and the CPU the agent's
 * collector thread and the whole JVM used per record written. It stops early when this machine cannot write
 * records as fast as asked (the writer needs a CPU of its own, and the agent's JVM competes for the rest).
 * Run as root.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "requests.h"
#include "flood.h"
#include "flood.skel.h"

#define MAX_BATCH 65535
#define TICK_NS 1000000L /* a batch per millisecond: a steady rate, as a device completing requests */
#define SYSCALL_PREAD64 17
#define SYSCALL_PWRITE64 18

static void die(const char *what)
{
	fprintf(stderr, "flood: %s\n", what);
	exit(1);
}

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/*
 * Calls visit with the file DIR/ENTRY (or DIR/ENTRY/LEAF) of each entry of DIR open for reading, until
 * visit returns nonzero; returns that value, 0 when none did, or -1 when DIR cannot be read.
 */
static int each_entry(const char *dir_path, const char *leaf, int (*visit)(FILE *f, const char *entry, void *arg),
		      void *arg)
{
	struct dirent *entry;
	int result = 0;
	DIR *dir = opendir(dir_path);

	if (!dir)
		return -1;
	while (!result && (entry = readdir(dir))) {
		char file[600];
		FILE *f;

		snprintf(file, sizeof(file), "%s/%s%s%s", dir_path, entry->d_name, leaf ? "/" : "", leaf ? leaf : "");
		f = fopen(file, "r");
		if (!f)
			continue;
		result = visit(f, entry->d_name, arg);
		fclose(f);
	}
	closedir(dir);
	return result;
}

struct agent_maps {
	int events_fd;
	int counters_fd;
};

/* One fdinfo file: keeps the descriptor when it names the agent's ring buffer or counters. */
static int visit_fdinfo(FILE *f, const char *entry, void *arg)
{
	struct agent_maps *maps = arg;
	struct bpf_map_info info = {};
	__u32 length = sizeof(info);
	unsigned int id = 0;
	char line[128];
	int fd;

	(void)entry;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "map_id: %u", &id);
	if (!id || (fd = bpf_map_get_fd_by_id(id)) < 0)
		return 0;
	if (!bpf_obj_get_info_by_fd(fd, &info, &length)) {
		if (info.type == BPF_MAP_TYPE_RINGBUF && !strcmp(info.name, "events") && maps->events_fd < 0) {
			maps->events_fd = fd;
			return 0;
		}
		if (info.type == BPF_MAP_TYPE_PERCPU_ARRAY && !strcmp(info.name, "counters") && maps->counters_fd < 0) {
			maps->counters_fd = fd;
			return 0;
		}
	}
	close(fd);
	return 0;
}

/* The agent's maps: its process holds a file descriptor of each; fdinfo names their ids. */
static void find_maps(int pid, struct agent_maps *maps)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
	if (each_entry(path, NULL, visit_fdinfo, maps) < 0)
		die("cannot read the JVM's /proc/PID/fdinfo");
}

/* A task's CPU time so far in clock ticks (utime + stime of its stat file). */
static long cpu_ticks(const char *stat_path)
{
	char buffer[1024];
	unsigned long utime, stime;
	char *p;
	FILE *f = fopen(stat_path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buffer, 1, sizeof(buffer) - 1, f);
	fclose(f);
	buffer[n] = '\0';
	p = strrchr(buffer, ')'); /* the command name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
		return -1;
	return (long)(utime + stime);
}

struct collector_thread {
	int pid;
	char *stat; /* out: the thread's stat file */
	size_t size;
};

/* One thread's comm file: the agent's collector thread is "blkflight collector", cut to 15 characters. */
static int visit_comm(FILE *f, const char *entry, void *arg)
{
	struct collector_thread *thread = arg;
	char comm[32] = "";

	if (!fgets(comm, sizeof(comm), f) || strncmp(comm, "blkflight colle", 15))
		return 0;
	snprintf(thread->stat, thread->size, "/proc/%d/task/%s/stat", thread->pid, entry);
	return 1;
}

/* The stat file of the agent's collector thread; 0, or -1 when the process has none. */
static int collector_stat(int pid, char *out, size_t size)
{
	struct collector_thread thread = { .pid = pid, .stat = out, .size = size };
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	return each_entry(path, "comm", visit_comm, &thread) == 1 ? 0 : -1;
}

static void fill_templates(struct flood_bpf *skel, int pid, unsigned int dev, const char *tids)
{
	char list[512];
	int tid[FLOOD_TEMPLATES / 2], n = 0;

	snprintf(list, sizeof(list), "%s", tids);
	for (char *token = strtok(list, ","); token && n < FLOOD_TEMPLATES / 2; token = strtok(NULL, ","))
		tid[n++] = atoi(token);
	if (!n)
		die("no thread ids");
	for (int i = 0; i < FLOOD_TEMPLATES; i++) {
		struct bf_request_record *rec = &skel->bss->templates[i];
		bool write = i & 1;
		char path[64];
		FILE *f;

		memset(rec, 0, sizeof(*rec));
		rec->header.kind = BF_RECORD_REQUEST;
		rec->header.version = BF_LAYOUT_VERSION;
		rec->bytes = 4096;
		rec->dev = dev;
		rec->tgid = (__u32)pid;
		rec->tid = (__u32)tid[(i / 2) % n];
		rec->host_tgid = rec->tgid;
		rec->host_tid = rec->tid;
		rec->flags = BF_FLAG_SYNC | (write ? BF_FLAG_IDLE : 0);
		rec->syscall_nr = write ? SYSCALL_PWRITE64 : SYSCALL_PREAD64;
		rec->submit_stack = rec->insert_stack = rec->issue_stack = rec->complete_stack = BF_NO_STACK;
		rec->op = write ? BF_OP_WRITE : BF_OP_READ;
		rec->origin = BF_ORIGIN_BIO;
		rec->issuer_context = (1 << BF_STAGE_SUBMIT) | (1 << BF_STAGE_ISSUE);
		snprintf(path, sizeof(path), "/proc/%d/task/%u/comm", pid, rec->tid);
		f = fopen(path, "r");
		if (!f || !fgets(rec->comm, BF_COMM_LEN, f))
			die("a thread id is not a thread of that process");
		fclose(f);
		rec->comm[strcspn(rec->comm, "\n")] = '\0';
	}
}

int main(int argc, char **argv)
{
	struct agent_maps maps = { .events_fd = -1, .counters_fd = -1 };
	int pid, prog_fd;
	unsigned int major, minor;
	struct bpf_map_info info = {};
	__u32 length = sizeof(info);
	struct flood_bpf *skel;
	char collector[600];
	double seconds;
	long hz = sysconf(_SC_CLK_TCK);

	if (argc < 6 || sscanf(argv[2], "%u:%u", &major, &minor) != 2) {
		fprintf(stderr, "usage: flood PID MAJOR:MINOR TID[,TID...] SECONDS RATE [RATE...]\n");
		return 2;
	}
	pid = atoi(argv[1]);
	seconds = atof(argv[4]);
	for (int tries = 0; tries < 150 && (maps.events_fd < 0 || maps.counters_fd < 0); tries++) {
		find_maps(pid, &maps);
		if (maps.events_fd < 0 || maps.counters_fd < 0)
			usleep(100000);
	}
	if (maps.events_fd < 0 || maps.counters_fd < 0)
		die("the process holds no blkflight ring buffer and counters (is the agent running in it?)");
	if (bpf_obj_get_info_by_fd(maps.events_fd, &info, &length))
		die("cannot read the ring buffer's size");
	if (collector_stat(pid, collector, sizeof(collector)))
		die("the process has no blkflight collector thread");

	skel = flood_bpf__open();
	if (!skel)
		die("cannot open flood.bpf.o");
	/* The agent's default wakeupAt=25: the kernel wakes its reader once a quarter of the ring is waiting. */
	skel->rodata->wakeup_bytes = info.max_entries / 4;
	if (bpf_map__reuse_fd(skel->maps.events, maps.events_fd) ||
	    bpf_map__reuse_fd(skel->maps.counters, maps.counters_fd) ||
	    flood_bpf__load(skel))
		die("cannot load flood.bpf.o onto the agent's maps");
	fill_templates(skel, pid, (major << 20) | minor, argv[3]);
	prog_fd = bpf_program__fd(skel->progs.flood);

	printf("ring buffer %u KiB; %.0f s per rate; CPU from /proc in %ld ticks per second\n",
	       info.max_entries / 1024, seconds, hz);
	printf("%12s %12s %10s %14s %22s %16s\n", "rate asked", "written/s", "lost", "ring peak", "collector CPU/record",
	       "JVM CPU/record");
	for (int r = 5; r < argc; r++) {
		long rate = atol(argv[r]);
		char process_stat[64];
		long long start = now_ns(), next = start, sent = 0, elapsed;
		__u64 emitted0 = skel->bss->emitted, lost0 = skel->bss->lost, emitted, lost;
		long collector0 = cpu_ticks(collector), process0, collector1, process1;
		struct timespec tick;
		double written;

		skel->bss->peak = 0;
		snprintf(process_stat, sizeof(process_stat), "/proc/%d/stat", pid);
		process0 = cpu_ticks(process_stat);
		do {
			long long due = (long long)((double)rate * (double)(now_ns() - start) / 1e9) - sent;

			while (due > 0) {
				struct flood_args args = { .count = due > MAX_BATCH ? MAX_BATCH : (__u32)due };
				LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));

				if (bpf_prog_test_run_opts(prog_fd, &opts))
					die("running flood.bpf.o failed");
				sent += args.count;
				due -= args.count;
			}
			next += TICK_NS;
			tick.tv_sec = next / 1000000000LL;
			tick.tv_nsec = next % 1000000000LL;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
			elapsed = now_ns() - start;
		} while (elapsed < seconds * 1e9);
		usleep(300000); /* what is still in the ring buffer is the collector's work of this rate */
		collector1 = cpu_ticks(collector);
		process1 = cpu_ticks(process_stat);
		emitted = skel->bss->emitted - emitted0;
		lost = skel->bss->lost - lost0;
		if (collector0 < 0 || collector1 < 0 || process0 < 0 || process1 < 0)
			die("the JVM or its collector thread ended");
		written = (double)(emitted + lost) * 1e9 / (double)elapsed;
		printf("%12ld %12.0f %10llu %13.1f%% %19.0f ns %13.0f ns\n", rate, written, (unsigned long long)lost,
		       100.0 * (double)skel->bss->peak / (double)info.max_entries,
		       emitted ? (double)(collector1 - collector0) * 1e9 / (double)hz / (double)emitted : 0,
		       emitted ? (double)(process1 - process0) * 1e9 / (double)hz / (double)emitted : 0);
		fflush(stdout);
		if (lost)
			break;
		if (written < 0.9 * (double)rate) {
			printf("this machine writes no faster than that into the ring buffer: stopped\n");
			break;
		}
	}
	printf("total: %llu written, %llu lost\n", (unsigned long long)skel->bss->emitted,
	       (unsigned long long)skel->bss->lost);
	flood_bpf__destroy(skel);
	return 0;
}
