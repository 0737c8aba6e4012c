// SPDX-License-Identifier: Apache-2.0
/*
 * What the kernel side costs a running workload, measured in one run: windows of a few seconds in which
 * nothing is attached, only programs that return at once are attached to the collector's tracepoints (the
 * floor any BPF tool pays there), or the collector itself is (loaded once, with the agent's default
 * configuration, its ring buffer drained by a thread as the agent's collector would, but without making
 * JFR events). Each round runs the three in a shuffled order; the figures are medians over rounds of the
 * ratio to the round's window without programs, from the device's completed requests (its stat file) and
 * the machine's busy CPU (/proc/stat). Alternating windows within one run of one workload keeps a shared
 * machine's drift out of the comparison far better than separate runs. A last phase reads the kernel's
 * own run time of each collector program (kernel.bpf_stats_enabled, on only then: it adds two clock reads
 * per program run).
 *
 *   kernel-cost PID DEVICE [SECONDS_PER_WINDOW] [ROUNDS]
 *
 * PID: the workload process (the collector follows its I/O, as with scope=self); DEVICE: the disk it
 * uses (loop0). Run as root. The collector runs with the agent's defaults: files named, writeback followed, kernel
 * stacks sampled (200/s), virtual threads looked up; KERNEL_COST_FILES=off, KERNEL_COST_WRITEBACK=off,
 * KERNEL_COST_STACKS=off (or =all) and KERNEL_COST_VTHREADS=off change that. KERNEL_COST_COMPARE=files|stacks|
 * writeback|vthreads prices one of them instead (KERNEL_COST_FILES=compare is KERNEL_COST_COMPARE=files): a second
 * collector without it is loaded too, and the two take turns in windows of the same workload (in a shuffled order
 * each round), each window measuring the kernel run time of its collector's programs per request (bpf_stats); the
 * figures are medians over rounds, and of the paired differences.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collector.h"
#include "requests.h"
#include "dispatch.skel.h"

#define MAX_PROBES 32
#define MAX_ROUNDS 1000

enum config { OFF, FLOOR, COLLECTOR, CONFIGS };
static const char *const NAMES[CONFIGS] = { "no programs", "programs that return at once", "collector (kernel side)" };

static struct bf_collector *collector;
/* KERNEL_COST_COMPARE: the same collector without the part compared (its name in compared). */
static struct bf_collector *without_files;
static const char *compared;
static volatile bool draining = true;

static void *drain(void *unused)
{
	static char buffer[1 << 20];
	char why[BF_WHY_LEN];

	while (draining) {
		if (bf_collector_wait(collector, 50, why) < 0 || bf_collector_drain(collector, buffer, sizeof(buffer), why) < 0 ||
		    (without_files && (bf_collector_wait(without_files, 50, why) < 0 ||
				       bf_collector_drain(without_files, buffer, sizeof(buffer), why) < 0))) {
			fprintf(stderr, "kernel-cost: %s\n", why);
			exit(1);
		}
	}
	return unused;
}

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Requests the device completed so far (reads and writes). */
static long completed(const char *device)
{
	char path[128];
	long reads, merged, sectors, ticks, writes;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/stat", device);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%ld %ld %ld %ld %ld", &reads, &merged, &sectors, &ticks, &writes) != 5) {
		fprintf(stderr, "kernel-cost: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	return reads + writes;
}

/* Clock ticks all CPUs spent busy so far (user, nice, system, irq, softirq). */
static long busy_ticks(void)
{
	long user, nice, system, idle, iowait, irq, softirq;
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %ld %ld %ld %ld %ld %ld %ld", &user, &nice, &system, &idle, &iowait, &irq, &softirq) != 7) {
		fprintf(stderr, "kernel-cost: cannot read /proc/stat\n");
		exit(1);
	}
	fclose(f);
	return user + nice + system + irq + softirq;
}

/* The floor: one copy of the dispatch-only program per tracepoint in the collector's comma-separated list. */
static int load_floor(const char *probes, struct dispatch_bpf **copies, int *count)
{
	char list[512];
	char *save = NULL;

	snprintf(list, sizeof(list), "%s", probes);
	*count = 0;
	for (char *tracepoint = strtok_r(list, ",", &save); tracepoint; tracepoint = strtok_r(NULL, ",", &save)) {
		struct dispatch_bpf *copy = dispatch_bpf__open();

		if (!copy || *count == MAX_PROBES ||
		    bpf_program__set_attach_target(copy->progs.dispatch_only, 0, tracepoint) || dispatch_bpf__load(copy)) {
			fprintf(stderr, "kernel-cost: loading the floor program for %s failed\n", tracepoint);
			return -1;
		}
		copies[(*count)++] = copy;
	}
	return 0;
}

