/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * Which file a block request reads or writes, found on tracepoints only (bpf_d_path cannot be called from
 * tp_btf programs): from a bio's data pages, or for direct I/O from the I/O's own reference to the file.
 *
 *   file_of_bio()    the file (or what else the data is: metadata, journal, swap, ...) of one bio, any bio: the
 *                    page-cache route is what the flusher's writeback needs too
 *   request_file()   at a lifecycle's start: the file of the request's first bio into its record, and the
 *                    file's path sent once (a bounded dentry walk into a bf_file_record) when it is new
 *   other_files()    at dispatch: the files of the other bios merged into the request, counted
 *
 * Resolution reads fields directly through the tracepoint's BTF pointers (fault-safe, a few ns each); only
 * direct I/O, whose bio names its iomap_dio through a void *, and the rare cases below take probe reads.
 * A path is walked once per file: a per-CPU cache of the files met last, then an LRU map of the files whose
 * path was sent, keyed by (s_dev, ino) and holding the struct inode * and its i_generation (a new file at a
 * freed inode number, even in the same struct inode, is walked again), and the name it was walked by: the
 * dentry, its parent and its name's hash and length. A rename (d_move) changes the dentry's name or parent, so
 * each request of a known file compares those (four loads), and the name hash of the directory it is in (one
 * more; salted by that directory's parent, so a move of the directory changes it too), and walks again at once
 * when they moved: the requests after a rename of the file or of its directory name the new path. A rename of a
 * directory higher up changes none of them; a walk older than BF_FILE_REWALK_NS is done again, so that shows by
 * then.
 *
 * Included by requests.bpf.c after vmlinux.h, libbpf's headers and shared_state.h; it needs, defined before
 * it, the ring buffer `events` and ring_wakeup_flags().
 */
#ifndef BLKFLIGHT_FILES_BPF_H
#define BLKFLIGHT_FILES_BPF_H

#include "files.h"

/* Set by the loader (native/files_loader.c) before load. */
const volatile __u8 follow_files = 0;
/* Addresses of the kernel's bio completion functions that tell what a bio is (enum bf_end_io), from
 * /proc/kallsyms; 0 where not found (a kernel without the function, or kallsyms hiding addresses). */
const volatile __u64 end_io_address[BF_END_IOS] = {};

/*
 * When /proc/kallsyms hides addresses (kptr_restrict, a container without CAP_SYSLOG), iomap's direct-I/O
 * completion is learned from the first bio that proves to be one (learn_direct_end_io): its bi_private's first
 * field leads to a kiocb whose file was opened with O_DIRECT, is a regular file, and lives on the very block
 * device the bio goes to. Completion functions that failed the proof are remembered (a few), so that metadata or
 * journal bios are looked at once. Unused (and pruned by the verifier) when end_io_address names the function.
 */
__u64 direct_end_io_learned = 0;
/* And bio_chain_endio (a bio split off another, whose bi_private is that bio), once direct I/O's is known: from
 * the first bio whose bi_private is a bio of direct I/O on the same device. */
__u64 chain_end_io_learned = 0;
#define BF_END_IO_REJECTED 8
__u64 direct_end_io_rejected[BF_END_IO_REJECTED] = {};

/* Walks done (path records made), for their numbers (bf_file_record.seq). */
__u32 file_walks = 0;

/* Bumped by user space when it forgets a file (files_seen entry deleted): every CPU's cache starts over. */
__u32 files_epoch = 0;

/* A walk older than this is done again when the file is met: a renamed file shows its new name by then. */
#define BF_FILE_REWALK_NS (10ULL * 1000 * 1000 * 1000)

/* The block device pseudo filesystem's magic: a page of a block device's own page cache. */
#define BDEVFS_MAGIC_VALUE 0x62646576

/*
 * The name a file was walked by, as it was then: a rename (d_move) gives the dentry another name (hash and
 * length) or parent, an unlink or a rename over it unhashes it, and a dentry freed and reused names another inode.
 */
struct bf_file_leaf {
	__u64 dentry;     /* the dentry the walk began at (0: the inode had none) */
	__u64 parent;     /* its d_parent */
	__u64 hash_len;   /* its d_name.hash_len: the name's hash (salted by the parent) and length */
	__u32 hashed;     /* whether it was hashed (d_hash.pprev set) */
	__u32 seq;        /* the walk's number, as its path record says (bf_file_record.seq) */
	__u64 directory;  /* the d_name.hash_len of the directory it is in: its name's hash is salted by its own parent,
	                   * so a rename of the directory or a move of it elsewhere changes it */
};

/* How the name a file was last walked by differs from what its dentry says now (leaf_change). */
enum bf_leaf_change {
	BF_LEAF_SAME = 0,     /* the same name: nothing to walk */
	BF_LEAF_MOVED = 1,    /* another name or parent: renamed (walked again from the same dentry) */
	BF_LEAF_HASHED = 2,   /* unhashed (unlinked, or renamed over) or hashed again: walked again, from it when the
	                       * file has no link left, else from the name it has now */
	BF_LEAF_GONE = 3,     /* the dentry names another inode now (freed and reused): walked from the file's name now */
};

/* What a bio's data belongs to. */
struct bf_file_id {
	__u64 ino;
	__u64 inode;      /* struct inode *: with the generation, the identity of the file while the kernel keeps it */
	__u64 dentry;     /* the open file's dentry (direct I/O), else 0: walk from the inode's first alias */
	struct bf_file_leaf leaf; /* the name the file was last walked by; a walk begins at leaf.dentry when it is set,
	                           * and leaves there the name it walked */
	__u32 dev;
	__u32 nlink;
	__u32 generation; /* i_generation: a new file at a freed inode number (and a reused struct inode) has another */
	__u8 kind;        /* enum bf_file_kind */
	__u8 flags;       /* BF_FILE_DIRECT */
	__u8 pad[2];
};

/* Files whose path was sent: (s_dev, ino) -> the inode and generation walked, and when. Sized by the loader (maxFiles). */
struct bf_file_key {
	__u32 dev;
	__u32 pad;
	__u64 ino;
};

struct bf_file_seen {
	__u64 inode;
	__u64 walked_ns;
	struct bf_file_leaf leaf;
	__u32 generation;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192); /* resized by the loader */
	__type(key, struct bf_file_key);
	__type(value, struct bf_file_seen);
} files_seen SEC(".maps");

