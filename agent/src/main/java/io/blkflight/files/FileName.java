package io.blkflight.files;

/**
 * What a request's data belongs to, as the events write it: the filesystem's device (major:minor) and inode of a
 * file, or of the other kinds the partition; the path as this JVM reaches it, or for the other kinds a label in
 * parentheses such as {@code (ext4 journal)}; and the kind (file, directory, journal, metadata, ...).
 *
 * @param path        with its state after it: {@code  (renamed from OLD)}, {@code  (deleted)}, ...
 * @param pathKnown   false for a file whose path the agent did not have when the request was written
 * @param renamedFrom for a file renamed while in use, the path it had before (also in {@code path}); else null
 */
public record FileName(String device, long inode, String path, String kind, boolean pathKnown, String renamedFrom) {
    /** Requests recorded with files off. */
    public static final FileName NONE = new FileName("", 0, "", "", true);

    /** A name that says no rename. */
    public FileName(String device, long inode, String path, String kind, boolean pathKnown) {
        this(device, inode, path, kind, pathKnown, null);
    }
}
