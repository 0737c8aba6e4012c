// SPDX-License-Identifier: Apache-2.0
/*
 * Loader of bpf/paths.bpf.c: one copy of the object per traced function, bound to its target (fentry) or
 * attached to it (kprobe), sharing the request collector's requests, paths, stacks and counters maps.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "paths.h"
#include "paths.skel.h"

struct bf_paths {
	struct paths_bpf **objects;
	struct bpf_link **links;
	int count;
};

/* Follows typedefs and const/volatile/restrict down to the type they name. */
static const struct btf_type *skip_modifiers(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/* BF_ARG_REQUEST for a struct request *, BF_ARG_BIO for a struct bio *, else 0. */
static int argument_kind(const struct btf *btf, __u32 type_id)
{
	const struct btf_type *t = skip_modifiers(btf, type_id);
	const char *name;

	if (!t || !btf_is_ptr(t))
		return 0;
	t = skip_modifiers(btf, t->type);
	if (!t || !btf_is_struct(t))
		return 0;
	name = btf__name_by_offset(btf, t->name_off);
	if (!name)
		return 0;
	if (!strcmp(name, "request"))
		return BF_ARG_REQUEST;
	if (!strcmp(name, "bio"))
		return BF_ARG_BIO;
	return 0;
}

struct candidates {
	struct bf_function_candidate *items;
	int count;
	int capacity;
};

/* Adds the functions of btf with type ids from first on; returns 0 or -ENOMEM. */
static int collect_functions(const struct btf *btf, __u32 first, const char *module, struct candidates *found)
{
	__u32 types = btf__type_cnt(btf);

	for (__u32 id = first; id < types; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_type *proto;
		const struct btf_param *params;
		int arguments;

		if (!btf_is_func(t))
			continue;
		proto = btf__type_by_id(btf, t->type);
		if (!proto || !btf_is_func_proto(proto))
			continue;
		params = btf_params(proto);
		arguments = btf_vlen(proto);
		/* fentry and kprobes read the six arguments passed in registers (x86-64). */
		for (int i = 0; i < arguments && i < 6; i++) {
			int kind = argument_kind(btf, params[i].type);
			struct bf_function_candidate *candidate;

			if (!kind)
				continue;
			if (found->count == found->capacity) {
				int capacity = found->capacity ? found->capacity * 2 : 256;
				struct bf_function_candidate *grown = realloc(found->items, capacity * sizeof(*grown));

				if (!grown)
					return -ENOMEM;
				found->items = grown;
				found->capacity = capacity;
			}
			candidate = &found->items[found->count++];
			memset(candidate, 0, sizeof(*candidate));
			snprintf(candidate->name, BF_FUNCTION_NAME_LEN, "%s", btf__name_by_offset(btf, t->name_off));
			snprintf(candidate->module, BF_MODULE_NAME_LEN, "%s", module);
			candidate->btf_id = id;
			candidate->arg = (__u8)i;
			candidate->kind = (__u8)kind;
			break;
		}
	}
	return 0;
}

/* The loaded modules' BTF (split on vmlinux's); a module whose BTF does not parse is left out. */
static int collect_module_functions(const struct btf *vmlinux, struct candidates *found)
{
	DIR *dir = opendir("/sys/kernel/btf");
	struct dirent *entry;
	int err = 0;

	if (!dir)
		return 0;
	while (!err && (entry = readdir(dir))) {
		char path[PATH_MAX];
		struct btf *module;

		if (entry->d_name[0] == '.' || !strcmp(entry->d_name, "vmlinux"))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", entry->d_name);
		module = btf__parse_split(path, (struct btf *)vmlinux);
		if (!module)
			continue;
		err = collect_functions(module, btf__type_cnt(vmlinux), entry->d_name, found);
		btf__free(module);
	}
	closedir(dir);
	return err;
}

int bf_functions_discover(const char *btf_path, struct bf_function_candidate **out, char *why)
{
	struct btf *btf = btf_path ? btf__parse(btf_path, NULL) : btf__load_vmlinux_btf();
	struct candidates found = {};
	int err;

	*out = NULL;
	if (!btf) {
		err = -errno;
		snprintf(why, BF_WHY_LEN, "reading BTF from %s failed: %s (errno %d); a BTF file (ELF with .BTF or raw "
			 "BTF such as /sys/kernel/btf/vmlinux) is expected",
			 btf_path ? btf_path : "/sys/kernel/btf/vmlinux", strerror(-err), -err);
		return err;
	}
	err = collect_functions(btf, 1, "", &found);
	if (!err && !btf_path)
		err = collect_module_functions(btf, &found);
	btf__free(btf);
	if (err) {
		free(found.items);
		snprintf(why, BF_WHY_LEN, "out of memory listing the kernel's functions");
		return err;
	}
	*out = found.items;
	return found.count;
}

static struct bpf_program *program_for(struct paths_bpf *skel, enum bf_path_mode mode, int arg)
{
	struct bpf_program *fentry[] = {
		skel->progs.fentry_arg0, skel->progs.fentry_arg1, skel->progs.fentry_arg2,
		skel->progs.fentry_arg3, skel->progs.fentry_arg4, skel->progs.fentry_arg5,
	};
	struct bpf_program *kprobe[] = {
		skel->progs.kprobe_arg0, skel->progs.kprobe_arg1, skel->progs.kprobe_arg2,
		skel->progs.kprobe_arg3, skel->progs.kprobe_arg4, skel->progs.kprobe_arg5,
	};

	return mode == BF_PATHS_FENTRY ? fentry[arg] : kprobe[arg];
}

/* Loads and attaches one function's copy of the object; returns 0 or a negative errno. */
static int attach_function(struct bf_collector *c, struct bf_paths *paths, const struct bf_function_target *target,
			   int index, int stacks, enum bf_path_mode mode)
{
	const char *name = target->name;
	struct paths_bpf *skel = paths_bpf__open();
	struct bpf_program *chosen, *prog;
	struct bpf_link *link;
	int err;

	if (!skel)
		return -errno;
	skel->rodata->function_id = (__u16)index;
	skel->rodata->collect_stacks = (__u8)stacks;
	skel->rodata->argument_is_bio = target->kind == BF_ARG_BIO;
	{
		struct bf_scope_settings scope;

		bf_collector_scope(c, &scope);
		skel->rodata->scope_mode = scope.scope;
		skel->rodata->self_tgid = scope.self_tgid;
		skel->rodata->pidns_dev = scope.pidns_dev;
		skel->rodata->pidns_ino = scope.pidns_ino;
	}
	chosen = program_for(skel, mode, target->arg);
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == chosen);
	if (mode == BF_PATHS_FENTRY && (err = bpf_program__set_attach_target(chosen, 0, name)))
		goto error;
	if ((err = bpf_map__reuse_fd(skel->maps.requests, bf_collector_map_fd(c, "requests"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.paths, bf_collector_map_fd(c, "paths"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.task_paths, bf_collector_map_fd(c, "task_paths"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.stacks, bf_collector_map_fd(c, "stacks"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.counters, bf_collector_map_fd(c, "counters"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.self_host, bf_collector_map_fd(c, "self_host"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.scope_cgroup, bf_collector_map_fd(c, "scope_cgroup"))) ||
	    /* Unused by function-level mode, but declared in shared_state.h: shared rather than made again. */
	    (err = bpf_map__reuse_fd(skel->maps.dirty_files, bf_collector_map_fd(c, "dirty_files"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.dirty_chunks, bf_collector_map_fd(c, "dirty_chunks"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.flushers, bf_collector_map_fd(c, "flushers"))) ||
	    (err = bpf_map__reuse_fd(skel->maps.jvm_transactions, bf_collector_map_fd(c, "jvm_transactions"))))
		goto error;
	if ((err = paths_bpf__load(skel)))
		goto error;
	link = mode == BF_PATHS_FENTRY ? bpf_program__attach(chosen) : bpf_program__attach_kprobe(chosen, false, name);
	if (!link) {
		err = -errno;
		goto error;
	}
	paths->objects[paths->count] = skel;
	paths->links[paths->count] = link;
	paths->count++;
	return 0;

error:
	paths_bpf__destroy(skel);
	return err ? err : -EINVAL;
}

/* Functions tried before a kernel that attached none of them counts as refusing (one may be notrace). */
#define REFUSAL_PROBES 3

int bf_paths_attach(struct bf_collector *c, const struct bf_function_target *targets, int count, int stacks,
		    enum bf_path_mode mode, int *results, char *why)
{
	struct bf_paths *paths = calloc(1, sizeof(*paths));
	enum bf_path_mode used = mode == BF_PATHS_AUTO ? BF_PATHS_FENTRY : mode;
	int fentry_error = 0, kprobe_error = 0;

	if (count > 0xffff) {
		snprintf(why, BF_WHY_LEN, "%d functions asked for; at most 65535 can be traced", count);
		return -E2BIG;
	}
	if (!paths || !(paths->objects = calloc(count ? count : 1, sizeof(*paths->objects))) ||
	    !(paths->links = calloc(count ? count : 1, sizeof(*paths->links)))) {
		bf_paths_destroy(paths);
		snprintf(why, BF_WHY_LEN, "out of memory attaching functions");
		return -ENOMEM;
	}
	for (int i = 0; i < count; i++) {
		if (paths->count == 0 && i == REFUSAL_PROBES)
			break;
		results[i] = targets[i].arg > 5 ? -E2BIG : attach_function(c, paths, &targets[i], i, stacks, used);
		if (results[i] && paths->count == 0) {
			/* Until one function attaches, a failure may be the kernel refusing the mode: in auto mode
			 * the first fentry refusal moves everything to kprobes. */
			if (used == BF_PATHS_FENTRY)
				fentry_error = results[i];
			else
				kprobe_error = results[i];
			if (used == BF_PATHS_FENTRY && mode == BF_PATHS_AUTO) {
				used = BF_PATHS_KPROBE;
				results[i] = attach_function(c, paths, &targets[i], i, stacks, used);
				if (results[i])
					kprobe_error = results[i];
			}
		}
	}
	if (count > 0 && paths->count == 0) {
		char fentry_text[96] = "not tried", kprobe_text[160] = "not tried";
		int err = kprobe_error ? kprobe_error : fentry_error;

		if (fentry_error)
			snprintf(fentry_text, sizeof(fentry_text), "%s (errno %d)", strerror(-fentry_error), -fentry_error);
		if (kprobe_error)
			snprintf(kprobe_text, sizeof(kprobe_text), "%s (errno %d)%s", strerror(-kprobe_error), -kprobe_error,
				 kprobe_error == -ENOENT || kprobe_error == -EOPNOTSUPP
					 ? ", likely a kernel built without CONFIG_KPROBES" : "");
		snprintf(why, BF_WHY_LEN,
			 "the kernel refuses function-level tracing: fentry programs: %s; kprobes: %s "
			 "(tried %s%s)", fentry_text, kprobe_text, targets[0].name, count > 1 ? " and others" : "");
		bf_paths_destroy(paths);
		return err ? err : -EPERM;
	}
	bf_collector_adopt_paths(c, paths);
	return used;
}

void bf_paths_destroy(struct bf_paths *paths)
{
	if (!paths)
		return;
	for (int i = paths->count - 1; i >= 0; i--) {
		bpf_link__destroy(paths->links[i]);
		paths_bpf__destroy(paths->objects[i]);
	}
	free(paths->links);
	free(paths->objects);
	free(paths);
}
