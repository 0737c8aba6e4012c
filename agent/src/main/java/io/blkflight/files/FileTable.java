package io.blkflight.files;

import io.blkflight.decode.FileRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The files whose path the kernel side sent, by filesystem device and inode number, each as this JVM reaches it
 * (mount point in front, escaped for printing). Bounded: past its capacity the least recently looked-up file is
 * forgotten (counted), and the kernel side is told to forget it too, so that its next request sends the path
 * again. Used by the collector thread only.
 */
public final class FileTable {
    private static final long[] NONE = new long[0];
    /** Re-read mountinfo for an unknown device at most this often. */
    private static final long MOUNT_REFRESH_NANOS = 1_000_000_000L;

    record Key(int dev, long ino) {
    }

    /**
     * A file as its last walk saw it.
     *
     * @param path        the path as this JVM reaches it, printable; null when the inode had no name to walk
     * @param flags       the walk's flags (FileRecord.TRUNCATED, UNLINKED, ...)
     * @param mode        the inode's i_mode
     * @param renamedFrom the path it had before it was renamed while the agent knew it (printable), else null
     * @param seq         the walk's number (FileRecord.seq), 0 if the kernel side numbers none
     * @param before      the file as it was named before its last rename, with its own seq (at most
     *                    {@link #NAMES_KEPT} names back), else null
     */
    public record KnownFile(int dev, long ino, String path, int flags, int mode, String renamedFrom, int seq,
                            KnownFile before) {
        /** The name the walk numbered seq gave, where it is still kept; else this one (the newest). */
        KnownFile named(int seq) {
            if (seq == 0) {
                return this;
            }
            for (KnownFile name = this; name != null; name = name.before) {
                if (name.seq == seq) {
                    return name;
                }
            }
            return this;
        }

        /** The same, keeping only the newest {@code names} names. */
        KnownFile keeping(int names) {
            return new KnownFile(dev, ino, path, flags, mode, renamedFrom, seq,
                    names <= 1 || before == null ? null : before.keeping(names - 1));
        }

        /** Whether the walk found the file deleted: no link left, or its name removed. */
        public boolean deleted() {
            return (flags & (FileRecord.UNLINKED | FileRecord.NO_LINKS)) != 0;
        }

        /** Whether the path lacks its outermost part (deeper than the walk goes, or a root that is not the filesystem's). */
        public boolean partial() {
            return (flags & (FileRecord.TRUNCATED | FileRecord.DISCONNECTED)) != 0;
        }

        /** file, directory, symlink or other, by the inode's type. */
        public String kind() {
            switch (mode & 0170000) {
                case 0100000: return "file";
                case 0040000: return "directory";
                case 0120000: return "symlink";
                default: return "other";
            }
        }
    }

    /**
     * Names kept of a file renamed while in use: a request's record may come after its file's later walks (its end
     * unseen, it is sent when its address starts another request) and is named by the walk it started under.
     */
    static final int NAMES_KEPT = 8;

    private final int capacity;
    private final Supplier<Mounts> mountSource;
    private final Map<Key, KnownFile> files;
    private final Set<Key> toForget = new LinkedHashSet<>();
    private Mounts mounts;
    private long mountsRead;
    private int generation;
    private long forgotten;
    private long renamed;

