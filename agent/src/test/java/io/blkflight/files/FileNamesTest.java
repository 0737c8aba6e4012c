package io.blkflight.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.decode.FileRecord;
import io.blkflight.decode.RecordBatch;
import io.blkflight.decode.RecordBuilder;

import org.junit.jupiter.api.Test;

/** What the file fields of a request record and the files' path records become as names. */
class FileNamesTest {
    private static final int LOOP3 = 7 << 20 | 3;
    private static final int LOOP4 = 7 << 20 | 4;
    private static final String MOUNTINFO = "90 22 7:3 / /mnt/db rw - ext4 /dev/loop3 rw\n"
            + "91 22 7:4 / /mnt/x rw - xfs /dev/loop4 rw\n";

    private final FileTable table = new FileTable(3, () -> Mounts.parse(MOUNTINFO));
    private final FileNames names = new FileNames(table, dev -> "loop" + (dev & 0xfffff));

    private FileName name(RecordBuilder one) {
        new RecordBatch().forEach(one.buffer(), one.length(), (r, path) -> { }, table::accept);
        FileName[] name = new FileName[1];
        new RecordBatch().forEach(one.buffer(), one.length(), (r, path) -> name[0] = names.name(r));
        return name[0];
    }

    private static RecordBuilder request(int kind, int dev, long ino, int flags, String comm) {
        return new RecordBuilder().begin().issuer(100, 101, comm, 17, 0).file(kind, dev, ino, flags, 0).end();
    }

