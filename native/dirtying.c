// SPDX-License-Identifier: Apache-2.0
/*
 * Loader of bpf/dirtying.bpf.c: the same scope settings as the collector's programs, the collector's maps reused by
 * file descriptor (the dirtying maps are created and sized with the request collector's), its programs attached.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "dirtying.h"
#include "dirtying.skel.h"

#define DIRTYING_LINKS 9

struct bf_dirtying {
	struct dirtying_bpf *skel;
	struct bpf_link *links[DIRTYING_LINKS];
	int link_count;
	bool journal; /* the kernel has ext4's and jbd2's tracepoints (built in): journal commits are followed */
};

/* ext4 and jbd2 may be modules (their tracepoints then absent from vmlinux's BTF): the journal part is skipped. */
static bool kernel_has_journal_tracepoints(void)
{
	return libbpf_find_vmlinux_btf_id("jbd2_start_commit", BPF_TRACE_RAW_TP) > 0 &&
	       libbpf_find_vmlinux_btf_id("jbd2_end_commit", BPF_TRACE_RAW_TP) > 0 &&
	       libbpf_find_vmlinux_btf_id("jbd2_handle_start", BPF_TRACE_RAW_TP) > 0 &&
	       libbpf_find_vmlinux_btf_id("ext4_sync_file_enter", BPF_TRACE_RAW_TP) > 0 &&
	       libbpf_find_vmlinux_btf_id("ext4_sync_file_exit", BPF_TRACE_RAW_TP) > 0;
}

static int failed(char *why, int err, const char *what)
{
	if (err > 0)
		err = -err;
	if (!err)
		err = -EINVAL;
	snprintf(why, BF_WHY_LEN, "%s: %s (errno %d)", what, strerror(-err), -err);
	return err;
}

int bf_dirtying_open(struct bf_collector *c, struct bf_dirtying **out, char *why)
{
	struct bf_dirtying *d = calloc(1, sizeof(*d));
	struct bf_scope_settings scope;
	__u32 slots;
	int err;

	*out = NULL;
	if (!d)
		return failed(why, -ENOMEM, "allocating the dirtying programs failed");
	d->skel = dirtying_bpf__open();
	if (!d->skel) {
		err = failed(why, -errno, "opening the dirtying programs failed");
		goto error;
	}
	bf_collector_scope(c, &scope);
	d->skel->rodata->scope_mode = scope.scope;
	d->skel->rodata->self_tgid = scope.self_tgid;
	d->skel->rodata->pidns_dev = scope.pidns_dev;
	d->skel->rodata->pidns_ino = scope.pidns_ino;
	d->skel->rodata->follow_vthreads = bf_collector_carriers(c, &slots) != NULL;
	d->skel->rodata->carrier_slots = slots ? slots : 1;
	if ((err = bpf_map__reuse_fd(d->skel->maps.dirty_files, bf_collector_map_fd(c, "dirty_files"))) ||
	    (err = bpf_map__reuse_fd(d->skel->maps.dirty_chunks, bf_collector_map_fd(c, "dirty_chunks"))) ||
	    (err = bpf_map__reuse_fd(d->skel->maps.flushers, bf_collector_map_fd(c, "flushers"))) ||
	    (err = bpf_map__reuse_fd(d->skel->maps.jvm_transactions, bf_collector_map_fd(c, "jvm_transactions"))) ||
	    (err = bpf_map__reuse_fd(d->skel->maps.self_host, bf_collector_map_fd(c, "self_host"))) ||
	    (err = bpf_map__reuse_fd(d->skel->maps.scope_cgroup, bf_collector_map_fd(c, "scope_cgroup"))) ||
	    (err = bpf_map__reuse_fd(d->skel->maps.counters, bf_collector_map_fd(c, "counters"))) ||
	    (err = bpf_map__reuse_fd(d->skel->maps.carriers, bf_collector_map_fd(c, "carriers")))) {
		err = failed(why, err, "sharing the collector's maps with the dirtying programs failed");
		goto error;
	}
	/* Maps of shared_state.h the dirtying programs never use: the smallest the kernel takes. */
	if ((err = bpf_map__set_max_entries(d->skel->maps.requests, 1)) ||
	    (err = bpf_map__set_max_entries(d->skel->maps.paths, 1)) ||
	    (err = bpf_map__set_max_entries(d->skel->maps.stacks, 1))) {
		err = failed(why, err, "sizing the dirtying programs' maps failed");
		goto error;
	}
	d->journal = kernel_has_journal_tracepoints();
	bpf_program__set_autoload(d->skel->progs.journal_handle, d->journal);
	bpf_program__set_autoload(d->skel->progs.journal_fsync, d->journal);
	bpf_program__set_autoload(d->skel->progs.journal_fsync_done, d->journal);
	bpf_program__set_autoload(d->skel->progs.journal_commit_start, d->journal);
	bpf_program__set_autoload(d->skel->progs.journal_commit_end, d->journal);
	if ((err = dirtying_bpf__load(d->skel))) {
		err = failed(why, err, "loading the dirtying programs failed");
		goto error;
	}
	if ((err = bf_dirtying_attach(d, why)))
		goto error;
	*out = d;
	return 0;

error:
	bf_dirtying_destroy(d);
	return err;
}

int bf_dirtying_attach(struct bf_dirtying *d, char *why)
{
	/* The journal's end before its start, as the flusher's: a half-attached pair never leaves a stale commit. */
	struct bpf_program *progs[DIRTYING_LINKS] = {
		d->skel->progs.flusher_done, d->skel->progs.flusher_start, d->skel->progs.inode_written,
		d->skel->progs.dirty_folio, d->skel->progs.journal_commit_end, d->skel->progs.journal_commit_start,
		d->skel->progs.journal_fsync_done, d->skel->progs.journal_fsync, d->skel->progs.journal_handle,
	};
	int count = d->journal ? DIRTYING_LINKS : 4;

	if (d->link_count)
		return 0;
	for (int i = 0; i < count; i++) {
		struct bpf_link *link = bpf_program__attach(progs[i]);

		if (!link) {
			char what[160];
			int err = -errno;

			snprintf(what, sizeof(what), "attaching to tracepoint %s failed",
				 strchr(bpf_program__section_name(progs[i]), '/') + 1);
			bf_dirtying_detach(d);
			return failed(why, err, what);
		}
		d->links[d->link_count++] = link;
	}
	return 0;
}

void bf_dirtying_detach(struct bf_dirtying *d)
{
	if (!d)
		return;
	for (int i = d->link_count - 1; i >= 0; i--)
		bpf_link__destroy(d->links[i]);
	d->link_count = 0;
}

void bf_dirtying_destroy(struct bf_dirtying *d)
{
	if (!d)
		return;
	bf_dirtying_detach(d);
	dirtying_bpf__destroy(d->skel);
	free(d);
}