static int attach(enum config config, struct dispatch_bpf **floor, int floors, struct bpf_link **links, char *why)
{
	if (config == COLLECTOR)
		return bf_collector_attach(collector, why);
	for (int i = 0; config == FLOOR && i < floors; i++) {
		links[i] = bpf_program__attach(floor[i]->progs.dispatch_only);
		if (!links[i]) {
			snprintf(why, BF_WHY_LEN, "attaching a floor program failed: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void detach(enum config config, struct bpf_link **links, int floors)
{
	if (config == COLLECTOR)
		bf_collector_detach(collector);
	for (int i = 0; config == FLOOR && i < floors; i++)
		bpf_link__destroy(links[i]);
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void quartiles(double *values, int n, double out[3])
{
	qsort(values, n, sizeof(double), compare);
	out[0] = values[n / 4];
	out[1] = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
	out[2] = values[(3 * n) / 4];
}

/* The kernel's CLOCK_BOOTTIME, which program load times are given in. */
static __u64 boot_nanos(void)
{
	struct timespec t;

	clock_gettime(CLOCK_BOOTTIME, &t);
	return (__u64)t.tv_sec * 1000000000ULL + (__u64)t.tv_nsec;
}

/* A collector's programs are the tracing programs loaded in [loaded_after, loaded_before), but the floor's. */
static int collector_programs_between(__u64 loaded_after, __u64 loaded_before, int *fds, int capacity)
{
	__u32 id = 0;
	int n = 0;

	while (n < capacity && bpf_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info = {};
		__u32 length = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &length) == 0 && info.type == BPF_PROG_TYPE_TRACING &&
		    info.load_time >= loaded_after && info.load_time < loaded_before && strcmp(info.name, "dispatch_only") != 0)
			fds[n++] = fd;
		else
			close(fd);
	}
	return n;
}

static int collector_programs(__u64 loaded_after, int *fds, int capacity)
{
	return collector_programs_between(loaded_after, ~0ULL, fds, capacity);
}

/* The programs' summed run time per request the device completed in a window with them attached. */
static double run_time_per_request(struct bf_collector *c, const int *fds, int n, const char *device, double seconds)
{
	__u64 time = 0, after = 0;
	long requests;
	char why[BF_WHY_LEN];

	if (bf_collector_attach(c, why)) {
		fprintf(stderr, "kernel-cost: %s\n", why);
		exit(1);
	}
	usleep(150000);
	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 length = sizeof(info);

		bpf_obj_get_info_by_fd(fds[i], &info, &length);
		time += info.run_time_ns;
	}
	requests = completed(device);
	usleep((useconds_t)(seconds * 1e6));
	requests = completed(device) - requests;
	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 length = sizeof(info);

		bpf_obj_get_info_by_fd(fds[i], &info, &length);
		after += info.run_time_ns;
	}
	bf_collector_detach(c);
	return requests > 0 ? (double)(after - time) / (double)requests : 0;
}

/*
 * KERNEL_COST_COMPARE: the kernel run time per request of the collector with the part compared and without, in
 * alternating windows (shuffled order per round); medians and quartiles over rounds, and of the paired difference.
 */
static void compare_part(const char *device, double seconds, int rounds, __u64 with_loaded, __u64 without_loaded)
{
	int with[MAX_PROBES], without[MAX_PROBES];
	int n_with = collector_programs_between(with_loaded, without_loaded, with, MAX_PROBES);
	int n_without = collector_programs_between(without_loaded, ~0ULL, without, MAX_PROBES);
	double on[MAX_ROUNDS], off[MAX_ROUNDS], difference[MAX_ROUNDS], q[3];
	FILE *sysctl = fopen("/proc/sys/kernel/bpf_stats_enabled", "w");

	if (!sysctl || fputs("1", sysctl) < 0 || fflush(sysctl)) {
		fprintf(stderr, "kernel-cost: cannot enable kernel.bpf_stats_enabled\n");
		exit(1);
	}
	printf("%d rounds of %.1f s windows: the collector with %s and without, shuffled; kernel run time per request "
	       "(bpf_stats, %d and %d programs)\n", rounds, seconds, compared, n_with, n_without);
	for (int round = 0; round < rounds; round++) {
		if (rand() % 2) {
			on[round] = run_time_per_request(collector, with, n_with, device, seconds);
			off[round] = run_time_per_request(without_files, without, n_without, device, seconds);
		} else {
			off[round] = run_time_per_request(without_files, without, n_without, device, seconds);
			on[round] = run_time_per_request(collector, with, n_with, device, seconds);
		}
		difference[round] = on[round] - off[round];
		printf("  round %2d: with %s %6.0f ns per request, without %6.0f ns\n", round + 1, compared, on[round], off[round]);
		fflush(stdout);
	}
	quartiles(on, rounds, q);
	printf("\nwith %-10s %6.0f %6.0f %6.0f ns per request (quartiles: 25%% median 75%%)\n", compared, q[0], q[1], q[2]);
	quartiles(off, rounds, q);
	printf("without %-7s %6.0f %6.0f %6.0f ns per request\n", compared, q[0], q[1], q[2]);
	quartiles(difference, rounds, q);
	printf("difference     %6.0f %6.0f %6.0f ns per request (paired, per round)\n", q[0], q[1], q[2]);
	fputs("0", sysctl);
	fclose(sysctl);
}

/* Per collector program: its own run time per run, and all of them per request the device completed. */
static void program_times(const char *device, double seconds, __u64 loaded_after)
{
	int fds[MAX_PROBES];
	__u64 time[MAX_PROBES], runs[MAX_PROBES];
	int n = collector_programs(loaded_after, fds, MAX_PROBES);
	double per_request = 0;
	long requests;
	FILE *sysctl = fopen("/proc/sys/kernel/bpf_stats_enabled", "w");
	char why[BF_WHY_LEN];

	if (!sysctl || fputs("1", sysctl) < 0 || fflush(sysctl)) {
		fprintf(stderr, "kernel-cost: cannot enable kernel.bpf_stats_enabled\n");
		exit(1);
	}
	if (bf_collector_attach(collector, why)) {
		fprintf(stderr, "kernel-cost: %s\n", why);
		exit(1);
	}
	usleep(150000);
	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 length = sizeof(info);

		bpf_obj_get_info_by_fd(fds[i], &info, &length);
		time[i] = info.run_time_ns;
		runs[i] = info.run_cnt;
	}
	requests = completed(device);
	usleep((useconds_t)(seconds * 1e6));
	requests = completed(device) - requests;
	printf("\nkernel run time of each collector program (bpf_stats, %.0f s, %ld requests):\n", seconds, requests);
	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 length = sizeof(info);

		if (bpf_obj_get_info_by_fd(fds[i], &info, &length) == 0 && info.run_cnt > runs[i]) {
			printf("  %-14s %10llu runs %7.0f ns per run\n", info.name, (unsigned long long)(info.run_cnt - runs[i]),
			       (double)(info.run_time_ns - time[i]) / (double)(info.run_cnt - runs[i]));
			per_request += requests > 0 ? (double)(info.run_time_ns - time[i]) / (double)requests : 0;
		}
		close(fds[i]);
	}
	printf("  all of them: %.0f ns per request (bpf_stats itself adds about two clock reads to every run)\n", per_request);
	fputs("0", sysctl);
	fclose(sysctl);
	bf_collector_detach(collector);
}

