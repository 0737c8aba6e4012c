package io.blkflight.files;

import io.blkflight.decode.FileRecord;
import io.blkflight.decode.RequestRecord;
import io.blkflight.model.FileGlob;

import java.util.function.IntFunction;

/**
 * The name of what a request's data belongs to, from the file fields of its record and the paths in the
 * {@link FileTable}: a file's path, or a label for the other kinds. ext4's journal and its other metadata both
 * come through the block device's own page cache; the journal is what jbd2's threads write.
 */
public final class FileNames {
    /** The first five bytes of a jbd2 thread's command name ("jbd2/vda1-8"), little-endian as RequestRecord.commWord gives them. */
    private static final long JBD2_PREFIX = 'j' | 'b' << 8 | 'd' << 16 | (long) '2' << 24 | (long) '/' << 32;
    private static final long PREFIX_MASK = 0xff_ffff_ffffL;

    private final FileTable table;
    private final IntFunction<String> deviceNames;
    private long unnamed;

    /** @param deviceNames a block device's name (loop3, vda1) by its dev_t */
    public FileNames(FileTable table, IntFunction<String> deviceNames) {
        this.table = table;
        this.deviceNames = deviceNames;
    }

    public FileTable table() {
        return table;
    }

    /**
     * Names that a cache may keep for a request with the same file fields, deletion flag and journal writer, as
     * long as {@link FileTable#generation()} stays what it is. A file whose path is not known is named by its
     * inode, and its path asked for again.
     */
    public FileName name(RequestRecord record) {
        int kind = record.fileKind();
        int dev = record.fileDev();
        String device = (dev >>> 20) + ":" + (dev & 0xfffff);
        switch (kind) {
            case FileRecord.KIND_NONE:
                return FileName.NONE;
            case FileRecord.KIND_DATA:
                if ((record.fileFlags() & FileRecord.REQUEST_PATH_STALE) != 0) {
                    // Its new path was lost (counted): the kernel side sends it at the file's next request.
                    return unknown(device, record.fileIno());
                }
                return fileName(dev, record.fileIno(), record.fileSeq(), device,
                        (record.fileFlags() & FileRecord.REQUEST_DELETED) != 0);
            case FileRecord.KIND_DEVICE_CACHE: {
                String type = table.mountedType(dev);
                if (type == null) {
                    return new FileName(device, 0, "(block device " + deviceNames.apply(dev) + ")", "block device", true);
                }
                boolean journal = writtenByJbd2(record);
                return new FileName(device, 0, "(" + PathText.escapeRaw(type) + (journal ? " journal)" : " metadata)"),
                        journal ? "journal" : "metadata", true);
            }
            case FileRecord.KIND_XFS_LOG:
                return new FileName(device, 0, "(xfs log)", "journal", true);
            case FileRecord.KIND_XFS_METADATA:
                return new FileName(device, 0, "(xfs metadata)", "metadata", true);
            case FileRecord.KIND_SWAP:
                return new FileName(device, 0, "(swap)", "swap", true);
            case FileRecord.KIND_RAW_DEVICE:
                return new FileName(device, 0, "(block device " + deviceNames.apply(dev) + ")", "block device", true);
            case FileRecord.KIND_USER_MEMORY:
                return new FileName(device, 0, "(direct I/O, file unknown)", "direct I/O", true);
            case FileRecord.KIND_KERNEL_BUFFER:
                return new FileName(device, 0, "(kernel buffer)", "kernel buffer", true);
            case FileRecord.KIND_NO_DATA:
                return new FileName("", 0, "(no data)", "no data", true);
            default:
                return new FileName(device, 0, "(kind " + kind + ")", "unknown", true);
        }
    }

    /** Whether a block device page's request was submitted by one of jbd2's threads (ext4's journal). */
    public static boolean writtenByJbd2(RequestRecord record) {
        return (record.commWord(0) & PREFIX_MASK) == JBD2_PREFIX;
    }

    private FileName fileName(int dev, long ino, int seq, String device, boolean deletedNow) {
        FileTable.KnownFile file = table.find(dev, ino, seq);
        if (file == null) {
            table.sendAgain(dev, ino);
            return unknown(device, ino);
        }
        if (file.path() == null) {
            return new FileName(device, ino, "(inode " + ino + " on " + device + ", no name)" + (deletedNow || file.deleted()
                    ? " (deleted)" : ""), file.kind(), true);
        }
        String state = file.partial() && (deletedNow || file.deleted()) ? " (truncated, deleted)"
                : file.partial() ? " (truncated)" : deletedNow || file.deleted() ? " (deleted)" : "";
        String renamed = file.renamedFrom() == null ? "" : FileGlob.RENAMED_FROM + file.renamedFrom() + ")";
        return new FileName(device, ino, file.path() + renamed + state, file.kind(), true, file.renamedFrom());
    }

    private static FileName unknown(String device, long ino) {
        return new FileName(device, ino, "(inode " + ino + " on " + device + ", path not known)", "file", false);
    }

    /** Counts a request recorded without its file's path. */
    public void countUnnamed() {
        unnamed++;
    }

    /** Requests recorded whose file's path the agent did not have (its path record lost, or forgotten). */
    public long unnamed() {
        return unnamed;
    }
}