/* Per CPU, direct-mapped: the files met last, so that a request of a known file costs no hash lookup. */
#define BF_FILE_SLOTS 64

struct bf_file_slot {
	__u64 inode;
	__u64 ino;
	__u64 walked_ns;
	struct bf_file_leaf leaf;
	__u32 dev;
	__u32 generation;
	__u32 epoch;
	__u32 pad;
};

struct bf_file_cache {
	struct bf_file_slot slot[BF_FILE_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bf_file_cache);
} files_cache SEC(".maps");

/* Per CPU: where a path is walked before it goes to the ring buffer at its own length. busy keeps a program
 * that nests on the CPU (an interrupt's dispatch before 6.5) from writing into a walk under way. */
struct bf_file_scratch {
	struct bf_file_record rec;
	__u32 busy;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bf_file_scratch);
} file_scratch SEC(".maps");

/* Before 5.12 a bio named its disk and partition number; since then it names the partition's block_device. */
struct bio___files_pre_5_12 {
	struct gendisk *bi_disk;
	__u8 bi_partno;
} __attribute__((preserve_access_index));

/* dev_t of the partition a bio was submitted to (kernel encoding). */
static __always_inline __u32 bio_partition(struct bio *bio)
{
	if (bpf_core_field_exists(struct bio___files_pre_5_12, bi_disk)) {
		struct bio___files_pre_5_12 *old = (void *)bio;
		struct gendisk *disk = old->bi_disk;

		return disk ? (((__u32)disk->major << 20) | (__u32)disk->first_minor) + old->bi_partno : 0;
	}
	return bio->bi_bdev ? bio->bi_bdev->bd_dev : 0;
}

/* The same for a bio known by its address only (probe reads). */
static __always_inline __u32 bio_partition_read(struct bio *bio)
{
	if (bpf_core_field_exists(struct bio___files_pre_5_12, bi_disk)) {
		struct bio___files_pre_5_12 *old = (void *)bio;
		struct gendisk *disk = BPF_CORE_READ(old, bi_disk);

		return disk ? ((BPF_CORE_READ(disk, major) << 20) | BPF_CORE_READ(disk, first_minor)) +
				      BPF_CORE_READ(old, bi_partno) : 0;
	}
	return BPF_CORE_READ(bio, bi_bdev, bd_dev);
}

/*
 * A typed pointer as a number, for a global function's scalar argument (6.1's verifier refuses a BTF pointer
 * there, and any arithmetic but add and sub on one): copied out through a probe read of the program's own stack.
 */
static __always_inline __u64 launder(const void *p)
{
	__u64 value = 0;

	bpf_probe_read_kernel(&value, sizeof(value), &p);
	return value;
}

/* A bio whose data pages are not a file's (or not a mapped page at all): what its completion function says. */
static __always_inline void classify_unmapped(__u64 end_io, bool mapped, struct bf_file_id *id)
{
	if (end_io && end_io == end_io_address[BF_END_IO_XFS_LOG])
		id->kind = BF_FILE_XFS_LOG;
	else if (end_io && end_io == end_io_address[BF_END_IO_XFS_BUFFER])
		id->kind = BF_FILE_XFS_METADATA;
	else if (end_io && (end_io == end_io_address[BF_END_IO_SWAP_READ] || end_io == end_io_address[BF_END_IO_SWAP_WRITE]))
		id->kind = BF_FILE_SWAP;
	else if (end_io && (end_io == end_io_address[BF_END_IO_BLKDEV] || end_io == end_io_address[BF_END_IO_BLKDEV_ASYNC] ||
			    end_io == end_io_address[BF_END_IO_BLKDEV_SIMPLE]))
		id->kind = BF_FILE_RAW_DEVICE;
	else
		id->kind = mapped ? BF_FILE_USER_MEMORY : BF_FILE_KERNEL_BUFFER;
}

