/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which file a request reads or writes: the kinds and flags a request record carries (bpf/requests.h, fields
 * file_*), and the record that carries each file's path once (kernel side: files.bpf.h; loader: native/files_loader.c;
 * Java: io.blkflight.decode.FileRecord, checked by RequestRecordLayoutTest). Nothing else defines these.
 */
#ifndef BLKFLIGHT_FILES_H
#define BLKFLIGHT_FILES_H

#include "requests.h"

/* What the data pages of a request's first bio belong to (bf_request_record.file_kind). */
enum bf_file_kind {
	BF_FILE_NONE = 0,           /* not resolved: files=off, or the request had no bio when its lifecycle started */
	BF_FILE_DATA = 1,           /* a file's data, through the page cache or direct I/O: file_dev is its sb->s_dev */
	BF_FILE_DEVICE_CACHE = 2,   /* the block device's own page cache: filesystem metadata through buffer heads,
	                             * ext4's journal (jbd2), or the device node read or written; file_dev is the partition */
	BF_FILE_XFS_LOG = 3,        /* xfs's log buffers (xlog_bio_end_io); file_dev is the partition */
	BF_FILE_XFS_METADATA = 4,   /* xfs's metadata buffers (xfs_buf_bio_end_io) */
	BF_FILE_SWAP = 5,           /* swap (end_swap_bio_read/write) */
	BF_FILE_RAW_DEVICE = 6,     /* direct I/O on the block device node (blkdev_bio_end_io*) */
	BF_FILE_USER_MEMORY = 7,    /* the pages are anonymous or another filesystem's: direct I/O whose file could not be
	                             * named (its completion function was not found in /proc/kallsyms) */
	BF_FILE_KERNEL_BUFFER = 8,  /* pages of no mapping: kernel buffers (zeroing, lazy initialisation, ...) */
	BF_FILE_NO_DATA = 9,        /* no data pages: a flush, discard or write-zeroes */
};

/*
 * The kernel's bio completion functions that tell what a bio carries when its pages do not (native/files_loader.c
 * finds their addresses in /proc/kallsyms by these names, in this order).
 */
enum bf_end_io {
	BF_END_IO_DIRECT = 0,        /* iomap_dio_bio_end_io: direct I/O through iomap (ext4, xfs); bi_private is the iomap_dio */
	BF_END_IO_CHAIN = 1,         /* bio_chain_endio: the front of a split bio; bi_private is the bio it was split from */
	BF_END_IO_XFS_LOG = 2,       /* xlog_bio_end_io */
	BF_END_IO_XFS_BUFFER = 3,    /* xfs_buf_bio_end_io */
	BF_END_IO_SWAP_READ = 4,     /* end_swap_bio_read */
	BF_END_IO_SWAP_WRITE = 5,    /* end_swap_bio_write */
	BF_END_IO_BLKDEV = 6,        /* blkdev_bio_end_io: direct I/O on a block device node */
	BF_END_IO_BLKDEV_ASYNC = 7,  /* blkdev_bio_end_io_async */
	BF_END_IO_BLKDEV_SIMPLE = 8, /* blkdev_bio_end_io_simple (kernels before 6.4) */
	BF_END_IOS = 9,
};

/* bf_request_record.file_flags */
#define BF_FILE_DELETED 1        /* the inode had no link left (i_nlink 0) when the request started */
#define BF_FILE_DIRECT 2         /* named through direct I/O's own reference to the file */
#define BF_FILE_MORE_BIOS 4      /* more bios were merged than the walk resolves: other_files is a lower bound */
#define BF_FILE_PATH_STALE 8     /* the file's path had to be walked (again) and could not be sent: the path user space
                                  * holds for the file, if any, may be an old name (counted in filePathsLost) */

/* Bios of one request resolved to count the files merged into it; the rest only set BF_FILE_MORE_BIOS. */
#define BF_FILE_CHAIN 16

/* A path walk follows at most this many dentries (components); more set BF_PATH_TRUNCATED. */
#define BF_PATH_DEPTH 32
/* Room for the components of one path, leaf first, each NUL terminated. */
#define BF_PATH_BYTES 4096
/* Longest component (NAME_MAX) with its NUL. */
#define BF_NAME_BYTES 256

/* bf_file_record.flags */
#define BF_PATH_TRUNCATED 1      /* deeper than BF_PATH_DEPTH, or longer than BF_PATH_BYTES: the outermost part is missing */
#define BF_PATH_UNLINKED 2       /* the file's dentry was unhashed when walked: deleted */
#define BF_PATH_NO_LINKS 4       /* the inode had no link left (i_nlink 0) when walked */
#define BF_PATH_NO_DENTRY 8      /* the inode had no dentry to walk from: no name known */
#define BF_PATH_DISCONNECTED 16  /* the walk ended at a root that is not the filesystem's */
#define BF_PATH_FROM_FILE 32     /* walked from the open file's own dentry (direct I/O), else the inode's first alias */
#define BF_PATH_ALIASES 64       /* the inode has several cached names (hard links): this is one of them */
#define BF_PATH_REWALK 128       /* the same inode was walked before: its name may have changed (a rename) */
#define BF_PATH_MOVED 256        /* walked again at once: the name it was walked by last has another name or parent since
                                  * (a rename of the file, or a move to another directory: d_move) */
#define BF_PATH_SAME_LEAF 512    /* walked from the same dentry as its previous walk: a new path is a rename, of the file
                                  * or of a directory above it */
#define BF_PATH_LINKS 1024       /* the inode had more than one link when walked (hard links): another dentry may be
                                  * another of its names rather than a new one */

/*
 * One file's path, sent once when a request first names the file, and again at once when the name it was walked by
 * was renamed or moved (BF_PATH_MOVED), when its walk is older than BF_FILE_REWALK_NS, or when user space asked for it. A ring-buffer sample of its own, only as long as the names in it
 * (BF_FILE_RECORD_HEAD + length bytes), written before the record of any request that names the file.
 */
struct bf_file_record {
	struct bf_record_header header; /* BF_RECORD_FILE */
	__u64 ino;
	__u32 dev;      /* sb->s_dev, kernel encoding major << 20 | minor */
	__u32 flags;    /* BF_PATH_* */
	__u16 mode;     /* i_mode: file type and permissions */
	__u16 seq;      /* this walk's number (1 to 65535, round and round, over all files): a request names the walk
	                 * its file was named by at its start (bf_request_record.file_seq) */
	__u16 depth;    /* components in names */
	__u16 length;   /* bytes of names used */
	char names[BF_PATH_BYTES]; /* components from the file up, each NUL terminated */
};

#define BF_FILE_RECORD_HEAD 32

#endif /* BLKFLIGHT_FILES_H */
