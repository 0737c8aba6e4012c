package io.blkflight.decode;

import io.blkflight.model.Stage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes synthetic request records the way the native drain does: a 32-bit length, then the record. */
public final class RecordBuilder {
    private final ByteBuffer buffer;
    private int base;
    private int lastPath;
    private int lengthAt;

    public RecordBuilder() {
        this(1 << 16);
    }

    /** With room for this many bytes of records. */
    public RecordBuilder(int capacity) {
        buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    public RecordBuilder begin() {
        lengthAt = buffer.position();
        buffer.putInt(buffer.position(), RequestRecord.SIZE);
        base = buffer.position() + Integer.BYTES;
        for (int i = 0; i < RequestRecord.SIZE; i++) {
            buffer.put(base + i, (byte) 0);
        }
        buffer.putInt(base + RequestRecord.KIND, RequestRecord.KIND_REQUEST);
        buffer.putInt(base + RequestRecord.VERSION, RequestRecord.LAYOUT_VERSION);
        buffer.putInt(base + RequestRecord.SYSCALL_NR, RequestRecord.NO_SYSCALL);
        buffer.put(base + RequestRecord.ORIGIN, (byte) RequestRecord.ORIGIN_BIO);
        for (Stage stage : Stage.values()) {
            stack(stage, RequestRecord.NO_STACK, false);
        }
        return this;
    }

    /** The stage's kernel stack id, and whether the stage ran in the issuing thread. */
    public RecordBuilder stack(Stage stage, int id, boolean inIssuer) {
        buffer.putInt(base + RequestRecord.stackOffset(stage), id);
        byte context = buffer.get(base + RequestRecord.ISSUER_CONTEXT);
        int bit = 1 << stage.ordinal();
        buffer.put(base + RequestRecord.ISSUER_CONTEXT, (byte) (inIssuer ? context | bit : context & ~bit));
        return this;
    }

    public RecordBuilder request(long address, int generation) {
        buffer.putLong(base + RequestRecord.REQUEST, address);
        buffer.putInt(base + RequestRecord.GENERATION, generation);
        return this;
    }

    public RecordBuilder times(long submit, long alloc, long insert, long issue, long complete) {
        buffer.putLong(base + RequestRecord.SUBMIT_NS, submit);
        buffer.putLong(base + RequestRecord.ALLOC_NS, alloc);
        buffer.putLong(base + RequestRecord.INSERT_NS, insert);
        buffer.putLong(base + RequestRecord.ISSUE_NS, issue);
        buffer.putLong(base + RequestRecord.COMPLETE_NS, complete);
        return this;
    }

    public RecordBuilder where(int dev, long sector, int bytes, int op, int flags) {
        buffer.putInt(base + RequestRecord.DEV, dev);
        buffer.putLong(base + RequestRecord.SECTOR, sector);
        buffer.putInt(base + RequestRecord.BYTES, bytes);
        buffer.put(base + RequestRecord.OP, (byte) op);
        buffer.putInt(base + RequestRecord.FLAGS, flags);
        return this;
    }

    /** The issuer, outside any PID namespace (its ids are the host's too). */
    public RecordBuilder issuer(int tgid, int tid, String comm, int syscall, long syscallStart) {
        return issuer(tgid, tid, tgid, tid, comm, syscall, syscallStart);
    }

    /** The issuer with its ids in the JVM's PID namespace and in the initial one. */
    public RecordBuilder issuer(int tgid, int tid, int hostTgid, int hostTid, String comm, int syscall, long syscallStart) {
        buffer.putInt(base + RequestRecord.TGID, tgid);
        buffer.putInt(base + RequestRecord.TID, tid);
        buffer.putInt(base + RequestRecord.HOST_TGID, hostTgid);
        buffer.putInt(base + RequestRecord.HOST_TID, hostTid);
        byte[] name = comm.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < RequestRecord.COMM_LENGTH; i++) {
            buffer.put(base + RequestRecord.COMM + i, i < name.length && i < 15 ? name[i] : 0);
        }
        buffer.putInt(base + RequestRecord.SYSCALL_NR, syscall);
        buffer.putLong(base + RequestRecord.SYSCALL_START_NS, syscallStart);
        return this;
    }

    /** The virtual thread mounted on the issuer (its carrier) when the request started. */
    public RecordBuilder vthread(long id) {
        buffer.putLong(base + RequestRecord.VTHREAD, id);
        return this;
    }

    /** Writeback: the dirtier (its process, thread and the virtual thread mounted on it), how it was credited. */
    public RecordBuilder dirtier(int reason, int credit, int tgid, int tid, long vthread, long dirtiedNanos) {
        buffer.put(base + RequestRecord.WRITEBACK_REASON, (byte) reason);
        buffer.put(base + RequestRecord.CREDIT, (byte) credit);
        buffer.putInt(base + RequestRecord.DIRTIER_TGID, tgid);
        buffer.putInt(base + RequestRecord.DIRTIER_TID, tid);
        buffer.putLong(base + RequestRecord.DIRTIER_VTHREAD, vthread);
        buffer.putLong(base + RequestRecord.DIRTIED_NS, dirtiedNanos);
        buffer.putShort(base + RequestRecord.DIRTIERS, (short) 1);
        return this;
    }

    public RecordBuilder cgroup(long id) {
        buffer.putLong(base + RequestRecord.CGROUP, id);
        return this;
    }

