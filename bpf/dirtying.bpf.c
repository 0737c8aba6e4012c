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
 *                           the threads that dirtied it. A thread that goes on dirtying the chunk it dirtied last
 *                           (a log or segment appender) adds its pages in its own task storage and writes them into
 *                           the maps once per BF_DIRTY_BATCH_PAGES pages or BF_DIRTY_BATCH_NS (dirtying_batch).
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

/* 6.18 made the inode's state an enum inode_state_flags_t; before, an unsigned long. */
struct inode___state_word {
	unsigned long i_state;
} __attribute__((preserve_access_index));

static __always_inline unsigned long inode_state(struct inode *inode)
{
	if (bpf_core_field_exists(struct inode___state_word, i_state))
		return BPF_CORE_READ((struct inode___state_word *)inode, i_state);
	return BPF_CORE_READ(inode, i_state);
}

/*
 * Each dirtying thread's last chunk, and the pages it dirtied there since the maps last had them: an appender
 * dirtying page after page of one chunk touches no map for up to BF_DIRTY_BATCH_PAGES pages or BF_DIRTY_BATCH_NS,
 * a task-storage look-up instead of two hash look-ups and their writes (the dirtying hook runs for every page the
 * JVM dirties, far more often than requests start). The maps lag by at most that much: the file's last dirtying
 * time by up to 1 ms, a chunk's page count of a thread that stops by fewer than BF_DIRTY_BATCH_PAGES pages (a
 * chunk's first dirtying by a thread is always written at once, so its dirtiers are always known). A file forgotten
 * once written clean (writeback_single_inode) ends every thread's batch (files_forgotten), so that its next
 * dirtying names the file again at once.
 */
#define BF_DIRTY_BATCH_PAGES 64
#define BF_DIRTY_BATCH_NS 1000000ULL

struct dirtying_batch {
	__u64 mapping;      /* the chunk: its file's struct address_space *, and its index */
	__u64 chunk;
	__u64 vthread;      /* the virtual thread mounted then: another one is another dirtier */
	__u64 written_ns;   /* when the batch's pages last went into the maps */
	__u32 forgotten;    /* files_forgotten then */
	__u32 pending;      /* pages dirtied since, in the maps' tally not yet */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct dirtying_batch);
} dirtying_batches SEC(".maps");

/* Bumped whenever a file is forgotten: every thread's batch ends. */
__u32 files_forgotten = 0;

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

		fresh.dirtier[0] = dirtier;
		fresh.dirtied_ns[0] = now;
		fresh.pages[0] = pages > 0xffff ? 0xffff : pages;
		/* An LRU map makes room by forgetting the chunk used longest ago (then the file's dirtier is credited). */
		bpf_map_update_elem(&dirty_chunks, key, &fresh, BPF_ANY);
		return;
	}
	if (chunk->written_ns > chunk->last_ns) {
		__builtin_memset(chunk->dirtier, 0, sizeof(chunk->dirtier));
		__builtin_memset(chunk->pages, 0, sizeof(chunk->pages));
		__builtin_memset(chunk->dirtied_ns, 0, sizeof(chunk->dirtied_ns));
	}
	chunk->last_ns = now;
	chunk->tgid = tgid;
	for (int i = 0; i < BF_DIRTY_SLOTS; i++) {
		if (chunk->dirtier[i] == dirtier || !chunk->dirtier[i]) {
			chunk->dirtier[i] = dirtier;
			chunk->dirtied_ns[i] = now;
			chunk->pages[i] = chunk->pages[i] + pages > 0xffff ? 0xffff : chunk->pages[i] + pages;
			return;
		}
	}
	/* A fifth thread in one chunk: its pages go uncounted (the chunk's first four are credited), and counted. */
	count(BF_CNT_DIRTIERS_UNTALLIED);
}

