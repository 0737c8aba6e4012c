/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record layout shared by the kernel side (requests.bpf.c), the native collector and, through
 * the offsets test, the Java decoder. Nothing else defines these structures.
 *
 * Every shared struct uses fixed-width types, largest first, with explicit padding and no implicit
 * holes: the BPF object, the JNI library and the Java decoder must agree byte for byte.
 */
#ifndef BLKFLIGHT_REQUESTS_H
#define BLKFLIGHT_REQUESTS_H

/* Bumped whenever a record layout changes; the Java decoder refuses a library with another version. */
#define BF_LAYOUT_VERSION 6

#define BF_COMM_LEN 16

/* Sentinel for "the issuing thread was not in a system call" (page fault, kernel thread, writeback). */
#define BF_NO_SYSCALL (-1)

/* At most this many bios are walked to count the merges of one request. */
#define BF_MAX_BIO_WALK 1024

/* Merges counted when the walk hit BF_MAX_BIO_WALK: "at least this many". */
#define BF_MERGES_SATURATED 0xffff

/* Kernel stack frames kept per stack (innermost first; deeper stacks lose their outermost frames). */
#define BF_MAX_STACK_DEPTH 64

/* A stage without a stack: stacks are off, the stage did not happen, or its stack was lost (counted). */
#define BF_NO_STACK (-1)

/* Lifecycle stages with a kernel stack; bit (1 << stage) of issuer_context says the stage ran in the issuer's task. */
enum bf_stage {
	BF_STAGE_SUBMIT = 0,
	BF_STAGE_INSERT = 1,
	BF_STAGE_ISSUE = 2,
	BF_STAGE_COMPLETE = 3,
};

/* Function hits kept per request (function-level mode); further hits are counted, not kept. */
#define BF_MAX_PATH 32

enum bf_record_kind {
	BF_RECORD_REQUEST = 1,
	BF_RECORD_PATH = 2, /* right behind the request record of its lifecycle, in the same sample */
	BF_RECORD_FILE = 3, /* a file's path (files.h), a sample of its own, before the first request that names the file */
	BF_RECORD_STACK_SIGNAL = 4, /* a signal sent for a thread's Java stack (java_stacks.h), a sample of its own */
};

/* Operations, normalised from the running kernel's enum req_op (its values are looked up with CO-RE). */
enum bf_op {
	BF_OP_READ = 0,
	BF_OP_WRITE = 1,
	BF_OP_FLUSH = 2,
	BF_OP_DISCARD = 3,
	BF_OP_SECURE_ERASE = 4,
	BF_OP_WRITE_ZEROES = 5,
	BF_OP_ZONE_APPEND = 6,
	BF_OP_ZONE_MGMT = 7,
	BF_OP_DRV_IN = 8,
	BF_OP_DRV_OUT = 9,
	BF_OP_OTHER = 15,
};

/* Request flags, normalised from the running kernel's enum req_flag_bits (bit positions move between kernels). */
enum bf_flag {
	BF_FLAG_SYNC = 1 << 0,
	BF_FLAG_META = 1 << 1,
	BF_FLAG_FUA = 1 << 2,
	BF_FLAG_PREFLUSH = 1 << 3,
	BF_FLAG_RAHEAD = 1 << 4,
	BF_FLAG_BACKGROUND = 1 << 5,
	BF_FLAG_PRIO = 1 << 6,
	BF_FLAG_NOWAIT = 1 << 7,
	BF_FLAG_IDLE = 1 << 8,
	BF_FLAG_POLLED = 1 << 9,
	BF_FLAG_NOMERGE = 1 << 10,
};

/*
 * Stage stacks (the agent's stacks option): none, every lifecycle's, or a budget of lifecycles per second
 * spread over kinds of request (BF_STACKS_SAMPLED), each chosen lifecycle keeping all its stage stacks.
 */
enum bf_stack_mode {
	BF_STACKS_OFF = 0,
	BF_STACKS_SAMPLED = 1,
	BF_STACKS_ALL = 2,
};

/*
 * Kinds of request for stack sampling: operation class (read, write, flush, discard or zeroing, other) x the flags
 * meta, fua-or-preflush, readahead x the submitter's context: a kernel thread (writeback, journal), a user task
 * outside a system call (a page fault), or a system call of the read, write or sync families or another one (open,
 * truncate, unlink...): an fsync's writes are a kind apart from O_DIRECT writes.
 * kind = (op * 8 + flags) * 6 + context, below 240.
 */