/* Whether a bio's completion function is the one of enum bf_end_io: as /proc/kallsyms names it, or as learned. */
static __always_inline bool end_io_is(__u64 end_io, int which, __u64 learned)
{
	if (!end_io)
		return false;
	if (end_io_address[which])
		return end_io == end_io_address[which];
	return end_io == learned;
}

/* iomap's direct I/O. */
static __always_inline bool is_direct_end_io(__u64 end_io)
{
	return end_io_is(end_io, BF_END_IO_DIRECT, direct_end_io_learned);
}

/* A bio split off another (bio_chain_endio). */
static __always_inline bool is_chain_end_io(__u64 end_io)
{
	return end_io_is(end_io, BF_END_IO_CHAIN, chain_end_io_learned);
}

/* Whether a bio's completion function may still be learned as direct I/O's (see direct_end_io_learned). */
static __always_inline bool may_learn_direct_end_io(__u64 end_io)
{
	if (end_io_address[BF_END_IO_DIRECT] || direct_end_io_learned || !end_io)
		return false;
	for (int i = 0; i < BF_END_IO_REJECTED; i++)
		if (direct_end_io_rejected[i] == end_io)
			return false;
	return true;
}

#ifndef O_DIRECT
#define O_DIRECT 040000
#endif
#define BF_S_IFMT 0170000
#define BF_S_IFREG 0100000

/*
 * The proof that a bio (by its address; its chain already followed) is iomap direct I/O: bi_private's first field
 * (struct iomap_dio's iocb) is a kiocb whose file has O_DIRECT in f_flags, whose inode is a regular file of a
 * filesystem on the bio's own block device, and the completion function is a kernel text address. A block device
 * node's direct I/O (its blkdev_dio starts with the kiocb too) fails: its inode's filesystem has no block device.
 * Probe reads throughout: bi_private may be anything. Returns 1 when end_io was learned, 0 when it failed (and is
 * remembered as rejected).
 */
static __always_inline int learn_direct_end_io(__u64 bio_address, __u64 end_io)
{
	struct bio *bio = (void *)bio_address;
	struct iomap_dio *dio = BPF_CORE_READ(bio, bi_private);
	struct kiocb *iocb = dio ? BPF_CORE_READ(dio, iocb) : NULL;
	struct file *file = iocb ? BPF_CORE_READ(iocb, ki_filp) : NULL;
	struct inode *inode = file ? BPF_CORE_READ(file, f_inode) : NULL;
	struct super_block *sb = inode ? BPF_CORE_READ(inode, i_sb) : NULL;
	struct block_device *fs_device = sb ? BPF_CORE_READ(sb, s_bdev) : NULL;
	struct block_device *bio_device = BPF_CORE_READ(bio, bi_bdev);
	__u32 slot;

	if ((end_io >> 63) && fs_device && fs_device == bio_device &&
	    (BPF_CORE_READ(file, f_flags) & O_DIRECT) && (BPF_CORE_READ(inode, i_mode) & BF_S_IFMT) == BF_S_IFREG) {
		__sync_val_compare_and_swap(&direct_end_io_learned, 0, end_io);
		return direct_end_io_learned == end_io;
	}
	slot = (__u32)(end_io >> 4) & (BF_END_IO_REJECTED - 1);
	direct_end_io_rejected[slot] = end_io;
	return 0;
}

/*
 * The proof that a bio (by its address) was split off a direct I/O bio: its bi_private is a bio of the same block
 * device whose completion is direct I/O's. Only bio_chain() points a bio's bi_private at another bio. Returns 1
 * when end_io was learned as bio_chain_endio.
 */
static __always_inline int learn_chain_end_io(__u64 bio_address, __u64 end_io)
{
	struct bio *bio = (void *)bio_address;
	struct bio *parent = BPF_CORE_READ(bio, bi_private);
	__u64 parent_end_io = parent ? (__u64)BPF_CORE_READ(parent, bi_end_io) : 0;

	if ((end_io >> 63) && is_direct_end_io(parent_end_io) &&
	    BPF_CORE_READ(parent, bi_bdev) == BPF_CORE_READ(bio, bi_bdev)) {
		__sync_val_compare_and_swap(&chain_end_io_learned, 0, end_io);
		return chain_end_io_learned == end_io;
	}
	return 0;
}

/*
 * The first bio of direct I/O met may have been split off it (a request bigger than the device takes): the proof
 * on its bi_private as the bio it was split from (same block device), then the split's own completion is
 * bio_chain_endio's. Returns the parent bio's address when both were learned, else 0.
 */
static __always_inline __u64 learn_direct_end_io_from_parent(__u64 bio_address, __u64 end_io)
{
	struct bio *bio = (void *)bio_address;
	struct bio *parent = BPF_CORE_READ(bio, bi_private);
	__u64 parent_end_io;

	if (!parent || BPF_CORE_READ(parent, bi_bdev) != BPF_CORE_READ(bio, bi_bdev))
		return 0;
	parent_end_io = (__u64)BPF_CORE_READ(parent, bi_end_io);
	if (!may_learn_direct_end_io(parent_end_io) || !learn_direct_end_io((__u64)parent, parent_end_io))
		return 0;
	return learn_chain_end_io(bio_address, end_io) ? (__u64)parent : 0;
}

