package io.blkflight.decode;

import io.blkflight.model.Stage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A view of one {@code struct bf_request_record} (bpf/requests.h) inside a buffer of records, read in
 * place without copying. The offsets below mirror the C header; {@code RequestRecordLayoutTest} checks
 * them against the offsets the native library was compiled with.
 */
public final class RequestRecord {
    public static final int LAYOUT_VERSION = 6;
    public static final int KIND_REQUEST = 1;
    public static final int SIZE = 216;

    static final int KIND = 0;
    static final int VERSION = 4;
    static final int REQUEST = 8;
    static final int SUBMIT_NS = 16;
    static final int ALLOC_NS = 24;
    static final int INSERT_NS = 32;
    static final int ISSUE_NS = 40;
    static final int COMPLETE_NS = 48;
    static final int SYSCALL_START_NS = 56;
    static final int SECTOR = 64;
    static final int CGROUP = 72;
    static final int DIRTIED_NS = 80;
    static final int FILE_INO = 88;
    static final int VTHREAD = 96;
    static final int DIRTIER_VTHREAD = 104;
    static final int BYTES = 112;
    static final int DEV = 116;
    static final int TGID = 120;
    static final int TID = 124;
    static final int HOST_TGID = 128;
    static final int HOST_TID = 132;
    static final int DIRTIER_TGID = 136;
    static final int DIRTIER_TID = 140;
    static final int GENERATION = 144;
    static final int FLAGS = 148;
    static final int SYSCALL_NR = 152;
    static final int SUBMIT_STACK = 156;
    static final int INSERT_STACK = 160;
    static final int ISSUE_STACK = 164;
    static final int COMPLETE_STACK = 168;
    static final int FILE_DEV = 172;
    static final int REQUEUES = 176;
    static final int MERGES = 178;
    static final int DIRTIERS = 180;
    static final int STACK_WEIGHT = 182;
    static final int OTHER_FILES = 184;
    static final int OP = 186;
    static final int STATUS = 187;
    static final int ORIGIN = 188;
    static final int ISSUER_CONTEXT = 189;
    static final int SAMPLE_KIND = 190;
    static final int WRITEBACK_REASON = 191;
    static final int CREDIT = 192;
    static final int FILE_KIND = 193;
    static final int FILE_FLAGS = 194;
    static final int FILE_SEQ = 196;
    static final int COMM = 200;
    static final int COMM_LENGTH = 16;

    /** {@code syscallNumber()} when the issuer was not in a system call. */
    public static final int NO_SYSCALL = -1;
    /** {@code merges()} when there were too many bios to count. */
    public static final int MERGES_SATURATED = 0xffff;

    /** A stage's stack id when it has none. */
    public static final int NO_STACK = -1;
    /** Frames kept per kernel stack, innermost first. */
    public static final int MAX_STACK_DEPTH = 64;

    /** Kinds of request for stack sampling (BF_SAMPLE_KINDS). */
    public static final int SAMPLE_KINDS = 240;

    /** enum bf_credit: a writeback request credited by its pages' dirtiers, or by its file's last dirtier. */
    public static final int CREDIT_NONE = 0;
    public static final int CREDIT_PAGES = 1;
    public static final int CREDIT_FILE = 2;
    /** A journal commit credited to the thread of the JVM that waits for it in fsync. */
    public static final int CREDIT_FSYNC = 3;
    /** A journal commit holding the JVM's changes that no thread of the JVM waits for. */
    public static final int CREDIT_SHARED = 4;
    /** writeback_reason of the journal thread's requests while it commits a transaction holding the JVM's changes. */
    public static final int WRITEBACK_JOURNAL = 254;
    /** writeback_reason of a request that another task than a flusher queued to write the JVM's pages back. */
    public static final int WRITEBACK_OTHER_TASK = 255;

    public static final int ORIGIN_BIO = 1;
    public static final int ORIGIN_TASK = 2;
    public static final int ORIGIN_UNKNOWN = 3;
    /** {@link #status()} of a lifecycle whose end the kernel side never saw (BF_STATUS_END_UNSEEN). */
    public static final int STATUS_END_UNSEEN = 0xff;

    private ByteBuffer buffer;
    private int base;