    /** @param mountSource reads this JVM's mounts (again when a file of an unknown device comes) */
    public FileTable(int capacity, Supplier<Mounts> mountSource) {
        this.capacity = capacity;
        this.mountSource = mountSource;
        this.mounts = mountSource.get();
        this.mountsRead = System.nanoTime();
        this.files = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, KnownFile> eldest) {
                if (size() <= FileTable.this.capacity) {
                    return false;
                }
                forgotten++;
                toForget.add(eldest.getKey());
                return true;
            }
        };
    }

    /**
     * A file's path as the kernel side walked it. A walk again of the same file (the same inode, generation and
     * filesystem) that finds another path is a rename when it began at the same name (the kernel side saw that
     * name moved, or a directory above it was renamed), or when the file has one link only; a file with several
     * links walked from another of its names just takes that name. A walk again that found no name at all (its
     * dentry turned negative at an unlink, or was reclaimed) keeps the last path known.
     */
    public void accept(FileRecord record) {
        Key key = new Key(record.dev(), record.ino());
        String path = path(record);
        int flags = record.flags();
        KnownFile old = files.get(key);
        if (path == null && old != null && (flags & FileRecord.REWALK) != 0) {
            path = old.path();
        }
        String renamedFrom = null;
        if (old != null && old.path() != null && path != null) {
            if (!old.path().equals(path)) {
                if ((flags & FileRecord.REWALK) != 0 && ((flags & FileRecord.SAME_LEAF) != 0 || (flags & FileRecord.LINKS) == 0)) {
                    renamedFrom = old.path();
                    renamed++;
                }
            } else {
                renamedFrom = old.renamedFrom();
            }
        }
        // A new name keeps the old ones behind it (bounded); a walk again finding the same name keeps those behind.
        KnownFile before = old == null ? null : Objects.equals(old.path(), path) ? old.before() : old.keeping(NAMES_KEPT - 1);
        KnownFile file = new KnownFile(record.dev(), record.ino(), path, flags, record.mode(), renamedFrom, record.seq(),
                before);
        files.put(key, file);
        toForget.remove(key);
        if (!file.equals(old)) {
            generation++;
        }
    }

    /** The file, or null when the kernel side has not sent it or it was forgotten. */
    public KnownFile find(int dev, long ino) {
        return find(dev, ino, 0);
    }

    /**
     * The file as the walk numbered seq named it (a request's {@code fileSeq}), where that name is kept; else as
     * named last. Null when the kernel side has not sent it or it was forgotten.
     */
    public KnownFile find(int dev, long ino, int seq) {
        KnownFile file = files.get(new Key(dev, ino));
        return file == null ? null : file.named(seq);
    }

    /** Asks the kernel side, at the next drain, to send this file's path again (a request named it unknown). */
    public void sendAgain(int dev, long ino) {
        if (toForget.size() < capacity) {
            toForget.add(new Key(dev, ino));
        }
    }

    /** The files the kernel side is to forget, as dev, ino pairs; the list starts over. */
    public long[] takeForgotten() {
        if (toForget.isEmpty()) {
            return NONE;
        }
        List<Key> keys = new ArrayList<>(toForget);
        toForget.clear();
        long[] pairs = new long[keys.size() * 2];
        for (int i = 0; i < keys.size(); i++) {
            pairs[2 * i] = keys.get(i).dev();
            pairs[2 * i + 1] = keys.get(i).ino();
        }
        return pairs;
    }

    /** Changes with every file added or changed: a cache of names made from this table is stale when it moved. */
    public int generation() {
        return generation;
    }

    /** Files forgotten because the table was full. */
    public long forgotten() {
        return forgotten;
    }

    /** Files whose walk again found them renamed. */
    public long renamed() {
        return renamed;
    }

    public int size() {
        return files.size();
    }

    /** The filesystem type mounted from a device (partition), or null. */
    String mountedType(int dev) {
        return mountsOf(dev).type(dev);
    }

    private Mounts mountsOf(int dev) {
        long now = System.nanoTime();
        if (!mounts.has(dev) && now - mountsRead > MOUNT_REFRESH_NANOS) {
            mounts = mountSource.get();
            mountsRead = now;
        }
        return mounts;
    }

    /**
     * The path as this JVM reaches it: the components turned round, the mount point in front; a path whose
     * outermost part the walk did not reach starts with the filesystem's mount point (where its root is mounted)
     * and "/…"; a filesystem not mounted here is named by its device, "(7:3)/a/b".
     */
    private String path(FileRecord record) {
        byte[][] components = record.components();
        if (components.length == 0 && (record.flags() & FileRecord.NO_DENTRY) != 0) {
            return null;
        }
        StringBuilder raw = new StringBuilder();
        for (int i = components.length - 1; i >= 0; i--) {
            raw.append('/').append(PathText.raw(components[i]));
        }
        String inFilesystem = raw.length() == 0 ? "/" : raw.toString();
        Mounts here = mountsOf(record.dev());
        String device = "(" + (record.dev() >>> 20) + ":" + (record.dev() & 0xfffff) + ")";
        if ((record.flags() & (FileRecord.TRUNCATED | FileRecord.DISCONNECTED)) != 0) {
            String point = here.rootPoint(record.dev());
            return (point == null ? device : point.equals("/") ? "" : PathText.escapeRaw(point)) + "/\u2026"
                    + PathText.escapeRaw(inFilesystem);
        }
        String located = here.locate(record.dev(), inFilesystem);
        return located != null ? PathText.escapeRaw(located) : device + PathText.escapeRaw(inFilesystem);
    }
}