    public RecordBuilder counts(int requeues, int merges, int status) {
        buffer.putShort(base + RequestRecord.REQUEUES, (short) requeues);
        buffer.putShort(base + RequestRecord.MERGES, (short) merges);
        buffer.put(base + RequestRecord.STATUS, (byte) status);
        return this;
    }

    /** The file the request's first bio belongs to (bpf/files.h), and the other files merged into it. */
    public RecordBuilder file(int kind, int dev, long ino, int flags, int otherFiles) {
        buffer.put(base + RequestRecord.FILE_KIND, (byte) kind);
        buffer.putInt(base + RequestRecord.FILE_DEV, dev);
        buffer.putLong(base + RequestRecord.FILE_INO, ino);
        buffer.put(base + RequestRecord.FILE_FLAGS, (byte) flags);
        buffer.putShort(base + RequestRecord.OTHER_FILES, (short) otherFiles);
        return this;
    }

    /**
     * A file's path record, a sample of its own as the kernel side writes it: the components from the file up
     * (leaf first), each NUL terminated, the sample only as long as they are.
     */
    public RecordBuilder filePath(int dev, long ino, int flags, int mode, byte[]... leafFirst) {
        int names = 0;
        for (byte[] name : leafFirst) {
            names += name.length + 1;
        }
        int size = FileRecord.HEAD + names;
        buffer.putInt(size);
        int at = buffer.position();
        for (int i = 0; i < size; i++) {
            buffer.put(at + i, (byte) 0);
        }
        buffer.putInt(at + RequestRecord.KIND, FileRecord.KIND_FILE);
        buffer.putInt(at + RequestRecord.VERSION, RequestRecord.LAYOUT_VERSION);
        buffer.putLong(at + FileRecord.INO, ino);
        buffer.putInt(at + FileRecord.DEV, dev);
        buffer.putInt(at + FileRecord.FLAGS, flags);
        buffer.putShort(at + FileRecord.MODE, (short) mode);
        lastPath = at;
        buffer.putShort(at + FileRecord.DEPTH, (short) leafFirst.length);
        buffer.putShort(at + FileRecord.LENGTH, (short) names);
        int offset = at + FileRecord.NAMES;
        for (byte[] name : leafFirst) {
            buffer.put(offset, name);
            offset += name.length + 1;
        }
        buffer.position(at + size);
        return this;
    }

    /** The walk number of the path record written last (FileRecord.seq). */
    public RecordBuilder pathSeq(int seq) {
        buffer.putShort(lastPath + FileRecord.SEQ, (short) seq);
        return this;
    }

    /** The walk number that named the request's file at its start (RequestRecord.fileSeq). */
    public RecordBuilder fileSeq(int seq) {
        buffer.putShort(base + RequestRecord.FILE_SEQ, (short) seq);
        return this;
    }

    /** The same with names as UTF-8 text. */
    public RecordBuilder filePath(int dev, long ino, int flags, String... leafFirst) {
        byte[][] names = new byte[leafFirst.length][];
        for (int i = 0; i < names.length; i++) {
            names[i] = leafFirst[i].getBytes(StandardCharsets.UTF_8);
        }
        return filePath(dev, ino, flags, 0100644, names);
    }

    public RecordBuilder origin(int origin) {
        buffer.put(base + RequestRecord.ORIGIN, (byte) origin);
        return this;
    }

    public RecordBuilder kindAndVersion(int kind, int version) {
        buffer.putInt(base + RequestRecord.KIND, kind);
        buffer.putInt(base + RequestRecord.VERSION, version);
        return this;
    }

    public RecordBuilder end() {
        buffer.position(base + RequestRecord.SIZE);
        return this;
    }

    /**
     * Appends a path record to the last request's sample (function-level mode), as the kernel side does:
     * hits as {ns, function, inIssuer (0/1), stack id}, and the hits it could not keep.
     */
    public RecordBuilder path(long request, int generation, int overflow, long[]... hits) {
        int at = buffer.position();
        buffer.putInt(lengthAt, buffer.getInt(lengthAt) + PathRecord.SIZE);
        for (int i = 0; i < PathRecord.SIZE; i++) {
            buffer.put(at + i, (byte) 0);
        }
        buffer.putInt(at + RequestRecord.KIND, PathRecord.KIND_PATH);
        buffer.putInt(at + RequestRecord.VERSION, RequestRecord.LAYOUT_VERSION);
        buffer.putLong(at + PathRecord.REQUEST, request);
        buffer.putInt(at + PathRecord.GENERATION, generation);
        buffer.putShort(at + PathRecord.HITS, (short) hits.length);
        buffer.putShort(at + PathRecord.OVERFLOW, (short) overflow);
        for (int i = 0; i < hits.length; i++) {
            int hit = at + PathRecord.HIT + i * PathRecord.HIT_SIZE;
            buffer.putLong(hit + PathRecord.HIT_NS, hits[i][0]);
            buffer.putShort(hit + PathRecord.HIT_FUNCTION, (short) hits[i][1]);
            buffer.put(hit + PathRecord.HIT_IN_ISSUER, (byte) hits[i][2]);
            buffer.putInt(hit + PathRecord.HIT_STACK, (int) hits[i][3]);
        }
        buffer.position(at + PathRecord.SIZE);
        return this;
    }

    /** Appends raw bytes, for truncated or foreign input. */
    public RecordBuilder raw(int length, byte fill) {
        for (int i = 0; i < length; i++) {
            buffer.put(fill);
        }
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int length() {
        return buffer.position();
    }
}