/* Whether bio_chain_endio may still be learned: hidden addresses, direct I/O's known, the chain's not yet. */
static __always_inline bool may_learn_chain_end_io(__u64 end_io)
{
	return !end_io_address[BF_END_IO_CHAIN] && !chain_end_io_learned && end_io &&
	       (end_io_address[BF_END_IO_DIRECT] || direct_end_io_learned) && !is_direct_end_io(end_io);
}

/* A number for the cache's slot, from ino and dev (an inode pointer read directly is a pointer to the verifier,
 * which no shift may touch); computed where needed rather than kept in the bf_file_id on the stack. */
static __always_inline __u64 file_key(const struct bf_file_id *id)
{
	return id->ino ^ ((__u64)id->dev << 32);
}

/* The per-CPU cache's slot for a file's key. */
static __always_inline struct bf_file_slot *file_slot(__u64 key)
{
	__u32 zero = 0;
	struct bf_file_cache *cache = bpf_map_lookup_elem(&files_cache, &zero);

	if (!cache)
		return NULL;
	return &cache->slot[((key >> 8) ^ key ^ (key >> 32)) & (BF_FILE_SLOTS - 1)];
}

/* Whether a slot holds the file (its inode and generation), as this epoch knows it, from a walk younger than
 * BF_FILE_REWALK_NS. */
static __always_inline bool slot_fresh(struct bf_file_slot *slot, const struct bf_file_id *id, __u64 now)
{
	return slot && slot->inode == id->inode && slot->generation == id->generation && slot->ino == id->ino &&
	       slot->dev == id->dev && slot->epoch == files_epoch && now - slot->walked_ns < BF_FILE_REWALK_NS;
}

static __always_inline void slot_fill(struct bf_file_slot *slot, const struct bf_file_id *id, __u64 walked_ns)
{
	if (!slot)
		return;
	slot->inode = id->inode;
	slot->ino = id->ino;
	slot->dev = id->dev;
	slot->generation = id->generation;
	slot->epoch = files_epoch;
	slot->walked_ns = walked_ns;
	slot->leaf = id->leaf;
}

/*
 * Direct I/O through iomap (ext4, xfs): the bio's pages are the user's buffer, so the file comes from the I/O's
 * own reference, bi_private -> struct iomap_dio -> iocb -> ki_filp. bi_private is a void *: probe reads, each
 * time (a struct file's address is soon another file's), inline: 6.18's verifier types the loaded void * as
 * untrusted memory, which a global function's scalar argument refuses.
 */
static __always_inline void file_of_direct_io(void *dio_address, struct bf_file_id *id)
{
	struct iomap_dio *dio = dio_address;
	struct kiocb *iocb = BPF_CORE_READ(dio, iocb);
	struct file *file = BPF_CORE_READ(iocb, ki_filp);
	struct inode *inode = BPF_CORE_READ(file, f_inode);

	if (!inode) {
		id->kind = BF_FILE_USER_MEMORY;
		return;
	}
	id->kind = BF_FILE_DATA;
	id->flags = BF_FILE_DIRECT;
	id->inode = (__u64)inode;
	id->ino = BPF_CORE_READ(inode, i_ino);
	id->nlink = BPF_CORE_READ(inode, i_nlink);
	id->generation = BPF_CORE_READ(inode, i_generation);
	id->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	id->dentry = (__u64)BPF_CORE_READ(file, f_path.dentry);
}

/* Since 6.2: a read-only typed view of any kernel address, so that a void * field can be followed by direct loads. */
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym __weak;

/*
 * The same by direct loads, through bpf_rdonly_cast (6.2+): a few ns instead of a probe read's tens. Only
 * block_io_start (6.5+) calls it, and only kernels with that tracepoint load that program, so a kernel without
 * the kfunc never meets the call.
 */
static __always_inline void file_of_direct_io_typed(void *dio_address, struct bf_file_id *id)
{
	struct iomap_dio *dio = bpf_rdonly_cast(dio_address, bpf_core_type_id_kernel(struct iomap_dio));
	struct kiocb *iocb = dio->iocb;
	struct file *file = iocb ? iocb->ki_filp : NULL;
	struct inode *inode = file ? file->f_inode : NULL;

	if (!inode) {
		id->kind = BF_FILE_USER_MEMORY;
		return;
	}
	id->kind = BF_FILE_DATA;
	id->flags = BF_FILE_DIRECT;
	id->inode = (__u64)inode;
	id->ino = inode->i_ino;
	id->nlink = inode->i_nlink;
	id->generation = inode->i_generation;
	id->dev = inode->i_sb->s_dev;
	id->dentry = (__u64)file->f_path.dentry;
}

/*
 * How the name a file was last walked by (was) differs from what its dentry says now: four loads (and one of its
 * directory's dentry, see the end), direct through bpf_rdonly_cast where the caller may (typed_casts, see
 * file_of_direct_io_typed), else one probe read of the dentry's fields from d_hash.pprev to d_inode where they lie
 * together (every kernel from 5.x to 6.18), or one probe read each. A name's hash is salted by its parent, so a
 * move to another directory changes both.
 */