    /** Points this view at the record starting at {@code offset}; the buffer must use native byte order. */
    public RequestRecord wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.base = offset;
        return this;
    }

    public int kind() {
        return buffer.getInt(base + KIND);
    }

    public int version() {
        return buffer.getInt(base + VERSION);
    }

    /** The kernel's {@code struct request *}. */
    public long request() {
        return buffer.getLong(base + REQUEST);
    }

    public long submitNanos() {
        return buffer.getLong(base + SUBMIT_NS);
    }

    public long allocNanos() {
        return buffer.getLong(base + ALLOC_NS);
    }

    public long insertNanos() {
        return buffer.getLong(base + INSERT_NS);
    }

    public long issueNanos() {
        return buffer.getLong(base + ISSUE_NS);
    }

    public long completeNanos() {
        return buffer.getLong(base + COMPLETE_NS);
    }

    public long syscallStartNanos() {
        return buffer.getLong(base + SYSCALL_START_NS);
    }

    public long sector() {
        return buffer.getLong(base + SECTOR);
    }

    public long bytes() {
        return Integer.toUnsignedLong(buffer.getInt(base + BYTES));
    }

    /** The disk's dev_t in the kernel's encoding, major &lt;&lt; 20 | minor. */
    public int dev() {
        return buffer.getInt(base + DEV);
    }

    /** The issuing process as the JVM's PID namespace numbers it; 0 if unknown or not in that namespace. */
    public int tgid() {
        return buffer.getInt(base + TGID);
    }

    /** The issuing thread as the JVM's PID namespace numbers it (what the JVM's own thread ids are). */
    public int tid() {
        return buffer.getInt(base + TID);
    }

    /** The request's kind for stack sampling (bf_sample_kind in bpf/requests.h), 0 to {@link #SAMPLE_KINDS} - 1. */
    public int sampleKind() {
        return Byte.toUnsignedInt(buffer.get(base + SAMPLE_KIND));
    }

    /** Picked for stage stacks: how many requests of its kind it stands for; 0 when not picked. */
    public int stackWeight() {
        return Short.toUnsignedInt(buffer.getShort(base + STACK_WEIGHT));
    }

    /** Writeback: when its credited dirtier last dirtied the request's pages (CLOCK_MONOTONIC); 0 otherwise. */
    public long dirtiedNanos() {
        return buffer.getLong(base + DIRTIED_NS);
    }

    /** Writeback: the process that dirtied most of its pages, as the JVM's PID namespace numbers it; 0 otherwise. */
    public int dirtierTgid() {
        return buffer.getInt(base + DIRTIER_TGID);
    }

    /** Writeback: the thread that dirtied most of its pages; 0 when the request is not writeback of the JVM's pages. */
    public int dirtierTid() {
        return buffer.getInt(base + DIRTIER_TID);
    }

    /**
     * The java.lang.Thread id of the virtual thread mounted on the issuing thread (its carrier) when the request
     * started; 0 when none was (a platform thread, a carrier between mounts) or virtual threads are not followed.
     */
    public long vthread() {
        return buffer.getLong(base + VTHREAD);
    }

    /** Writeback: the virtual thread mounted on {@link #dirtierTid()} when it dirtied the pages; 0 when none was. */
    public long dirtierVthread() {
        return buffer.getLong(base + DIRTIER_VTHREAD);
    }

    /** Writeback: threads seen dirtying its pages. */
    public int dirtiers() {
        return Short.toUnsignedInt(buffer.getShort(base + DIRTIERS));
    }

    /** Writeback of the JVM's pages: the flusher's enum wb_reason + 1 or {@link #WRITEBACK_OTHER_TASK}; 0: no writeback. */
    public int writebackReason() {
        return Byte.toUnsignedInt(buffer.get(base + WRITEBACK_REASON));
    }

    /** Writeback: how the request was credited to its dirtier ({@link #CREDIT_PAGES}, {@link #CREDIT_FILE}), else 0. */
    public int credit() {
        return Byte.toUnsignedInt(buffer.get(base + CREDIT));
    }

    /** The issuing process in the kernel's initial PID namespace (the host's view of a container). */
    public int hostTgid() {
        return buffer.getInt(base + HOST_TGID);
    }

    public int hostTid() {
        return buffer.getInt(base + HOST_TID);
    }

    /** The issuer's cgroup (v2) id, the inode number of its cgroup directory; 0 if unknown. */
    public long cgroup() {
        return buffer.getLong(base + CGROUP);
    }

    public int generation() {
        return buffer.getInt(base + GENERATION);
    }

    public int flags() {
        return buffer.getInt(base + FLAGS);
    }

    public int syscallNumber() {
        return buffer.getInt(base + SYSCALL_NR);
    }

    /** The kernel stack id of a stage; {@link #NO_STACK} where there is none. */
    public int stack(Stage stage) {
        return buffer.getInt(base + stackOffset(stage));
    }

    /** Where a stage's stack id sits in the record. */
    public static int stackOffset(Stage stage) {
        switch (stage) {
            case SUBMIT: return SUBMIT_STACK;
            case INSERT: return INSERT_STACK;
            case ISSUE: return ISSUE_STACK;
            default: return COMPLETE_STACK;
        }
    }

    /** Whether the stage ran in the issuing thread's own task. */
    public boolean inIssuer(Stage stage) {
        return (buffer.get(base + ISSUER_CONTEXT) & (1 << stage.ordinal())) != 0;
    }

    public int requeues() {
        return Short.toUnsignedInt(buffer.getShort(base + REQUEUES));
    }

    public int merges() {
        return Short.toUnsignedInt(buffer.getShort(base + MERGES));
    }

    public int op() {
        return Byte.toUnsignedInt(buffer.get(base + OP));
    }

    public int status() {
        return Byte.toUnsignedInt(buffer.get(base + STATUS));
    }

    public int origin() {
        return Byte.toUnsignedInt(buffer.get(base + ORIGIN));
    }

    /** What the first bio's data belongs to: one of {@link FileRecord}'s {@code KIND_*} (enum bf_file_kind). */
    public int fileKind() {
        return Byte.toUnsignedInt(buffer.get(base + FILE_KIND));
    }

    /** {@link FileRecord#REQUEST_DELETED} and the other request flags of bpf/files.h. */
    public int fileFlags() {
        return Byte.toUnsignedInt(buffer.get(base + FILE_FLAGS));
    }

    /**
     * The number of the walk (its {@link FileRecord#seq()}) that named the file when the request started, 0 if not
     * known: a record sent late (its end unseen, noticed when its address started another) names the file as then.
     */
    public int fileSeq() {
        return Short.toUnsignedInt(buffer.getShort(base + FILE_SEQ));
    }

    /** The file's filesystem (its sb->s_dev), or for the other kinds the partition, kernel encoding. */
    public int fileDev() {
        return buffer.getInt(base + FILE_DEV);
    }

    /** The file's inode number (kind {@link FileRecord#KIND_DATA}), else 0. */
    public long fileIno() {
        return buffer.getLong(base + FILE_INO);
    }

    /** Files other than the first among the request's first bios (a lower bound with {@link FileRecord#REQUEST_MORE_BIOS}). */
    public int otherFiles() {
        return Short.toUnsignedInt(buffer.getShort(base + OTHER_FILES));
    }

    /**
     * Word 0 or 1 of the issuer's command name, its bytes in little-endian order and those from its NUL on
     * zero: together a key for the name that costs no String ({@link #comm(long, long)} makes it one).
     */
    public long commWord(int word) {
        long first = littleEndianLong(COMM);
        int end = firstZeroByte(first);
        if (word == 0) {
            return upToByte(first, end);
        }
        if (end < Long.BYTES) {
            return 0;
        }
        long second = littleEndianLong(COMM + Long.BYTES);
        return upToByte(second, firstZeroByte(second));
    }

    /** Whether each stage ran in the issuing thread, as the bit set (1 &lt;&lt; stage ordinal). */
    public int stagesInIssuer() {
        return buffer.get(base + ISSUER_CONTEXT) & ((1 << Stage.COUNT) - 1);
    }

    private long littleEndianLong(int offset) {
        long value = buffer.getLong(base + offset);
        return buffer.order() == ByteOrder.LITTLE_ENDIAN ? value : Long.reverseBytes(value);
    }

    /** The index of the lowest zero byte of a little-endian word, 8 if none (the word-at-a-time NUL search). */
    private static int firstZeroByte(long word) {
        long zeros = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
        return zeros == 0 ? Long.BYTES : Long.numberOfTrailingZeros(zeros) >>> 3;
    }

    /** The word's bytes below index end, the others zero. */
    private static long upToByte(long word, int end) {
        return end == Long.BYTES ? word : word & ((1L << (Byte.SIZE * end)) - 1);
    }

    private int commLength() {
        int length = 0;
        while (length < COMM_LENGTH && buffer.get(base + COMM + length) != 0) {
            length++;
        }
        return length;
    }

    /** The command name of two {@link #commWord} words. */
    public static String comm(long word0, long word1) {
        byte[] bytes = new byte[COMM_LENGTH];
        int length = 0;
        for (long word : new long[] {word0, word1}) {
            for (int i = 0; i < Long.BYTES; i++) {
                byte b = (byte) (word >>> (Byte.SIZE * i));
                if (b == 0) {
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                bytes[length++] = b;
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** The issuer's command name, up to its terminating NUL. */
    public String comm() {
        int length = commLength();
        byte[] bytes = new byte[length];
        buffer.get(base + COMM, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
