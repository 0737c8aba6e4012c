// SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0)
/*
 * Writeback's other half: who dirtied the pages that a flusher (or any task but their writer) later writes back.
 * The maps are requests.bpf.c's own (shared_state.h), reused by file descriptor; requests.bpf.c credits each
 * writeback request to the dirtier its pages name.
 *
 *   writeback_dirty_folio   a folio went from clean to dirty, in the dirtier's context: write()/pwrite() through
 *                           write_begin/write_end, a store into a MAP_SHARED mapping through page_mkwrite. (A page
 *                           dirty already is not seen again: a second thread's write into it is credited to the
 *                           first.) Only the JVM's dirtying (its scope) is remembered: its file, and the chunk with
 *                           the threads that dirtied it.
 *   writeback_single_inode  the flusher is done with an inode: once it has no dirty pages, the file is forgotten
 *   writeback_start/written the flusher's work begins and ends, in the kernel thread that then submits the bios:
 *                           its reason (background, periodic, sync, memory pressure...) is kept for them
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "requests.h"
#include "shared_state.h"
#include "vthreads.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* include/linux/fs.h: I_DIRTY_PAGES was a macro, (1 << 2), until 6.18 made the inode state bits
 * enum inode_state_flags_t, where it is 64: read by CO-RE where the enum has it, else the macro's value. */
#define I_DIRTY_PAGES_MACRO 4

/* 6.18: folio->flags became memdesc_flags_t { unsigned long f; }; before, an unsigned long. */
struct folio___flags_word {
	unsigned long flags;
} __attribute__((preserve_access_index));

struct folio___flags_memdesc {
	memdesc_flags_t flags;
} __attribute__((preserve_access_index));

/* 6.18 named the folio's page count _nr_pages; 6.1 and 6.12 _folio_nr_pages. */
struct folio___pre_6_18 {
	unsigned int _folio_nr_pages;
} __attribute__((preserve_access_index));

/* The pages of a folio: 1, or for a large folio (its head page flag set) its page count. */
static __always_inline __u32 folio_pages(struct folio *folio)
{
	int head_bit = bpf_core_enum_value(enum pageflags, PG_head);
	unsigned long flags;

	if (bpf_core_field_exists(struct folio___flags_memdesc, flags))
		flags = BPF_CORE_READ((struct folio___flags_memdesc *)folio, flags.f);
	else
		flags = BPF_CORE_READ((struct folio___flags_word *)folio, flags);
	if (!(flags & (1UL << (head_bit & 63))))
		return 1;
	if (bpf_core_field_exists(struct folio, _nr_pages))
		return BPF_CORE_READ(folio, _nr_pages);
	return BPF_CORE_READ((struct folio___pre_6_18 *)folio, _folio_nr_pages);
}

/* The dirtier as the JVM's PID namespace numbers it (what JVMTI and the thread dumps name). */
static __always_inline void dirtier_ids(__u64 pid_tgid, __u32 *tgid, __u32 *tid)
{
	struct bpf_pidns_info ns;

	if (!pidns_ino) {
		*tgid = pid_tgid >> 32;
		*tid = (__u32)pid_tgid;
	} else if (!bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns))) {
		*tgid = ns.tgid;
		*tid = ns.pid;
	} else {
		*tgid = 0;
		*tid = 0;
	}
}

/*
 * Adds the dirtier's pages to a chunk; after the chunk was credited to a request, the tally starts again. A dirtier is
 * a thread and the virtual thread mounted on it: virtual threads on one carrier are dirtiers apart.
 */
