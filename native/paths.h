/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Function-level mode (bpf/paths.bpf.c): finds the kernel functions that take a struct request * (or a
 * struct bio *) from BTF, and loads one program per traced function, fentry where the kernel allows it,
 * else kprobes, sharing the request collector's maps.
 */
#ifndef BLKFLIGHT_PATHS_H
#define BLKFLIGHT_PATHS_H

#include <linux/types.h>

#include "collector.h"

#define BF_FUNCTION_NAME_LEN 128

enum bf_argument_kind {
	BF_ARG_REQUEST = 1,
	BF_ARG_BIO = 2,
};

#define BF_MODULE_NAME_LEN 64

struct bf_function_candidate {
	char name[BF_FUNCTION_NAME_LEN];
	char module[BF_MODULE_NAME_LEN]; /* empty for vmlinux */
	__u32 btf_id;
	__u8 arg;  /* position of the first struct request * (or bio *) parameter, 0-based */
	__u8 kind; /* enum bf_argument_kind */
	__u8 pad[2];
};

/*
 * Every function in the BTF with a struct request * or struct bio * among its first six parameters (the
 * ones passed in registers, which fentry and kprobes read): the kernel's own and its loaded modules'
 * (/sys/kernel/btf), or only the file at btf_path. Sets *out to a malloc'ed array; returns its length or
 * a negative errno with why saying what failed.
 */
int bf_functions_discover(const char *btf_path, struct bf_function_candidate **out, char *why);

enum bf_path_mode {
	BF_PATHS_AUTO = 0,
	BF_PATHS_FENTRY = 1,
	BF_PATHS_KPROBE = 2,
};

/* One function to trace: the argument at position arg is a struct request * or struct bio * (kind). */
struct bf_function_target {
	char name[BF_FUNCTION_NAME_LEN];
	__u8 arg;
	__u8 kind; /* enum bf_argument_kind */
};

/*
 * Attaches the functions to the collector, in the mode asked for (auto: fentry, else kprobes); the hit of
 * targets[i] records function index i. results[i] is 0 or the negative errno of that function. Returns
 * the mode used, or a negative errno when the kernel refuses both, with why saying so.
 */
int bf_paths_attach(struct bf_collector *c, const struct bf_function_target *targets, int count, int stacks,
		    enum bf_path_mode mode, int *results, char *why);

/* Detaches and unloads every function's program (the collector does it when it closes). */
void bf_paths_destroy(struct bf_paths *paths);

#endif /* BLKFLIGHT_PATHS_H */