    @Test
    void aFileIsNamedByItsPathBelowItsMountPoint() {
        RecordBuilder records = new RecordBuilder().filePath(LOOP3, 12, 0, "000012.sst", "data");
        new RecordBatch().forEach(records.buffer(), records.length(), (r, path) -> { }, table::accept);

        FileName name = name(request(FileRecord.KIND_DATA, LOOP3, 12, 0, "db-writer"));

        assertThat(name).isEqualTo(new FileName("7:3", 12, "/mnt/db/data/000012.sst", "file", true));
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 12, FileRecord.REQUEST_DELETED, "db-writer")).path())
                .as("a request that found the inode without links").isEqualTo("/mnt/db/data/000012.sst (deleted)");
    }

    @Test
    void whatIsNotAFileGetsALabel() {
        assertThat(name(request(FileRecord.KIND_DEVICE_CACHE, LOOP3, 0, 0, "jbd2/loop3-8")))
                .isEqualTo(new FileName("7:3", 0, "(ext4 journal)", "journal", true));
        assertThat(name(request(FileRecord.KIND_DEVICE_CACHE, LOOP3, 0, 0, "java")).path()).isEqualTo("(ext4 metadata)");
        assertThat(name(request(FileRecord.KIND_DEVICE_CACHE, 7 << 20 | 9, 0, 0, "dd")).path())
                .as("the page cache of a device no filesystem is mounted from: the device itself").isEqualTo("(block device loop9)");
        assertThat(name(request(FileRecord.KIND_XFS_LOG, LOOP4, 0, 0, "kworker/1:1")).path()).isEqualTo("(xfs log)");
        assertThat(name(request(FileRecord.KIND_XFS_METADATA, LOOP4, 0, 0, "java")).path()).isEqualTo("(xfs metadata)");
        assertThat(name(request(FileRecord.KIND_SWAP, LOOP4, 0, 0, "kswapd0")).path()).isEqualTo("(swap)");
        assertThat(name(request(FileRecord.KIND_RAW_DEVICE, LOOP4, 0, 0, "fio")).path()).isEqualTo("(block device loop4)");
        assertThat(name(request(FileRecord.KIND_USER_MEMORY, LOOP4, 0, 0, "java")).path()).isEqualTo("(direct I/O, file unknown)");
        assertThat(name(request(FileRecord.KIND_KERNEL_BUFFER, LOOP4, 0, 0, "ext4lazyinit")).path()).isEqualTo("(kernel buffer)");
        assertThat(name(request(FileRecord.KIND_NO_DATA, LOOP4, 0, 0, "java")).path()).isEqualTo("(no data)");
        assertThat(name(request(FileRecord.KIND_NONE, 0, 0, 0, "java"))).as("files=off").isEqualTo(FileName.NONE);
    }

    @Test
    void hostileAndDeepPathsAreEscapedAndMarkedTruncatedNeverWrong() {
        RecordBuilder records = new RecordBuilder()
                .filePath(LOOP3, 20, 0, 0100644, new byte[] {'e', 'v', 'i', 'l', '\n', (byte) 0xff}, "dir".getBytes())
                .filePath(LOOP3, 21, FileRecord.TRUNCATED, "file40", "d39", "d38");
        new RecordBatch().forEach(records.buffer(), records.length(), (r, path) -> { }, table::accept);

        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 20, 0, "java")).path()).isEqualTo("/mnt/db/dir/evil\\x0a\\xff");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 21, 0, "java")).path())
                .as("the outermost components are missing: the mount point, then an ellipsis").isEqualTo("/mnt/db/\u2026/d38/d39/file40 (truncated)");
    }

    @Test
    void aFileWhosePathIsNotKnownIsNamedByItsInodeAndAskedForAgain() {
        FileName name = name(request(FileRecord.KIND_DATA, LOOP3, 77, 0, "java"));

        assertThat(name).isEqualTo(new FileName("7:3", 77, "(inode 77 on 7:3, path not known)", "file", false));
        assertThat(table.takeForgotten()).as("the kernel side is asked to send its path again").containsExactly(LOOP3, 77);
    }

    @Test
    void pastItsCapacityTheTableForgetsTheLeastRecentlyMetFileAndTellsTheKernelSide() {
        RecordBuilder records = new RecordBuilder().filePath(LOOP3, 1, 0, "a").filePath(LOOP3, 2, 0, "b").filePath(LOOP3, 3, 0, "c");
        new RecordBatch().forEach(records.buffer(), records.length(), (r, path) -> { }, table::accept);
        table.find(LOOP3, 1);
        RecordBuilder fourth = new RecordBuilder().filePath(LOOP3, 4, 0, "d");
        new RecordBatch().forEach(fourth.buffer(), fourth.length(), (r, path) -> { }, table::accept);

        assertThat(table.size()).isEqualTo(3);
        assertThat(table.forgotten()).isEqualTo(1);
        assertThat(table.find(LOOP3, 2)).as("b was met least recently").isNull();
        assertThat(table.takeForgotten()).containsExactly(LOOP3, 2);
        assertThat(table.takeForgotten()).as("each only once").isEmpty();
    }

    private void walked(int dev, long ino, int flags, String... leafFirst) {
        RecordBuilder records = new RecordBuilder().filePath(dev, ino, flags, leafFirst);
        new RecordBatch().forEach(records.buffer(), records.length(), (r, path) -> { }, table::accept);
    }

    @Test
    void aWalkThatFindsANewPathIsARenameAndStalesCachedNames() {
        walked(LOOP3, 5, 0, "old");
        int generation = table.generation();
        walked(LOOP3, 5, FileRecord.REWALK | FileRecord.MOVED | FileRecord.SAME_LEAF, "new");

        assertThat(table.generation()).isNotEqualTo(generation);
        assertThat(table.renamed()).isEqualTo(1);
        assertThat(table.find(LOOP3, 5).path()).isEqualTo("/mnt/db/new");
        FileName name = name(request(FileRecord.KIND_DATA, LOOP3, 5, 0, "java"));
        assertThat(name.path()).isEqualTo("/mnt/db/new (renamed from /mnt/db/old)");
        assertThat(name.renamedFrom()).isEqualTo("/mnt/db/old");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 5, FileRecord.REQUEST_DELETED, "java")).path())
                .as("the rename, then the state").isEqualTo("/mnt/db/new (renamed from /mnt/db/old) (deleted)");
    }

    @Test
    void aRenameIsRememberedWhileTheSamePathIsWalkedAgainAndTheLastOneIsSaid() {
        walked(LOOP3, 6, 0, "00000000000000000042.cleaned", "kafka-0");
        walked(LOOP3, 6, FileRecord.REWALK | FileRecord.MOVED | FileRecord.SAME_LEAF, "00000000000000000042.swap", "kafka-0");
        walked(LOOP3, 6, FileRecord.REWALK | FileRecord.SAME_LEAF, "00000000000000000042.swap", "kafka-0");

        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 6, 0, "java")).path()).as("a walk again after 10 s, same path")
                .isEqualTo("/mnt/db/kafka-0/00000000000000000042.swap (renamed from /mnt/db/kafka-0/00000000000000000042.cleaned)");
        walked(LOOP3, 6, FileRecord.REWALK | FileRecord.MOVED | FileRecord.SAME_LEAF, "00000000000000000042.log", "kafka-0");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 6, 0, "java")).path())
                .isEqualTo("/mnt/db/kafka-0/00000000000000000042.log (renamed from /mnt/db/kafka-0/00000000000000000042.swap)");
        assertThat(table.renamed()).isEqualTo(2);
    }

    /**
     * A request whose record comes after its file's later walks (its end unseen, it is sent when its address
     * starts another request) is named by the walk it started under: the name the file had then.
     */
    @Test
    void aRequestIsNamedByTheWalkItStartedUnderThoughLaterWalksRenamedItsFile() {
        RecordBuilder walks = new RecordBuilder();
        for (int round = 0; round < 4; round++) {
            walks.filePath(LOOP3, 8, round == 0 ? 0 : FileRecord.REWALK | FileRecord.MOVED | FileRecord.SAME_LEAF,
                    "storm-" + round).pathSeq(100 + round);
        }
        new RecordBatch().forEach(walks.buffer(), walks.length(), (r, path) -> { }, table::accept);

        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 101)).path())
                .as("started while named storm-1, recorded after storm-3's walk")
                .isEqualTo("/mnt/db/storm-1 (renamed from /mnt/db/storm-0)");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 100)).path()).isEqualTo("/mnt/db/storm-0");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 103)).path())
                .isEqualTo("/mnt/db/storm-3 (renamed from /mnt/db/storm-2)");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 0)).path())
                .as("no number (an older kernel side): the last name").isEqualTo("/mnt/db/storm-3 (renamed from /mnt/db/storm-2)");

        walked(LOOP3, 8, FileRecord.REWALK | FileRecord.SAME_LEAF, "storm-3");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 102)).path())
                .as("a walk again finding the same name keeps the names before").isEqualTo("/mnt/db/storm-2 (renamed from /mnt/db/storm-1)");
        for (int round = 4; round < 4 + FileTable.NAMES_KEPT; round++) {
            walks = new RecordBuilder().filePath(LOOP3, 8, FileRecord.REWALK | FileRecord.MOVED | FileRecord.SAME_LEAF,
                    "storm-" + round).pathSeq(100 + round);
            new RecordBatch().forEach(walks.buffer(), walks.length(), (r, path) -> { }, table::accept);
        }
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 104)).path())
                .as("the oldest name kept").isEqualTo("/mnt/db/storm-4 (renamed from /mnt/db/storm-3)");
        String last = "/mnt/db/storm-" + (3 + FileTable.NAMES_KEPT) + " (renamed from /mnt/db/storm-" + (2 + FileTable.NAMES_KEPT) + ")";
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 103 + FileTable.NAMES_KEPT)).path()).isEqualTo(last);
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java", 101)).path())
                .as("a name older than those kept: the last").isEqualTo(last);
    }

    private static RecordBuilder request(int kind, int dev, long ino, int flags, String comm, int seq) {
        return new RecordBuilder().begin().issuer(100, 101, comm, 17, 0).file(kind, dev, ino, flags, 0).fileSeq(seq).end();
    }

    @Test
    void aDirectoryRenamedAboveTheFileIsARenameToo() {
        walked(LOOP3, 7, 0, "wal.log", "old-dir");
        walked(LOOP3, 7, FileRecord.REWALK | FileRecord.SAME_LEAF, "wal.log", "new-dir");

        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 7, 0, "java")).path())
                .isEqualTo("/mnt/db/new-dir/wal.log (renamed from /mnt/db/old-dir/wal.log)");
    }

    @Test
    void aFileWithSeveralLinksWalkedFromAnotherOfItsNamesIsNotSaidRenamed() {
        walked(LOOP3, 8, FileRecord.LINKS, "000123.sst", "db");
        walked(LOOP3, 8, FileRecord.REWALK | FileRecord.LINKS, "000123.sst", "checkpoint");

        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 8, 0, "java")).path()).isEqualTo("/mnt/db/checkpoint/000123.sst");
        assertThat(table.renamed()).isZero();
        walked(LOOP3, 9, 0, "a");
        walked(LOOP3, 9, FileRecord.REWALK, "b");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 9, 0, "java")).path())
                .as("with one link, a new name from another dentry is a rename").isEqualTo("/mnt/db/b (renamed from /mnt/db/a)");
        walked(LOOP3, 10, 0, "c");
        walked(LOOP3, 10, 0, "d");
        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 10, 0, "java")).path())
                .as("a walk that does not know the file walked before (the kernel side forgot it)").isEqualTo("/mnt/db/d");
    }

    @Test
    void aWalkAgainThatFindsNoNameKeepsTheLastPath() {
        walked(LOOP3, 12, 0, "x");
        walked(LOOP3, 12, FileRecord.REWALK | FileRecord.NO_DENTRY | FileRecord.NO_LINKS);

        assertThat(name(request(FileRecord.KIND_DATA, LOOP3, 12, 0, "java")).path()).isEqualTo("/mnt/db/x (deleted)");
    }

    @Test
    void aRequestWhoseNewPathWasLostIsNamedByItsInodeNotByAnOldName() {
        walked(LOOP3, 11, 0, "old");

        FileName name = name(request(FileRecord.KIND_DATA, LOOP3, 11, FileRecord.REQUEST_PATH_STALE, "java"));

        assertThat(name).isEqualTo(new FileName("7:3", 11, "(inode 11 on 7:3, path not known)", "file", false));
        assertThat(table.takeForgotten()).as("the kernel side sends it again by itself; forgetting it would lose the rename")
                .isEmpty();
    }
}
