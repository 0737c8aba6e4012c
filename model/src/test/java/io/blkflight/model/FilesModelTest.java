package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Requests by the file they read or wrote: selected by glob, grouped, and as the root of trees and folded stacks. */
class FilesModelTest {
    private static BlockRequest read(String file, long duration) {
        BlockRequest request = Requests.read(1_000, duration).file(file, "file", 12, 0).build();
        request.link(Requests.READER);
        return request;
    }

    @Test
    void aGlobWithoutASlashMatchesTheFilesNameOneWithASlashItsPath() {
        assertThat(FileGlob.matches("*.sst", "/mnt/db/data/000012.sst")).isTrue();
        assertThat(FileGlob.matches("*.sst", "/mnt/db/data/000012.log")).isFalse();
        assertThat(FileGlob.matches("0000??.sst", "/mnt/db/data/000012.sst")).isTrue();
        assertThat(FileGlob.matches("/mnt/db/*.sst", "/mnt/db/data/000012.sst")).as("* does not cross a /").isFalse();
        assertThat(FileGlob.matches("/mnt/db/**.sst", "/mnt/db/data/000012.sst")).as("** does").isTrue();
        assertThat(FileGlob.matches("/mnt/db/**", "/mnt/db/data/000012.sst")).isTrue();
        assertThat(FileGlob.matches("wal.log", "/mnt/db/wal.log (deleted)")).as("the state is not part of the path").isTrue();
        assertThat(FileGlob.matches("segments_2", "/mnt/db/segments_2 (renamed from /mnt/db/pending_segments_2)"))
                .as("a renamed file by the name it has").isTrue();
        assertThat(FileGlob.matches("pending_*", "/mnt/db/segments_2 (renamed from /mnt/db/pending_segments_2)")).isFalse();
        assertThat(FileGlob.matches("/mnt/db/*.log", "/mnt/db/0.log (renamed from /mnt/db/0.swap) (deleted)")).isTrue();
        assertThat(FileGlob.renamedFrom("/mnt/db/0.log (renamed from /mnt/db/0.swap) (deleted)")).isEqualTo("/mnt/db/0.swap");
        assertThat(FileGlob.renamedFrom("/mnt/db/0.log (deleted)")).isNull();
        assertThat(FileGlob.matches("(ext4 journal)", "(ext4 journal)")).as("a label as a whole").isTrue();
        assertThat(FileGlob.matches("(*journal)", "(xfs log)")).isFalse();
        assertThat(FileGlob.matches("*", "")).as("a request that names no file").isFalse();
        assertThat(FileGlob.matches("a.[ch]", "/x/a.[ch]")).as("brackets stand for themselves").isTrue();
    }

    @Test
    void theFilterSelectsRequestsOfAnyMatchingFile() {
        RequestFilter filter = new RequestFilter(Set.of(), Set.of(), Set.of(), 0, Long.MIN_VALUE, Long.MAX_VALUE,
                Set.of("*.sst", "wal.log"));

        assertThat(filter.test(read("/db/1.sst", 10))).isTrue();
        assertThat(filter.test(read("/db/wal.log", 10))).isTrue();
        assertThat(filter.test(read("/db/MANIFEST", 10))).isFalse();
        assertThat(RequestFilter.ALL.test(read("/db/MANIFEST", 10))).isTrue();
    }

    @Test
    void groupsRequestsByFileAndOperationMostRequestsFirst() {
        FileGroups groups = new FileGroups();
        groups.add(read("/db/a", 1_000));
        groups.add(read("/db/b", 2_000));
        groups.add(read("/db/b", 4_000));
        groups.add(Requests.read(0, 1).build());

        assertThat(groups.any()).isTrue();
        assertThat(groups.files()).isEqualTo(2);
        assertThat(groups.unnamed()).as("a request whose recording names no file").isEqualTo(1);
        List<FileGroups.Row> rows = groups.rows();
        assertThat(rows).extracting(FileGroups.Row::file).containsExactly("/db/b", "/db/a");
        assertThat(rows.get(0).requests()).isEqualTo(2);
        assertThat(rows.get(0).bytes()).isEqualTo(8192);
        assertThat(rows.get(0).latency().max()).isGreaterThanOrEqualTo(4_000);
        assertThat(rows.get(0).operation()).isEqualTo("read");
        groups.add(Requests.read(0, 8_000).file("/db/a", "file", 12, 0).build());
        assertThat(groups.totals()).as("per file, all operations").extracting(FileGroups.Row::file, FileGroups.Row::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/db/a", 2L), org.assertj.core.groups.Tuple.tuple("/db/b", 2L));
    }

    @Test
    void aTreeByFileHangsEachRequestsFramesBelowItsFile() {
        CallTree tree = new CallTree(false, false, true, true);
        tree.add(read("/db/a", 1_000));
        tree.add(read("/db/b", 2_000));
        tree.add(read("/db/b", 3_000));

        assertThat(tree.root().children()).extracting(CallTree.Node::frame).containsExactly("[file /db/b]", "[file /db/a]");
        CallTree.Node b = tree.root().child("[file /db/b]");
        assertThat(b.kind()).isEqualTo(CallTree.Kind.FILE);
        assertThat(b.requests()).isEqualTo(2);
        assertThat(b.child("java.lang.Thread.run")).as("the Java stack below the file").isNotNull();
        assertThat(new CallTree(false, false, true, false).root().children()).isEmpty();
    }

    @Test
    void foldedStacksByFileStartWithTheFile() {
        Folded folded = new Folded(Folded.Weight.COUNT, false, true);
        folded.add(read("/db/a;b", 1_000));

        assertThat(folded.lines()).isNotEmpty().allMatch(line -> line.startsWith("[file /db/a:b];"), "a ';' in a path is no frame boundary");
    }
}
