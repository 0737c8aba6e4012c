package io.blkflight.decode;

import java.nio.ByteBuffer;

/**
 * A view of one {@code struct bf_file_record} (bpf/files.h): a file's path as the kernel side walked it, sent
 * before the first request record that names the file (and again after a while, or when asked). The sample is
 * only as long as its names: {@link #HEAD} bytes and then {@link #length()}. Offsets mirror the C header;
 * {@code RequestRecordLayoutTest} checks them, and the file kinds and flags below.
 */
public final class FileRecord {
    public static final int KIND_FILE = 3;
    public static final int HEAD = 32;
    /** Room for the names in the kernel's record. */
    public static final int PATH_BYTES = 4096;
    /** Components a walk follows at most. */
    public static final int PATH_DEPTH = 32;

    static final int INO = 8;
    static final int DEV = 16;
    static final int FLAGS = 20;
    static final int MODE = 24;
    static final int SEQ = 26;
    static final int DEPTH = 28;
    static final int LENGTH = 30;
    static final int NAMES = HEAD;

    /** enum bf_file_kind: what a request's data belongs to. */
    public static final int KIND_NONE = 0;
    public static final int KIND_DATA = 1;
    public static final int KIND_DEVICE_CACHE = 2;
    public static final int KIND_XFS_LOG = 3;
    public static final int KIND_XFS_METADATA = 4;
    public static final int KIND_SWAP = 5;
    public static final int KIND_RAW_DEVICE = 6;
    public static final int KIND_USER_MEMORY = 7;
    public static final int KIND_KERNEL_BUFFER = 8;
    public static final int KIND_NO_DATA = 9;

    /** A request record's file flags. */
    public static final int REQUEST_DELETED = 1;
    public static final int REQUEST_DIRECT = 2;
    public static final int REQUEST_MORE_BIOS = 4;
    /** The file's path had to be sent again and could not be: the path the agent holds may be an old name. */
    public static final int REQUEST_PATH_STALE = 8;

    /** A path's flags ({@link #flags()}). */
    public static final int TRUNCATED = 1;
    public static final int UNLINKED = 2;
    public static final int NO_LINKS = 4;
    public static final int NO_DENTRY = 8;
    public static final int DISCONNECTED = 16;
    public static final int FROM_FILE = 32;
    public static final int ALIASES = 64;
    public static final int REWALK = 128;
    /** Walked again at once: the name it was walked by last was renamed or moved to another directory since. */
    public static final int MOVED = 256;
    /** Walked from the same dentry as its previous walk: a new path is a rename (of the file or a directory above it). */
    public static final int SAME_LEAF = 512;
    /** The inode had more than one link (hard links): a walk from another dentry may find another of its names. */
    public static final int LINKS = 1024;

    private ByteBuffer buffer;
    private int base;
    private int size;

    /** Points this view at the sample of {@code size} bytes starting at {@code offset}. */
    public FileRecord wrap(ByteBuffer buffer, int offset, int size) {
        this.buffer = buffer;
        this.base = offset;
        this.size = size;
        return this;
    }

    public long ino() {
        return buffer.getLong(base + INO);
    }

    /** The filesystem's dev_t (sb->s_dev), kernel encoding major &lt;&lt; 20 | minor. */
    public int dev() {
        return buffer.getInt(base + DEV);
    }

    public int flags() {
        return buffer.getInt(base + FLAGS);
    }

    /** The inode's i_mode: file type and permissions. */
    public int mode() {
        return Short.toUnsignedInt(buffer.getShort(base + MODE));
    }

    /**
     * This walk's number (1 to 65535, round and round over all files; 0 from a kernel side that numbers none): a
     * request names the walk its file was named by at its start ({@link RequestRecord#fileSeq()}).
     */
    public int seq() {
        return Short.toUnsignedInt(buffer.getShort(base + SEQ));
    }

    /** Components walked. */
    public int depth() {
        return Short.toUnsignedInt(buffer.getShort(base + DEPTH));
    }

    /** Bytes of names, never more than the sample holds. */
    public int length() {
        return Math.min(Short.toUnsignedInt(buffer.getShort(base + LENGTH)), Math.min(PATH_BYTES, size - HEAD));
    }

    /** The names, from the file up to the filesystem's root, each as the kernel's bytes (any but '/' and NUL). */
    public byte[][] components() {
        int length = length();
        int count = 0;
        for (int i = 0; i < length; i++) {
            if (buffer.get(base + NAMES + i) == 0) {
                count++;
            }
        }
        byte[][] components = new byte[count][];
        int start = 0;
        int index = 0;
        for (int i = 0; i < length && index < count; i++) {
            if (buffer.get(base + NAMES + i) == 0) {
                byte[] name = new byte[i - start];
                buffer.get(base + NAMES + start, name);
                components[index++] = name;
                start = i + 1;
            }
        }
        return components;
    }
}