static __always_inline __u32 leaf_change(const struct bf_file_id *id, const struct bf_file_leaf *was, bool typed_casts)
{
	__u64 inode, parent, hash_len;
	__u32 hashed;

	if (!was->dentry)
		return BF_LEAF_SAME; /* walked without a name: the next BF_FILE_REWALK_NS walk looks again */
	if (typed_casts) {
		struct dentry *d = bpf_rdonly_cast((void *)was->dentry, bpf_core_type_id_kernel(struct dentry));

		inode = (__u64)d->d_inode;
		parent = (__u64)d->d_parent;
		hash_len = d->d_name.hash_len;
		hashed = d->d_hash.pprev != NULL;
	} else {
		__u32 lo = bpf_core_field_offset(struct dentry, d_hash.pprev);
		__u64 window[5] = {};

		if (bpf_core_field_offset(struct dentry, d_parent) == lo + 8 &&
		    bpf_core_field_offset(struct dentry, d_name.hash_len) == lo + 16 &&
		    bpf_core_field_offset(struct dentry, d_inode) == lo + 32) {
			bpf_probe_read_kernel(window, sizeof(window), (void *)(was->dentry + lo));
			hashed = window[0] != 0;
			parent = window[1];
			hash_len = window[2];
			inode = window[4];
		} else {
			struct dentry *d = (void *)was->dentry;

			hashed = BPF_CORE_READ(d, d_hash.pprev) != NULL;
			parent = (__u64)BPF_CORE_READ(d, d_parent);
			hash_len = BPF_CORE_READ(d, d_name.hash_len);
			inode = (__u64)BPF_CORE_READ(d, d_inode);
		}
	}
	if (inode != id->inode)
		return BF_LEAF_GONE;
	if (parent != was->parent || hash_len != was->hash_len)
		return BF_LEAF_MOVED;
	if (hashed != was->hashed)
		return BF_LEAF_HASHED;
	/* The directory the file is in, renamed or moved (a directory higher up shows at the next timed walk). */
	if (parent && parent != was->dentry) {
		if (typed_casts) {
			struct dentry *p = bpf_rdonly_cast((void *)parent, bpf_core_type_id_kernel(struct dentry));

			hash_len = p->d_name.hash_len;
		} else {
			struct dentry *p = (void *)parent;

			hash_len = BPF_CORE_READ(p, d_name.hash_len);
		}
		if (hash_len != was->directory)
			return BF_LEAF_MOVED;
	}
	return BF_LEAF_SAME;
}

/*
 * Any bio by its address, with probe reads: a split bio (bio_chain_endio: its parent, named by bi_private, says
 * whose I/O it is; followed at most three times), or one whose current bvec is not its first. The page comes
 * from the bio's own iterator (a split bio shares its parent's bvec array); a tail page gives way to its head.
 */
__noinline int file_of_bio_slow(__u64 bio_address, struct bf_file_id *id)
{
	struct bio *bio = (void *)bio_address, *owner = bio;
	__u64 end_io = (__u64)BPF_CORE_READ(owner, bi_end_io);
	struct address_space *mapping, *own;
	struct bvec_iter iter;
	struct bio_vec vec;
	struct page *page;
	struct inode *host;
	struct super_block *sb;
	unsigned long head;

	if (!id)
		return -1;
	if (may_learn_chain_end_io(end_io))
		learn_chain_end_io(bio_address, end_io);
	for (int i = 0; i < 3 && is_chain_end_io(end_io); i++) {
		owner = BPF_CORE_READ(owner, bi_private);
		if (!owner)
			break;
		end_io = (__u64)BPF_CORE_READ(owner, bi_end_io);
	}
	if (may_learn_direct_end_io(end_io)) {
		__u64 parent;

		if (learn_direct_end_io((__u64)owner, end_io)) {
			end_io = direct_end_io_learned;
		} else if ((parent = learn_direct_end_io_from_parent((__u64)owner, end_io))) {
			owner = (struct bio *)parent;
			end_io = direct_end_io_learned;
		}
	}
	if (is_direct_end_io(end_io)) {
		file_of_direct_io(BPF_CORE_READ(owner, bi_private), id);
		return 0;
	}
	iter = BPF_CORE_READ(bio, bi_iter);
	if (!iter.bi_size) {
		id->kind = BF_FILE_NO_DATA;
		return 0;
	}
	if (bpf_probe_read_kernel(&vec, sizeof(vec), BPF_CORE_READ(bio, bi_io_vec) + iter.bi_idx) || !vec.bv_page) {
		id->kind = BF_FILE_NO_DATA;
		return 0;
	}
	page = vec.bv_page;
	head = BPF_CORE_READ(page, compound_head);
	if (head & 1)
		page = (struct page *)(head - 1);
	mapping = BPF_CORE_READ(page, mapping);
	host = mapping ? BPF_CORE_READ(mapping, host) : NULL;
	own = host ? BPF_CORE_READ(host, i_mapping) : NULL;
	if (!host || own != mapping) {
		classify_unmapped(end_io, mapping != NULL, id);
		id->dev = bio_partition_read(bio);
		return 0;
	}
	sb = BPF_CORE_READ(host, i_sb);
	if (BPF_CORE_READ(sb, s_magic) == BDEVFS_MAGIC_VALUE) {
		id->kind = BF_FILE_DEVICE_CACHE;
		id->dev = bio_partition_read(bio);
		return 0;
	}
	if (!BPF_CORE_READ(sb, s_bdev)) {
		id->kind = BF_FILE_USER_MEMORY;
		return 0;
	}
	id->kind = BF_FILE_DATA;
	id->inode = (__u64)host;
	id->ino = BPF_CORE_READ(host, i_ino);
	id->nlink = BPF_CORE_READ(host, i_nlink);
	id->generation = BPF_CORE_READ(host, i_generation);
	id->dev = BPF_CORE_READ(sb, s_dev);
	return 0;
}