SEC("tp_btf/writeback_dirty_folio")
int BPF_PROG(dirty_folio, struct folio *folio, struct address_space *mapping)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct bf_dirty_chunk_key key;
	struct bf_dirty_file *file;
	struct dirtying_batch *batch;
	__u32 tgid, tid, pages;
	__u64 now, vthread;

	/* Every process's dirtying comes here: the scope first. 6.18's verifier has the mapping argument maybe-NULL. */
	if (!in_scope(pid_tgid) || !folio || !mapping)
		return 0;
	now = bpf_ktime_get_ns();
	dirtier_ids(pid_tgid, &tgid, &tid);
	vthread = tgid == self_tgid ? mounted_vthread(tid, BF_CARRIER_DIRTIED) : 0;
	key.mapping = (__u64)mapping;
	key.chunk = folio->index >> BF_DIRTY_CHUNK_SHIFT;
	pages = folio_pages(folio);
	batch = bpf_task_storage_get(&dirtying_batches, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (batch) {
		bool same_chunk = batch->mapping == key.mapping && batch->chunk == key.chunk && batch->vthread == vthread;

		if (same_chunk && batch->forgotten == files_forgotten && now - batch->written_ns < BF_DIRTY_BATCH_NS
		    && batch->pending + pages < BF_DIRTY_BATCH_PAGES) {
			batch->pending += pages;
			return 0;
		}
		if (batch->pending && !same_chunk) {
			/* The pages of the chunk it leaves, into that chunk's tally. */
			struct bf_dirty_chunk_key left = { .mapping = batch->mapping, .chunk = batch->chunk };

			tally(&left, tgid, tid, batch->vthread, batch->pending, batch->written_ns);
		} else {
			pages += batch->pending;
		}
		batch->mapping = key.mapping;
		batch->chunk = key.chunk;
		batch->vthread = vthread;
		batch->written_ns = now;
		batch->forgotten = files_forgotten;
		batch->pending = 0;
	}
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
	tally(&key, tgid, tid, vthread, pages, now);
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
	if (!(inode_state(inode) & dirty_pages) && !bpf_map_delete_elem(&dirty_files, &mapping))
		__sync_fetch_and_add(&files_forgotten, 1);
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

/*
 * The journal (ext4's jbd2). A thread's fsync on ext4 waits for the journal thread to commit the transaction that
 * holds the file's last change; the commit's log blocks (and in data=ordered mode the dirty data it writes first)
 * are submitted by that kernel thread. Transactions the JVM's threads changed are remembered (jbd2_handle_start
 * in the JVM's context), with the first thread that waits for one in fsync; while the journal thread commits one
 * of them, its requests are recorded: credited to the waiter, or shared. The transaction an fsync waits for is
 * the file's last change's: at ext4_sync_file_enter the inode names it, unless the fsync's own data writeback
 * (delayed allocation) changes the inode in a newer one, which its handles then name.
 */

/* Threads of the JVM inside ext4's fsync, from ext4_sync_file_enter to ext4_sync_file_exit. */
struct fsyncing {
	__u8 in;
	__u8 pad[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct fsyncing);
} fsyncing SEC(".maps");

/* Notes the current thread of the JVM as waiting for the transaction's commit (the first waiter is credited). */
static __always_inline void wait_for(__u64 pid_tgid, struct bf_journal_key *key)
{
	struct bf_journal_txn *txn = bpf_map_lookup_elem(&jvm_transactions, key);

	if (!txn) {
		struct bf_journal_txn fresh = {};

		bpf_map_update_elem(&jvm_transactions, key, &fresh, BPF_NOEXIST);
		txn = bpf_map_lookup_elem(&jvm_transactions, key);
		if (!txn)
			return;
	}
	if (!txn->waiters++) {
		txn->wait_ns = bpf_ktime_get_ns();
		dirtier_ids(pid_tgid, &txn->waiter_tgid, &txn->waiter_tid);
		/* An fsync of a virtual thread waits on its carrier (a file force pins it there). */
		txn->waiter_vthread = txn->waiter_tgid == self_tgid ? mounted_vthread(txn->waiter_tid, BF_CARRIER_ISSUED) : 0;
	}
}

/* struct ext4_inode_info holds the VFS inode; the transaction ids an fsync waits for are beside it. */
static __always_inline __u32 sync_transaction(struct inode *inode, int datasync)
{
	struct ext4_inode_info *ei = (void *)inode - bpf_core_field_offset(struct ext4_inode_info, vfs_inode);

	return datasync ? BPF_CORE_READ(ei, i_datasync_tid) : BPF_CORE_READ(ei, i_sync_tid);
}

SEC("tp_btf/jbd2_handle_start")
int BPF_PROG(journal_handle, dev_t dev, tid_t tid, unsigned int type, unsigned int line_no, int requested_blocks)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct bf_journal_key key = { .dev = dev, .tid = tid };
	struct bf_journal_txn fresh = {};
	struct fsyncing *sync;

	if (!in_scope(pid_tgid))
		return 0;
	sync = bpf_task_storage_get(&fsyncing, bpf_get_current_task_btf(), 0, 0);
	if (sync && sync->in) {
		wait_for(pid_tgid, &key);
		return 0;
	}
	/* Known already (the usual case): nothing to write. */
	if (bpf_map_lookup_elem(&jvm_transactions, &key))
		return 0;
	bpf_map_update_elem(&jvm_transactions, &key, &fresh, BPF_NOEXIST);
	return 0;
}

SEC("tp_btf/ext4_sync_file_enter")
int BPF_PROG(journal_fsync, struct file *file, int datasync)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct bf_journal_key key;
	struct fsyncing *sync;
	struct inode *inode;

	if (!in_scope(pid_tgid) || !file)
		return 0;
	inode = BPF_CORE_READ(file, f_inode);
	if (!inode)
		return 0;
	sync = bpf_task_storage_get(&fsyncing, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (sync)
		sync->in = 1;
	key.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	key.tid = sync_transaction(inode, datasync);
	wait_for(pid_tgid, &key);
	return 0;
}

SEC("tp_btf/ext4_sync_file_exit")
int BPF_PROG(journal_fsync_done, struct inode *inode, int ret)
{
	struct fsyncing *sync = bpf_task_storage_get(&fsyncing, bpf_get_current_task_btf(), 0, 0);

	if (sync)
		sync->in = 0;
	return 0;
}

SEC("tp_btf/jbd2_start_commit")
int BPF_PROG(journal_commit_start, journal_t *journal, transaction_t *commit_transaction)
{
	struct bf_flusher *committer;

	if (!journal || !commit_transaction)
		return 0;
	committer = bpf_task_storage_get(&flushers, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (committer) {
		committer->reason = BF_WRITEBACK_JOURNAL;
		committer->journal_dev = BPF_CORE_READ(journal, j_fs_dev, bd_dev);
		committer->journal_tid = BPF_CORE_READ(commit_transaction, t_tid);
	}
	return 0;
}

SEC("tp_btf/jbd2_end_commit")
int BPF_PROG(journal_commit_end, journal_t *journal, transaction_t *commit_transaction)
{
	struct bf_flusher *committer = bpf_task_storage_get(&flushers, bpf_get_current_task_btf(), 0, 0);

	if (committer && committer->reason == BF_WRITEBACK_JOURNAL) {
		struct bf_journal_key key = { .dev = committer->journal_dev, .tid = committer->journal_tid };

		bpf_map_delete_elem(&jvm_transactions, &key);
		committer->reason = 0;
	}
	return 0;
}
