// SPDX-License-Identifier: Apache-2.0
/*
 * Loader of bpf/files.bpf.h's settings and maps (it is part of requests.bpf.c's object): see files_loader.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collector.h"
#include "files.h"
#include "files_loader.h"
#include "requests.h"
#include "requests.skel.h"

/* The functions of enum bf_end_io (bpf/files.h), by the name /proc/kallsyms gives them. */
static const char *const END_IO_NAMES[BF_END_IOS] = {
	[BF_END_IO_DIRECT] = "iomap_dio_bio_end_io",
	[BF_END_IO_CHAIN] = "bio_chain_endio",
	[BF_END_IO_XFS_LOG] = "xlog_bio_end_io",
	[BF_END_IO_XFS_BUFFER] = "xfs_buf_bio_end_io",
	[BF_END_IO_SWAP_READ] = "end_swap_bio_read",
	[BF_END_IO_SWAP_WRITE] = "end_swap_bio_write",
	[BF_END_IO_BLKDEV] = "blkdev_bio_end_io",
	[BF_END_IO_BLKDEV_ASYNC] = "blkdev_bio_end_io_async",
	[BF_END_IO_BLKDEV_SIMPLE] = "blkdev_bio_end_io_simple",
};

static int fail(char *why, int err, const char *what)
{
	snprintf(why, BF_WHY_LEN, "%s: %s (errno %d)", what, strerror(err < 0 ? -err : err), err < 0 ? -err : err);
	return err < 0 ? err : -err;
}

/* Text symbols of the kernel image (type t or T, no module) with exactly these names; 0 where not found.
 * Returns the functions found, bit (1 << enum bf_end_io). */
static int find_end_io(__u64 *addresses)
{
	FILE *kallsyms = fopen("/proc/kallsyms", "re");
	char line[512];
	int found = 0;

	if (!kallsyms)
		return 0;
	while (fgets(line, sizeof(line), kallsyms)) {
		unsigned long long address;
		char type, name[256];

		/* A module's symbol has a fourth field ([module]); the functions asked for are built in. */
		if (sscanf(line, "%llx %c %255s", &address, &type, name) != 3 || (type != 't' && type != 'T') ||
		    strchr(line, '['))
			continue;
		for (int i = 0; i < BF_END_IOS; i++) {
			if (!addresses[i] && strcmp(name, END_IO_NAMES[i]) == 0) {
				addresses[i] = address;
				if (address)
					found |= 1 << i;
			}
		}
	}
	fclose(kallsyms);
	return found;
}

int bf_files_configure(struct requests_bpf *skel, __u32 max_files, char *why)
{
	int err;

	skel->rodata->follow_files = max_files > 0;
	err = bpf_map__set_max_entries(skel->maps.files_seen, max_files ? max_files : 1);
	if (err)
		return fail(why, err, "sizing the map of files failed");
	if (!max_files)
		return 0;
	/* kptr_restrict shows every address as 0 to a process without CAP_SYSLOG: none is found, and direct
	 * I/O is named by its pages (user memory) rather than wrongly. */
	return find_end_io((__u64 *)skel->rodata->end_io_address);
}

int bf_files_forget(struct requests_bpf *skel, const __u64 *dev_ino_pairs, int count, char *why)
{
	int fd = bpf_map__fd(skel->maps.files_seen);

	for (int i = 0; i < count; i++) {
		struct { __u32 dev; __u32 pad; __u64 ino; } key = { .dev = (__u32)dev_ino_pairs[2 * i], .ino = dev_ino_pairs[2 * i + 1] };

		if (bpf_map_delete_elem(fd, &key) && errno != ENOENT)
			return fail(why, -errno, "forgetting a file failed");
	}
	/* The per-CPU caches compare their epoch with this one: a file they still hold is looked up again. */
	__atomic_add_fetch(&skel->bss->files_epoch, 1, __ATOMIC_SEQ_CST);
	return 0;
}