#define BF_SAMPLE_KINDS 240
/* Stack sampling counts in windows of 2^27 ns (134 ms) of CLOCK_MONOTONIC, per CPU. */
#define BF_SAMPLE_WINDOW_SHIFT 27
enum bf_sample_op { BF_SAMPLE_OP_READ, BF_SAMPLE_OP_WRITE, BF_SAMPLE_OP_FLUSH, BF_SAMPLE_OP_RANGE, BF_SAMPLE_OP_OTHER };
enum bf_sample_context {
	BF_SAMPLE_KERNEL_THREAD,
	BF_SAMPLE_USER_OTHER,
	BF_SAMPLE_SYSCALL_READ,
	BF_SAMPLE_SYSCALL_WRITE,
	BF_SAMPLE_SYSCALL_SYNC,
	BF_SAMPLE_SYSCALL_OTHER,
};

/* Whose I/O the kernel side follows (the agent's scope option). */
enum bf_scope {
	BF_SCOPE_ALL = 0,    /* every process */
	BF_SCOPE_SELF = 1,   /* the JVM's own process */
	BF_SCOPE_CGROUP = 2, /* every process in the JVM's cgroup (v2) or below it: the container */
};

/* Where a lifecycle's submit time and issuer came from. */
enum bf_origin {
	/* The first bio was seen queued (block_bio_queue) in the submitter's context: submit time and issuer are exact. */
	BF_ORIGIN_BIO = 1,
	/* The request was seen allocated in the submitter's context but its bio was not (a split bio, a
	 * passthrough command): the issuer is exact, the submit time is the allocation time. */
	BF_ORIGIN_TASK = 2,
	/* First seen at insert or issue (the kernel's flush machinery, requests in flight when the collector
	 * started): issuer unknown, submit and allocation times unknown. Only recorded with scope=all. */
	BF_ORIGIN_UNKNOWN = 3,
};

/*
 * Writeback: how a request that writes pages a thread of the JVM dirtied was credited to that thread (its issuer
 * being a flusher kernel thread, or any other task that wrote them back).
 */
enum bf_credit {
	BF_CREDIT_NONE = 0,  /* not the JVM's dirty pages, or its own thread wrote them (then it is the issuer) */
	BF_CREDIT_PAGES = 1, /* by its pages: who dirtied the chunks of the file they are in (2 MiB) */
	BF_CREDIT_FILE = 2,  /* by its file: the last thread that dirtied the file (its pages' entries were forgotten) */
	BF_CREDIT_FSYNC = 3, /* a journal commit a thread of the JVM waits on in fsync: credited to that thread */
	BF_CREDIT_SHARED = 4, /* a journal commit holding the JVM's changes that no thread of the JVM waits on */
};

/* Pages of a file per entry of the dirtying map (2 MiB: the largest page-cache folio on x86-64, so a folio's
 * dirtying lands in one entry), and the dirtiers one entry tells apart. */
#define BF_DIRTY_CHUNK_SHIFT 9
#define BF_DIRTY_SLOTS 4
/* Bios of a request whose pages are looked up for its dirtiers (writeback requests only). */
#define BF_DIRTY_BIO_WALK 16
/* writeback_reason of a request another task than a flusher queued to write the JVM's pages back. */
#define BF_WRITEBACK_OTHER_TASK 255
/* writeback_reason of a request the journal thread (jbd2) submits while committing a transaction that holds the
 * JVM's changes: its log blocks, and in data=ordered mode the JVM's dirty data the commit writes first. */
#define BF_WRITEBACK_JOURNAL 254

/* The record's status when the kernel side never saw the lifecycle's end: a new lifecycle began at its
 * address first. Outside blk_status_t's range (a u8 whose codes stay below 32). */
#define BF_STATUS_END_UNSEEN 0xff

/*
 * Counters, one per-CPU slot each, every way of losing a request with its own. Listed once: the enum
 * below and the names the native library reports to the Java decoder's test both expand this list.
 */