/* Whether the environment variable is set to that value. */
static bool is(const char *variable, const char *value)
{
	const char *set = getenv(variable);

	return set && !strcmp(set, value);
}

int main(int argc, char **argv)
{
	struct bf_collector_config config = {
		.ring_buffer_bytes = 8 << 20, .max_inflight = 16384, .max_bios = 4 * 16384, .wakeup_bytes = 2 << 20,
	};
	struct dispatch_bpf *floor[MAX_PROBES];
	struct bpf_link *links[MAX_PROBES];
	double rate[CONFIGS][MAX_ROUNDS], cpu[CONFIGS][MAX_ROUNDS];
	double seconds = argc > 3 ? atof(argv[3]) : 2;
	int rounds = argc > 4 ? atoi(argv[4]) : 20;
	int floors;
	char why[BF_WHY_LEN];
	pthread_t drainer;
	const char *device;
	__u64 loaded_after;

	if (argc < 3 || seconds <= 0 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: kernel-cost PID DEVICE [SECONDS_PER_WINDOW (2)] [ROUNDS (20), at most %d]\n", MAX_ROUNDS);
		return 2;
	}
	config.scope = BF_SCOPE_SELF;
	config.self_tgid = (__u32)atoi(argv[1]);
	config.max_files = is("KERNEL_COST_FILES", "off") ? 0 : 8192;
	config.writeback = !is("KERNEL_COST_WRITEBACK", "off");
	/* The agent's default on JDK 21 and later: the kernel side looks up the issuer's carrier slot. */
	config.carrier_slots = is("KERNEL_COST_VTHREADS", "off") ? 0 : 16384;
	/* The agent's default: stacks=200/s (its stack map of 8,192 stacks). */
	config.stack_mode = is("KERNEL_COST_STACKS", "off") ? BF_STACKS_OFF : is("KERNEL_COST_STACKS", "all") ? BF_STACKS_ALL
														 : BF_STACKS_SAMPLED;
	config.stack_entries = config.stack_mode == BF_STACKS_OFF ? 0 : 8192;
	config.stack_rate = 200;
	compared = is("KERNEL_COST_FILES", "compare") ? "files" : getenv("KERNEL_COST_COMPARE");
	if (compared && strcmp(compared, "files") && strcmp(compared, "stacks") && strcmp(compared, "writeback")
	    && strcmp(compared, "vthreads")) {
		fprintf(stderr, "kernel-cost: KERNEL_COST_COMPARE=%s: give files, stacks, writeback or vthreads\n", compared);
		return 2;
	}
	device = argv[2];
	srand((unsigned)time(NULL));
	loaded_after = boot_nanos();
	if (bf_collector_open(&config, &collector, why)) {
		fprintf(stderr, "kernel-cost: %s\n", why);
		return 1;
	}
	if (compared) {
		__u64 without_loaded = boot_nanos();

		if (!strcmp(compared, "files"))
			config.max_files = 0;
		else if (!strcmp(compared, "stacks"))
			config.stack_mode = BF_STACKS_OFF, config.stack_entries = 0;
		else if (!strcmp(compared, "writeback"))
			config.writeback = 0;
		else
			config.carrier_slots = 0;
		if (bf_collector_open(&config, &without_files, why)) {
			fprintf(stderr, "kernel-cost: %s\n", why);
			return 1;
		}
		bf_collector_detach(collector);
		bf_collector_detach(without_files);
		pthread_create(&drainer, NULL, drain, NULL);
		compare_part(device, seconds, rounds, loaded_after, without_loaded);
		draining = false;
		pthread_join(drainer, NULL);
		bf_collector_close(without_files);
		bf_collector_close(collector);
		return 0;
	}
	printf("collector probes: %s\n", bf_collector_probes(collector));
	if (load_floor(bf_collector_probes(collector), floor, &floors))
		return 1;
	bf_collector_detach(collector);
	pthread_create(&drainer, NULL, drain, NULL);
	printf("%d rounds of %.1f s windows: no programs, programs that return at once, the collector; shuffled\n", rounds, seconds);
	for (int round = 0; round < rounds; round++) {
		enum config order[CONFIGS] = { OFF, FLOOR, COLLECTOR };

		for (int i = CONFIGS - 1; i > 0; i--) {
			int j = rand() % (i + 1);
			enum config swap = order[i];

			order[i] = order[j];
			order[j] = swap;
		}
		for (int i = 0; i < CONFIGS; i++) {
			long requests, ticks;
			double start;

			if (attach(order[i], floor, floors, links, why)) {
				fprintf(stderr, "kernel-cost: %s\n", why);
				return 1;
			}
			usleep(150000); /* what attaching set in motion settles */
			requests = completed(device);
			ticks = busy_ticks();
			start = now_seconds();
			usleep((useconds_t)(seconds * 1e6));
			requests = completed(device) - requests;
			ticks = busy_ticks() - ticks;
			rate[order[i]][round] = (double)requests / (now_seconds() - start);
			cpu[order[i]][round] = requests > 0 ? (double)ticks * (1e9 / (double)sysconf(_SC_CLK_TCK)) / (double)requests : 0;
			detach(order[i], links, floors);
		}
		printf("  round %2d: %8.0f /s %6.2f us CPU per request | floor %8.0f /s %6.2f us | collector %8.0f /s %6.2f us\n",
		       round + 1, rate[OFF][round], cpu[OFF][round] / 1000, rate[FLOOR][round], cpu[FLOOR][round] / 1000,
		       rate[COLLECTOR][round], cpu[COLLECTOR][round] / 1000);
		fflush(stdout);
	}
	printf("\n%-30s %26s %30s\n", "", "throughput vs no programs", "CPU per request vs no programs");
	printf("%-30s %26s %30s\n", "", "(quartiles: 25% median 75%)", "(quartiles)");
	for (int c = FLOOR; c < CONFIGS; c++) {
		double throughput[MAX_ROUNDS], cost[MAX_ROUNDS], t[3], q[3];

		for (int round = 0; round < rounds; round++) {
			throughput[round] = rate[c][round] / rate[OFF][round];
			cost[round] = cpu[c][round] / cpu[OFF][round];
		}
		quartiles(throughput, rounds, t);
		quartiles(cost, rounds, q);
		printf("%-30s %8.3f %8.3fx %8.3f %10.3f %8.3fx %8.3f\n", NAMES[c], t[0], t[1], t[2], q[0], q[1], q[2]);
	}
	program_times(device, seconds * 2, loaded_after);
	draining = false;
	pthread_join(drainer, NULL);
	for (int i = 0; i < floors; i++)
		dispatch_bpf__destroy(floor[i]);
	bf_collector_close(collector);
	return 0;
}
