package io.blkflight.files;

/**
 * What a request's data belongs to, as the events write it: the filesystem's device (major:minor) and inode of a
 * file, or of the other kinds the partition; the path as this JVM reaches it, or for the other kinds a label in
 * parentheses such as {@code (ext4 journal)}; and the kind (file, directory, journal, metadata, ...).
 *
 * @param pathKnown false for a file whose path the agent did not have when the request was written
 */
public record FileName(String device, long inode, String path, String kind, boolean pathKnown) {
    /** Requests recorded with files off. */
    public static final FileName NONE = new FileName("", 0, "", "", true);
}