/*
 * What a bio's data belongs to, for any bio the program holds: direct I/O first (its pages are user memory,
 * which may even be another file's page cache), then the page cache: bv_page -> mapping -> host, trusted only
 * when host->i_mapping points back at the mapping (an anonymous page's mapping is an anon_vma with a flag bit,
 * xfs reads metadata into slab pages whose mapping field is no mapping at all; neither points back). id must
 * be zeroed. The usual case, a bio at its first bvec whose page is a folio's head, takes direct loads only.
 * typed_casts: direct I/O through bpf_rdonly_cast (block_io_start only, see file_of_direct_io_typed).
 */
static __always_inline void file_of_bio(struct bio *bio, struct bf_file_id *id, bool typed_casts)
{
	__u64 end_io = (__u64)bio->bi_end_io;
	struct address_space *mapping;
	struct bio_vec *vec;
	struct page *page;
	struct inode *host;
	struct super_block *sb;

	if (is_direct_end_io(end_io)) {
		if (typed_casts)
			file_of_direct_io_typed(bio->bi_private, id);
		else
			file_of_direct_io(bio->bi_private, id);
		return;
	}
	if (!bio->bi_iter.bi_size) {
		id->kind = BF_FILE_NO_DATA;
		return;
	}
	vec = bio->bi_io_vec;
	page = vec ? vec->bv_page : NULL;
	mapping = page ? page->mapping : NULL;
	host = mapping ? mapping->host : NULL;
	/* Anything but a page-cache page at the bio's first bvec takes probe reads: a split bio, a tail page (its
	 * compound_head shares a union with a list pointer, which is how the verifier types it here), and pages
	 * that are no file's (metadata buffers, user memory), classified by the bio's completion function. */
	if (is_chain_end_io(end_io) || bio->bi_iter.bi_idx || !host || host->i_mapping != mapping) {
		file_of_bio_slow(launder(bio), id);
		return;
	}
	sb = host->i_sb;
	if (sb->s_magic == BDEVFS_MAGIC_VALUE) {
		id->kind = BF_FILE_DEVICE_CACHE;
		id->dev = bio_partition(bio);
		return;
	}
	/* A page cache without a block device under it (tmpfs): a direct I/O buffer, not this I/O's file (the slow
	 * path while direct I/O's completion is still to be learned). */
	if (!sb->s_bdev) {
		if (may_learn_direct_end_io(end_io)) {
			file_of_bio_slow(launder(bio), id);
			return;
		}
		id->kind = BF_FILE_USER_MEMORY;
		return;
	}
	id->kind = BF_FILE_DATA;
	id->inode = (__u64)host;
	id->ino = host->i_ino;
	id->nlink = host->i_nlink;
	id->generation = host->i_generation;
	id->dev = sb->s_dev;
}

/*
 * The file's path into a bf_file_record: from the dentry up, at most BF_PATH_DEPTH components of at most
 * BF_NAME_BYTES, leaf first (user space turns it round and puts the mount point in front), to the ring buffer
 * at its own length. It begins at id->leaf.dentry if set, else at the open file's dentry (direct I/O), else at
 * the inode's first alias, and leaves in id->leaf that dentry as it was before its names were read (a rename
 * under way is seen at the next request). flags: BF_PATH_REWALK, MOVED, SAME_LEAF as the caller knows them.
 * Once per file: a global function, verified once. 0 when sent.
 */