#define BF_COUNTERS(X)                                                                                     \
	X(BIOS_QUEUED)        /* bios that passed the filters and were remembered */                        \
	X(REQUESTS_STARTED)   /* lifecycles created */                                                      \
	X(REQUESTS_EMITTED)   /* records written to the ring buffer */                                      \
	X(BELOW_MIN_LATENCY)  /* finished requests left out by the minimum-latency filter (asked for) */    \
	X(MERGED_AWAY)        /* requests merged into another one; their bios complete with the survivor */ \
	X(UNTRACKED)          /* requests dispatched without a lifecycle: out of scope, or older */         \
	X(LOST_RINGBUF_FULL)  /* finished requests dropped because the ring buffer was full */              \
	X(LOST_INFLIGHT_FULL) /* lifecycles not followed because the in-flight map was full */              \
	X(LOST_BIO_MAP_FULL)  /* bios not remembered because the bio map was full */                        \
	X(END_UNSEEN)         /* lifecycles whose end was never seen: emitted with BF_STATUS_END_UNSEEN */ \
	X(STACK_COLLISIONS)   /* stacks not kept: their stack-map bucket holds another stack */            \
	X(STACKS_LOST)        /* stacks not kept for another reason (unwinding failed, map full) */        \
	X(PATH_HITS_LOST)     /* function hits beyond BF_MAX_PATH for one request */                        \
	X(PATHS_LOST)         /* function paths not kept: the path map was full */                         \
	X(WRITEBACK_STARTED)  /* lifecycles of writeback of the JVM's dirty pages by another task */        \
	X(DIRTY_FILES_LOST)   /* dirtyings of files not remembered: the dirty-files map was full */         \
	X(FILE_PATHS)         /* file paths walked and sent (files.bpf.h) */                                \
	X(FILE_PATHS_LOST)    /* file paths not sent: the ring buffer was full (walked again at the next request) */ \
	X(STACK_SIGNALS_SENT)        /* signals sent to threads of the JVM for their Java stack (java_stacks.h) */   \
	X(STACK_SIGNALS_OVER_BUDGET) /* not sent: the CPU's budget of signals for the window was spent */            \
	X(STACK_SIGNALS_BLOCKED)     /* not sent: the thread blocks the signal */                                    \
	X(STACK_SIGNALS_NO_HANDLER)  /* not sent: the signal's handler is not the agent's (taken by other code) */    \
	X(STACK_SIGNALS_FAILED)      /* not sent: the kernel refused to send it */                                   \
	X(STACK_SIGNALS_RING_FULL)   /* not sent: its record did not fit in the ring buffer */                        \
	X(DIRTIERS_UNTALLIED)        /* dirtyings by a fifth thread in one 2 MiB chunk: not tallied (dirtying.bpf.c) */

enum bf_counter {
#define BF_COUNTER_ENUMERATOR(name) BF_CNT_##name,
	BF_COUNTERS(BF_COUNTER_ENUMERATOR)
#undef BF_COUNTER_ENUMERATOR
	BF_CNT_MAX,
};

struct bf_record_header {
	__u32 kind;    /* enum bf_record_kind */
	__u32 version; /* BF_LAYOUT_VERSION */
};

/*
 * One finished block request. All times are CLOCK_MONOTONIC nanoseconds (bpf_ktime_get_ns); 0 means
 * the stage did not happen or was not seen.
 */
