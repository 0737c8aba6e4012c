package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Unsigned;

/**
 * What compact block requests read or wrote, named by id: a file, or the journal, metadata and the other things
 * a request's data can belong to. Written once per chunk before the first {@link CompactRequestEvent} that
 * names it, as shapes are.
 */
@Name(EventNames.FILE)
@Label("Block I/O File")
@Category({EventNames.CATEGORY, "Block I/O"})
@Description("A file, or the journal, metadata or other data, that blkflight.CompactRequest events name by file id.")
@StackTrace(false)
public final class FileEvent extends jdk.jfr.Event {
    @Label("File Id")
    @Description("The id blkflight.CompactRequest events use for this file (never 0).")
    public long fileId;

    @Label("Device")
    @Description("The device of the file's filesystem, or for what is not a file the partition, major:minor.")
    public String device;

    @Label("Inode")
    @Description("The file's inode number on its filesystem; 0 for what is not a file.")
    @Unsigned
    public long inode;

    @Label("Path")
    @Description("The path as the JVM reaches it (the mount point in front; bytes that are not printable UTF-8 as \\xNN, a backslash doubled; a path deeper than 32 components as /mount/\u2026/tail); a label in parentheses for what is not a file: (ext4 journal), (ext4 metadata), (xfs log), (xfs metadata), (swap), (block device NAME), (direct I/O, file unknown), (kernel buffer), (no data). A state follows where it applies: (renamed from OLD) for a file renamed while in use, then (deleted), (truncated).")
    public String path;

    @Label("Renamed From")
    @Description("For a file renamed while in use: the path it had before (its path says so too); empty otherwise.")
    public String renamedFrom;

    @Label("Kind")
    @Description("file, directory, symlink, other, journal, metadata, swap, block device, direct I/O, kernel buffer or no data.")
    public String kind;
}