__noinline int file_walk(struct bf_file_id *id, __u32 flags)
{
	__u32 zero = 0, off = 0, depth = 0, size;
	struct bf_file_scratch *scratch;
	struct bf_file_record *rec;
	struct inode *inode;
	struct dentry *dentry, *parent, *root;
	struct hlist_node *alias;
	const unsigned char *name;
	long n;
	int i;

	if (!id)
		return -1;
	scratch = bpf_map_lookup_elem(&file_scratch, &zero);
	if (!scratch || scratch->busy)
		return -1;
	scratch->busy = 1;
	rec = &scratch->rec;
	inode = (void *)id->inode;
	dentry = (void *)id->leaf.dentry; /* the name walked before, where it still names the file */
	if (!dentry && id->dentry) {
		dentry = (void *)id->dentry;
		flags |= BF_PATH_FROM_FILE;
	} else if (!dentry) {
		alias = BPF_CORE_READ(inode, i_dentry.first);
		if (alias) {
			dentry = (void *)alias - bpf_core_field_offset(struct dentry, d_u.d_alias);
			if (BPF_CORE_READ(alias, next))
				flags |= BF_PATH_ALIASES;
		}
	}
	if (!id->nlink)
		flags |= BF_PATH_NO_LINKS;
	else if (id->nlink > 1)
		flags |= BF_PATH_LINKS;
	id->leaf.dentry = (__u64)dentry;
	id->leaf.parent = 0;
	id->leaf.hash_len = 0;
	id->leaf.hashed = 0;
	id->leaf.directory = 0;
	if (!dentry) {
		flags |= BF_PATH_NO_DENTRY;
	} else {
		id->leaf.parent = (__u64)BPF_CORE_READ(dentry, d_parent);
		id->leaf.hash_len = BPF_CORE_READ(dentry, d_name.hash_len);
		id->leaf.hashed = BPF_CORE_READ(dentry, d_hash.pprev) != NULL;
		parent = (void *)id->leaf.parent;
		if (parent)
			id->leaf.directory = BPF_CORE_READ(parent, d_name.hash_len);
		if (!id->leaf.hashed)
			flags |= BF_PATH_UNLINKED;
		root = BPF_CORE_READ(inode, i_sb, s_root);
		for (i = 0; i < BF_PATH_DEPTH; i++) {
			parent = BPF_CORE_READ(dentry, d_parent);
			if (!parent || parent == dentry)
				break;
			if (off > BF_PATH_BYTES - BF_NAME_BYTES) {
				flags |= BF_PATH_TRUNCATED;
				break;
			}
			name = BPF_CORE_READ(dentry, d_name.name);
			n = bpf_probe_read_kernel_str(&rec->names[off & (BF_PATH_BYTES - 1)], BF_NAME_BYTES, name);
			if (n <= 0) {
				/* An unreadable name: what is below it is kept, never a path with a gap. */
				flags |= BF_PATH_TRUNCATED;
				break;
			}
			off += n;
			depth++;
			dentry = parent;
		}
		if (i == BF_PATH_DEPTH && BPF_CORE_READ(dentry, d_parent) != dentry)
			flags |= BF_PATH_TRUNCATED;
		else if (!(flags & BF_PATH_TRUNCATED) && dentry != root)
			flags |= BF_PATH_DISCONNECTED;
	}
	rec->header.kind = BF_RECORD_FILE;
	rec->header.version = BF_LAYOUT_VERSION;
	rec->ino = id->ino;
	rec->dev = id->dev;
	rec->flags = flags;
	rec->mode = BPF_CORE_READ(inode, i_mode);
	/* Not atomic: two CPUs walking at once may take the same number, which matters only for walks of one file,
	 * and those see the same name. */
	file_walks = file_walks + 1;
	rec->seq = (__u16)(file_walks % 65535 + 1);
	id->leaf.seq = rec->seq;
	rec->depth = depth;
	rec->length = off;
	size = off > BF_PATH_BYTES ? BF_PATH_BYTES : off;
	size += BF_FILE_RECORD_HEAD;
	if (bpf_ringbuf_output(&events, rec, size, ring_wakeup_flags(size))) {
		count(BF_CNT_FILE_PATHS_LOST);
		scratch->busy = 0;
		return -1;
	}
	count(BF_CNT_FILE_PATHS);
	scratch->busy = 0;
	return 0;
}

/*
 * Makes sure user space has the file's path: a global function, out of the hot path (reached once per file and
 * CPU, again after BF_FILE_REWALK_NS or an epoch change, and when the name it was walked by changed). change:
 * BF_LEAF_SAME to ask the map (then id->leaf is left with the name the map holds, the name the file was last
 * walked by), or what the caller found changed in that name since (enum bf_leaf_change): walk again. 0 when user
 * space has the path and nothing was walked, 1 when it was walked and sent now, -1 when it could not be sent.
 */