static __always_inline void tally(struct bf_dirty_chunk_key *key, __u32 tgid, __u32 tid, __u64 vthread, __u32 pages,
				  __u64 now)
{
	struct bf_dirty_chunk *chunk = bpf_map_lookup_elem(&dirty_chunks, key);
	__u64 dirtier = bf_dirtier(tid, vthread);

	if (!chunk) {
		struct bf_dirty_chunk fresh = { .last_ns = now, .tgid = tgid };

		fresh.dirtier[0] = bf_dirtier(tid, vthread);
		fresh.pages[0] = pages > 0xffff ? 0xffff : pages;
		/* An LRU map makes room by forgetting the chunk used longest ago (then the file's dirtier is credited). */
		bpf_map_update_elem(&dirty_chunks, key, &fresh, BPF_ANY);
		return;
	}
	if (chunk->written_ns > chunk->last_ns) {
		__builtin_memset(chunk->dirtier, 0, sizeof(chunk->dirtier));
		__builtin_memset(chunk->pages, 0, sizeof(chunk->pages));
	}
	chunk->last_ns = now;
	chunk->tgid = tgid;
	for (int i = 0; i < BF_DIRTY_SLOTS; i++) {
		if (chunk->dirtier[i] == dirtier || !chunk->dirtier[i]) {
			chunk->dirtier[i] = dirtier;
			chunk->pages[i] = chunk->pages[i] + pages > 0xffff ? 0xffff : chunk->pages[i] + pages;
			return;
		}
	}
	/* A fifth thread in one chunk: its pages go uncounted (the chunk's first four are credited). */
}

SEC("tp_btf/writeback_dirty_folio")
int BPF_PROG(dirty_folio, struct folio *folio, struct address_space *mapping)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct bf_dirty_chunk_key key;
	struct bf_dirty_file *file;
	__u32 tgid, tid;
	__u64 now, vthread;

	/* Every process's dirtying comes here: the scope first. 6.18's verifier has the mapping argument maybe-NULL. */
	if (!in_scope(pid_tgid) || !folio || !mapping)
		return 0;
	now = bpf_ktime_get_ns();
	dirtier_ids(pid_tgid, &tgid, &tid);
	vthread = tgid == self_tgid ? mounted_vthread(tid, BF_CARRIER_DIRTIED) : 0;
	key.mapping = (__u64)mapping;
	key.chunk = folio->index >> BF_DIRTY_CHUNK_SHIFT;
	file = bpf_map_lookup_elem(&dirty_files, &key.mapping);
	if (file) {
		file->last_ns = now;
		file->tgid = tgid;
		file->tid = tid;
		file->vthread = vthread;
	} else {
		struct bf_dirty_file fresh = { .last_ns = now, .vthread = vthread, .tgid = tgid, .tid = tid };

		if (bpf_map_update_elem(&dirty_files, &key.mapping, &fresh, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&dirty_files, &key.mapping)) {
			count(BF_CNT_DIRTY_FILES_LOST);
			return 0;
		}
	}
	tally(&key, tgid, tid, vthread, folio_pages(folio), now);
	return 0;
}

/* The flusher wrote an inode back; if no dirty page is left, the file is forgotten (written again, it comes back). */
SEC("tp_btf/writeback_single_inode")
int BPF_PROG(inode_written, struct inode *inode, struct writeback_control *wbc, unsigned long nr_to_write)
{
	__u64 mapping;
	unsigned long dirty_pages = bpf_core_enum_value_exists(enum inode_state_flags_t, I_DIRTY_PAGES)
		? bpf_core_enum_value(enum inode_state_flags_t, I_DIRTY_PAGES) : I_DIRTY_PAGES_MACRO;

	if (!inode)
		return 0;
	mapping = (__u64)BPF_CORE_READ(inode, i_mapping);
	if (!(BPF_CORE_READ(inode, i_state) & dirty_pages))
		bpf_map_delete_elem(&dirty_files, &mapping);
	return 0;
}

SEC("tp_btf/writeback_start")
int BPF_PROG(flusher_start, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct bf_flusher *flusher;

	if (!work)
		return 0;
	flusher = bpf_task_storage_get(&flushers, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (flusher)
		flusher->reason = (__u8)(BPF_CORE_READ(work, reason) + 1);
	return 0;
}

SEC("tp_btf/writeback_written")
int BPF_PROG(flusher_done, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct bf_flusher *flusher = bpf_task_storage_get(&flushers, bpf_get_current_task_btf(), 0, 0);

	if (flusher)
		flusher->reason = 0;
	return 0;
}