struct bf_request_record {
	struct bf_record_header header;
	__u64 request;          /* the struct request * of this lifecycle */
	__u64 submit_ns;        /* the first bio was queued (origin BIO), else the request was allocated */
	__u64 alloc_ns;         /* the request was allocated for the bio (block_io_start or block_getrq) */
	__u64 insert_ns;        /* first insert into the I/O scheduler or dispatch list */
	__u64 issue_ns;         /* last dispatch to the driver (after requeues, the one that completed) */
	__u64 complete_ns;      /* the request completed */
	__u64 syscall_start_ns; /* entry into the system call the issuer was in, 0 if none */
	__u64 sector;           /* start sector (512 bytes) on the whole disk */
	__u64 cgroup;           /* the issuer's cgroup (v2) id, 0 if unknown */
	__u64 dirtied_ns;       /* writeback: when the credited dirtier last dirtied the request's pages; 0 otherwise */
	__u64 file_ino;         /* the inode number of the file the first bio's data belongs to (file_kind BF_FILE_DATA) */
	__u64 vthread;          /* the virtual thread mounted on the issuing thread (its carrier) when the lifecycle started:
	                         * its java.lang.Thread id (vthreads.h); 0: none, or virtual threads are not followed */
	__u64 dirtier_vthread;  /* writeback: the virtual thread mounted on dirtier_tid when it dirtied the pages; 0: none */
	__u32 bytes;
	__u32 dev;              /* the disk's dev_t, kernel encoding: major << 20 | minor */
	__u32 tgid;             /* issuer process as the JVM's PID namespace numbers it; 0 if unknown or not in it */
	__u32 tid;              /* issuer thread, likewise */
	__u32 host_tgid;        /* issuer process in the kernel's initial PID namespace, 0 if unknown */
	__u32 host_tid;         /* issuer thread, likewise */
	__u32 dirtier_tgid;     /* writeback: the process that dirtied most of its pages, in the JVM's PID namespace */
	__u32 dirtier_tid;      /* writeback: that thread */
	__u32 generation;       /* how many lifecycles this address has had since the collector started, this one included */
	__u32 flags;            /* enum bf_flag bits */
	__s32 syscall_nr;       /* BF_NO_SYSCALL if none */
	__s32 submit_stack;     /* stack-map ids of each stage's kernel stack, BF_NO_STACK if none */
	__s32 insert_stack;
	__s32 issue_stack;      /* of the last dispatch */
	__s32 complete_stack;   /* of the last completion */
	__u32 file_dev;         /* the file's filesystem (sb->s_dev), or for the other kinds the partition; kernel encoding */
	__u16 requeues;
	__u16 merges;           /* bios merged into the request, BF_MERGES_SATURATED if too many to count */
	__u16 dirtiers;         /* writeback: threads seen dirtying the pages it writes (at most BF_DIRTY_SLOTS a chunk) */
	__u16 stack_weight;     /* picked for stage stacks (they may still be lost, counted): how many requests of its
	                         * kind the pick stands for (the stride it was picked at); 0: not picked */
	__u16 other_files;      /* files other than the first among the first BF_FILE_CHAIN bios (files.h) */
	__u8 op;                /* enum bf_op */
	__u8 status;            /* the kernel's blk_status_t at completion, 0 = ok; or BF_STATUS_END_UNSEEN */
	__u8 origin;            /* enum bf_origin */
	__u8 issuer_context;    /* bit (1 << enum bf_stage): that stage ran in the issuing thread */
	__u8 sample_kind;       /* the request's kind for stack sampling (bf_sample_kind()), which readers stratify by */
	__u8 writeback_reason;  /* writeback of the JVM's pages: the flusher's enum wb_reason + 1, BF_WRITEBACK_OTHER_TASK
	                         * when another task wrote them back; 0: no writeback */
	__u8 credit;            /* enum bf_credit: how the request was credited to a thread of the JVM */
	__u8 file_kind;         /* enum bf_file_kind (files.h): what the first bio's data belongs to; 0 with files off */
	__u8 file_flags;        /* BF_FILE_DELETED, BF_FILE_DIRECT, BF_FILE_MORE_BIOS (files.h) */
	__u8 pad1;
	__u16 file_seq;         /* the seq of the path record that named the file when the lifecycle started (files.h):
	                         * a record sent late (its end unseen) is still named as then; 0: not known */
	__u8 pad[2];
	char comm[BF_COMM_LEN]; /* issuer's command name, empty if unknown */
};

/* One kernel function a request passed through (function-level mode). */
struct bf_path_hit {
	__u64 ns;        /* CLOCK_MONOTONIC */
	__u16 function;  /* index into the functions the loader attached */
	__u8 in_issuer;  /* 1: ran in the issuing thread (its system call), else a kernel thread or interrupt */
	__u8 pad;
	__s32 stack;     /* stack-map id, BF_NO_STACK without function stacks */
};

/* The functions one lifecycle passed through, in order; in the same ring-buffer sample as its request
 * record, right behind it. */
struct bf_path_record {
	struct bf_record_header header;
	__u64 request;
	__u32 generation;
	__u16 hits;      /* entries of hit[] in use */
	__u16 overflow;  /* hits not kept: the path was full */
	struct bf_path_hit hit[BF_MAX_PATH];
};

/*
 * The kernel side's state of one request address (map "requests"), kept across the address's lifecycles:
 * the record of the open lifecycle, or of the last one, and whether one is open. The loader's expiry sweep
 * reads it.
 */
struct bf_request_state {
	struct bf_request_record rec;
	__u64 active;
};

#endif /* BLKFLIGHT_REQUESTS_H */