__noinline int file_known(struct bf_file_id *id, __u64 now, __u32 change)
{
	struct bf_file_key key = {};
	struct bf_file_seen *seen, walked = {};
	struct dentry *leaf;
	__u32 flags = 0;

	if (!id)
		return -1;
	key.dev = id->dev;
	key.ino = id->ino;
	seen = bpf_map_lookup_elem(&files_seen, &key);
	if (seen && seen->inode == id->inode && seen->generation == id->generation) {
		if (change == BF_LEAF_SAME && now - seen->walked_ns < BF_FILE_REWALK_NS) {
			id->leaf = seen->leaf;
			slot_fill(file_slot(file_key(id)), id, seen->walked_ns);
			return 0;
		}
		flags = BF_PATH_REWALK;
		if (change == BF_LEAF_SAME)
			id->leaf = seen->leaf;
	}
	if (change == BF_LEAF_MOVED && flags)
		flags |= BF_PATH_MOVED;
	/* Again from the name walked before while it names this inode, so that a file with several names keeps the
	 * one it had; else from the name it has now: also when that name was removed while the file keeps another
	 * (a hard link, then an unlink of the name walked). */
	leaf = (void *)id->leaf.dentry;
	if (!(flags & BF_PATH_REWALK) || change == BF_LEAF_GONE || (change == BF_LEAF_HASHED && id->nlink) || !leaf ||
	    (__u64)BPF_CORE_READ(leaf, d_inode) != id->inode)
		id->leaf.dentry = 0;
	else
		flags |= BF_PATH_SAME_LEAF;
	if (file_walk(id, flags))
		return -1;
	walked.inode = id->inode;
	walked.generation = id->generation;
	walked.walked_ns = now;
	walked.leaf = id->leaf;
	bpf_map_update_elem(&files_seen, &key, &walked, BPF_ANY);
	slot_fill(file_slot(file_key(id)), id, now);
	return 1;
}

/* Operations whose bios carry data pages. */
static __always_inline bool op_moves_data(__u8 op)
{
	return op == BF_OP_READ || op == BF_OP_WRITE || op == BF_OP_ZONE_APPEND;
}

/*
 * At the lifecycle's start: the file of the request's first bio, and its path sent if user space lacks it or the
 * name it was walked by changed (a rename). typed_casts: the caller is block_io_start (see file_of_bio).
 */
static __always_inline void request_file(struct bf_request_record *rec, struct request *rq, __u64 now, bool typed_casts)
{
	struct bf_file_id id = {};
	struct bio *bio = rq->bio;
	struct bf_file_slot *slot;
	__u32 change;
	int known;

	if (!bio || !op_moves_data(rec->op)) {
		rec->file_kind = BF_FILE_NO_DATA;
		return;
	}
	if (!now)
		now = bpf_ktime_get_ns();
	file_of_bio(bio, &id, typed_casts);
	rec->file_kind = id.kind;
	rec->file_dev = id.dev;
	rec->file_ino = id.ino;
	rec->file_flags = id.flags;
	if (id.kind != BF_FILE_DATA)
		return;
	if (!id.nlink)
		rec->file_flags |= BF_FILE_DELETED;
	slot = file_slot(file_key(&id));
	/* The request names the walk that named its file (file_seq): the name it has now, even if its record is sent
	 * late and the file was renamed in between. */
	if (slot_fresh(slot, &id, now) && leaf_change(&id, &slot->leaf, typed_casts) == BF_LEAF_SAME) {
		rec->file_seq = slot->leaf.seq;
		return;
	}
	/* Not in this CPU's cache, or its name changed: the map (another CPU may have walked the new name already),
	 * else a walk. */
	known = file_known(&id, now, BF_LEAF_SAME);
	if (known) {
		if (known < 0)
			rec->file_flags |= BF_FILE_PATH_STALE;
		else
			rec->file_seq = id.leaf.seq;
		return;
	}
	change = leaf_change(&id, &id.leaf, typed_casts);
	if (change != BF_LEAF_SAME && file_known(&id, now, change) < 0) {
		rec->file_flags |= BF_FILE_PATH_STALE;
		return;
	}
	rec->file_seq = id.leaf.seq;
}

/* At dispatch, walking the merged bios: the files met so far, by a word made of (dev, ino, kind). */
struct other_files_walk {
	struct bio *bio;
	__u64 first;
	__u64 seen[BF_FILE_CHAIN];
	__u32 others;
	__u32 pad;
};

static __always_inline __u64 file_word(const struct bf_file_id *id)
{
	return id->ino ^ ((__u64)id->dev << 32) ^ ((__u64)id->kind << 60);
}

static int other_files_step(__u32 index, struct other_files_walk *walk)
{
	struct bf_file_id id = {};
	struct bio *bio = walk->bio;
	__u64 word;

	if (!bio)
		return 1;
	file_of_bio(bio, &id, false);
	walk->bio = bio->bi_next;
	word = file_word(&id);
	if (word == walk->first)
		return 0;
	for (__u32 i = 0; i < BF_FILE_CHAIN; i++) {
		if (i >= walk->others)
			break;
		if (walk->seen[i] == word)
			return 0;
	}
	if (walk->others < BF_FILE_CHAIN)
		walk->seen[walk->others++] = word;
	return 0;
}

/* The files of the other bios merged into the request (the first BF_FILE_CHAIN bios), into its record. */
static __always_inline void other_files(struct bf_request_record *rec, struct request *rq)
{
	struct other_files_walk walk = {};
	struct bf_file_id first = { .ino = rec->file_ino, .dev = rec->file_dev, .kind = rec->file_kind };

	if (!rec->merges || !rq->bio)
		return;
	walk.bio = rq->bio;
	walk.first = file_word(&first);
	bpf_loop(BF_FILE_CHAIN, other_files_step, &walk, 0);
	rec->other_files = walk.others;
	if (walk.bio)
		rec->file_flags |= BF_FILE_MORE_BIOS;
}

#endif /* BLKFLIGHT_FILES_BPF_H */
