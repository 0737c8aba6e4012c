/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The loader's part of file resolution (bpf/files.bpf.h, compiled into requests.bpf.c): the addresses of the
 * bio completion functions that tell what a bio carries, the size of the map of files whose path was sent,
 * and forgetting a file so that the kernel side sends its path again.
 */
#ifndef BLKFLIGHT_FILES_LOADER_H
#define BLKFLIGHT_FILES_LOADER_H

#include <linux/types.h>

struct requests_bpf;

/*
 * Between open and load: files on with at most max_files paths remembered as sent (0: files off). Finds the
 * completion functions in /proc/kallsyms; those it cannot find (kallsyms hiding addresses, or a kernel without
 * the function) stay 0, and their bios are named by their pages alone. Returns the functions found, bit
 * (1 << enum bf_end_io), or a negative errno with why saying what failed.
 */
int bf_files_configure(struct requests_bpf *skel, __u32 max_files, char *why);

/*
 * After load: forgets the files (dev, ino pairs, kernel dev_t encoding) so that the next request of each sends
 * its path again, and makes every CPU's cache of files start over. Returns 0 or a negative errno.
 */
int bf_files_forget(struct requests_bpf *skel, const __u64 *dev_ino_pairs, int count, char *why);

#endif /* BLKFLIGHT_FILES_LOADER_H */
