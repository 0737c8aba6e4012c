package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.files.PathText;
import io.blkflight.model.EventNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every request names the file it read or wrote, on the real kernel: {@link FileWaysWorkload} does each way a JVM
 * makes block I/O (read, pread, readv, mmap faults with readahead, sendfile, transferTo between files, write and
 * fsync, pwrite and fdatasync, writev, O_DIRECT, writeback by the kernel's flusher threads, hostile and deep
 * names, a file deleted while its O_DIRECT writes go on) on ext4 and on xfs over a loop device, cold (the
 * filesystem mounted again first), under the agent with scope=all on that device. filefrag is the oracle for
 * which file owns each block, debugfs and xfs_db for where the journal is: a request whose blocks belong to one
 * file must name exactly that file; one that merged bios of several (readahead, writeback) must name one of them,
 * the first in at least 99% of cases, and count the others; the journal's requests name the journal, and those of
 * blocks no file owns name the filesystem's metadata.
 */
class FilesIT {
    private static final Pattern EXTENT = Pattern.compile("\\((\\d+)(?:-(\\d+))?\\):(\\d+)(?:-(\\d+))?");
    private static final int SECTORS_PER_BLOCK = LoopDevice.BLOCK_SIZE / 512;

    @TempDir
    Path work;

    /** What each way's requests must show: its thread (comm), its file, the system calls it may be in. */
    private record Way(String comm, String file, Set<String> syscalls) {
    }

    private static final List<Way> WAYS = List.of(
            new Way("read", "read.bin", Set.of("read")),
            new Way("pread", "pread.bin", Set.of("pread64")),
            new Way("readv", "readv.bin", Set.of("readv")),
            new Way("mmap", "mmap.bin", Set.of("none")),
            new Way("sendfile", "sendfile.bin", Set.of("sendfile")),
            // JDK 17's transferTo between files is sendfile(2), later JDKs' copy_file_range(2) (xfs clones the
            // blocks instead and reads none); the copy's writeback is in the fsync.
            new Way("copy", FileWaysWorkload.COPY_TARGET, Set.of("fsync")),
            new Way("write", FileWaysWorkload.WRITE, Set.of("fsync")),
            new Way("pwrite", FileWaysWorkload.PWRITE, Set.of("fdatasync")),
            new Way("writev", FileWaysWorkload.WRITEV, Set.of("fsync")),
            new Way("direct", "direct.bin", Set.of("pread64", "pwrite64")),
            new Way("victim", "victim.bin", Set.of("pwrite64")));

    @ParameterizedTest(name = "{0} on JDK {1}")
    @CsvSource({"ext4, 25", "xfs, 17"})
    void everyRequestNamesItsFile(String filesystem, int jdk) throws Exception {
        Privileges.requireRoot();
        try (LoopDevice device = LoopDevice.create("files-" + filesystem, 320, filesystem)) {
            Path root = device.mountPoint();
            prepare(root);
            // victim.bin is deleted in the run and its blocks may go to a file made after it: its own map wins.
            Map<Long, String> victim = owners(device, root.resolve("victim.bin"));
            Set<Long> journal = filesystem.equals("xfs") ? xfsLog(device) : ext4Journal(device);
            device.remount();

            Path recording = work.resolve(filesystem + ".jfr");
            Commands.Result result = ChildJvm.of(jdk == 25 ? ChildJvm.JDK_25 : ChildJvm.JDK_17)
                    .withAgent("output=" + recording + ",scope=all,devices=" + device.name())
                    .run(FileWaysWorkload.class.getName(), root.toString());
            assertThat(result.exitCode()).as("the workload's exit code; stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).contains("ways done");
            assertThat(result.stderr()).as("the agent starts without a warning").doesNotContain("warning");
            Map<Long, String> owners = new HashMap<>();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    owners.putAll(owners(device, file));
                }
            }
            owners.putAll(victim);
            new Check(device, Recorded.read(recording), owners, journal).all();
            Matcher reused = Pattern.compile("reused inodes (\\d+) (\\d+)").matcher(result.stdout());
            assertThat(reused.find()).as("the workload printed the inodes of the reused file").isTrue();
            System.out.printf("files: %s: the deleted file's inode %s, the new file's %s%n", filesystem, reused.group(1),
                    reused.group(2));
        }
    }

    /** The files the ways read, in random bytes, synced; the hostile and deep names. */
    private static void prepare(Path root) throws IOException {
        Random random = new Random(42);
        List<String> files = new ArrayList<>(FileWaysWorkload.READ_FILES);
        files.addAll(FileWaysWorkload.HOSTILE);
        for (String name : files) {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            byte[] content = new byte[(name.startsWith("hostile") || name.startsWith("deep") ? 16 : FileWaysWorkload.READ_BLOCKS)
                    * LoopDevice.BLOCK_SIZE];
            random.nextBytes(content);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
        }
    }

    /** Block -> the file that owns it (its path below the mount point, as the JVM writes it). */
    private static Map<Long, String> owners(LoopDevice device, Path file) throws IOException, InterruptedException {
        Map<Long, String> owners = new HashMap<>();
        String name = device.mountPoint() + "/" + device.mountPoint().relativize(file);
        for (long block : device.physicalBlocks(file).values()) {
            owners.put(block, name);
        }
        return owners;
    }

    /** The blocks of ext4's journal (inode 8), from debugfs. */
    private static Set<Long> ext4Journal(LoopDevice device) throws IOException, InterruptedException {
        Set<Long> blocks = new HashSet<>();
        Matcher m = EXTENT.matcher(Commands.run("debugfs", "-R", "stat <8>", device.path()));
        while (m.find()) {
            long first = Long.parseLong(m.group(3));
            long last = m.group(4) == null ? first : Long.parseLong(m.group(4));
            for (long b = first; b <= last; b++) {
                blocks.add(b);
            }
        }
        assertThat(blocks).as("debugfs shows the journal's blocks").hasSizeGreaterThan(100);
        return blocks;
    }

    /** The blocks of xfs's internal log, from xfs_db (its start converted from an AG-relative block). */
    private static Set<Long> xfsLog(LoopDevice device) throws IOException, InterruptedException {
        Map<String, Long> sb = new HashMap<>();
        for (String line : Commands.run("xfs_db", "-r", "-c", "sb 0", "-c", "p logstart logblocks agblocks agblklog",
                device.path()).split("\n")) {
            String[] parts = line.split(" = ");
            if (parts.length == 2) {
                sb.put(parts[0].trim(), Long.parseLong(parts[1].trim()));
            }
        }
        long agno = sb.get("logstart") >> sb.get("agblklog");
        long agbno = sb.get("logstart") & ((1L << sb.get("agblklog")) - 1);
        long first = agno * sb.get("agblocks") + agbno;
        Set<Long> blocks = new HashSet<>();
        for (long b = first; b < first + sb.get("logblocks"); b++) {
            blocks.add(b);
        }
        return blocks;
    }

    /** The checks of one run. */
    private static final class Check {
        private final LoopDevice device;
        private final Recorded recorded;
        private final Map<Long, String> owners;
        private final Set<Long> journal;
        private final String journalLabel;
        private final String metadataLabel;

        Check(LoopDevice device, Recorded recorded, Map<Long, String> owners, Set<Long> journal) {
            this.device = device;
            this.recorded = recorded;
            this.owners = owners;
            this.journal = journal;
            boolean xfs = device.filesystem().equals("xfs");
            this.journalLabel = xfs ? "(xfs log)" : "(ext4 journal)";
            this.metadataLabel = xfs ? "(xfs metadata)" : "(ext4 metadata)";
        }

        void all() {
            List<Recorded.Request> requests = recorded.requests.stream()
                    .filter(r -> r.getString("device").equals(device.name())).collect(Collectors.toList());
            assertThat(requests).as("requests on %s", device.name()).isNotEmpty();
            assertThat(requests).as("every request names what it read or wrote").allMatch(r -> !r.file().isEmpty());
            dataRequests(requests);
            everyWay(requests);
            writeback(requests);
            journalAndMetadata(requests);
            hostileNames(requests);
            deletedWhileWritten(requests);
            inodeReused(requests);
            RecordedEvent last = recorded.lastStatistics();
            assertThat(last.getLong("filePathsLost")).as("file paths lost").isZero();
            assertThat(last.getLong("filesUnnamed")).as("requests recorded without their file's path").isZero();
            assertThat(last.getLong("filePathsSent")).as("file paths sent").isPositive();
        }

        private List<Long> blocks(Recorded.Request request) {
            List<Long> blocks = new ArrayList<>();
            long first = request.getLong("sector") / SECTORS_PER_BLOCK;
            long last = (request.getLong("sector") + request.getLong("bytes") / 512 - 1) / SECTORS_PER_BLOCK;
            for (long b = first; b <= last; b++) {
                blocks.add(b);
            }
            return blocks;
        }

        private static String path(Recorded.Request request) {
            return io.blkflight.model.FileGlob.withoutState(request.file());
        }

        /** How the JVM names a file of the test, escaped (and for the deep one, truncated to the walk's 32 components). */
        private String expectedName(String owner) {
            String relative = owner.substring(device.mountPoint().toString().length() + 1);
            if (relative.startsWith("deep/")) {
                String[] parts = relative.split("/");
                return device.mountPoint() + "/\u2026/" + String.join("/", List.of(parts).subList(parts.length - 32, parts.length));
            }
            return PathText.escape((device.mountPoint() + "/" + relative).getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A request whose blocks belong to one file names exactly that file; one whose blocks belong to several
         * names one of them, the owner of its first block in at least 99% of cases, and counts the others.
         */
        private void dataRequests(List<Recorded.Request> requests) {
            int single = 0;
            int spanning = 0;
            int spanningFirst = 0;
            List<String> wrong = new ArrayList<>();
            for (Recorded.Request request : requests) {
                List<Long> blocks = blocks(request);
                Set<String> fileOwners = blocks.stream().map(owners::get).filter(o -> o != null).collect(Collectors.toCollection(LinkedHashSet::new));
                // The first of the reused files is gone, and its blocks may be the second's: inodeReused checks them.
                if (fileOwners.isEmpty() || request.getLong("bytes") == 0 || request.getString("comm").equals("reuse")) {
                    continue;
                }
                Set<String> expected = fileOwners.stream().map(this::expectedName).collect(Collectors.toSet());
                if (fileOwners.size() == 1 && blocks.stream().allMatch(owners::containsKey)) {
                    single++;
                    if (!expected.contains(path(request))) {
                        wrong.add(Recorded.describe(request) + " owned by " + expected);
                    }
                } else {
                    spanning++;
                    assertThat(expected).as("a request over blocks of several files names one of them: %s", Recorded.describe(request))
                            .contains(path(request));
                    if (expectedName(owners.get(blocks.get(0))).equals(path(request))) {
                        spanningFirst++;
                    }
                    // Each file's data is in bios of its own: a request over several merged them, and counts the others.
                    assertThat(request.getInt(EventNames.Request.OTHER_FILES))
                            .as("a request over blocks of %s (and maybe metadata) counts the other files: %s", fileOwners,
                                    Recorded.describe(request))
                            .isPositive();
                }
            }
            System.out.printf("files: %s: %d requests of one file's blocks, %d over several (%d naming the first block's owner)%n",
                    device.filesystem(), single, spanning, spanningFirst);
            assertThat(wrong).as("requests over one file's blocks that named another (%d of %d)", wrong.size(), single).isEmpty();
            assertThat(single).as("requests over one file's blocks").isGreaterThan(250);
            assertThat(spanningFirst).as("requests over several files' blocks naming the first block's owner")
                    .isGreaterThanOrEqualTo((int) Math.ceil(spanning * 0.99));
        }

        /** Each way made requests, in its own thread and system call, naming its file. */
        private void everyWay(List<Recorded.Request> requests) {
            for (Way way : WAYS) {
                String file = expectedName(device.mountPoint() + "/" + way.file());
                List<Recorded.Request> mine = requests.stream().filter(r -> r.getString("comm").equals(way.comm())
                        && r.getLong("bytes") > 0).collect(Collectors.toList());
                assertThat(mine).as("%s: requests of the way %s", device.filesystem(), way.comm()).isNotEmpty();
                assertThat(mine.stream().filter(r -> path(r).equals(file) && way.syscalls().contains(r.getString("syscall"))))
                        .as("%s: requests of the way %s naming %s in %s; they were:%s", device.filesystem(), way.comm(), file,
                                way.syscalls(), mine.stream().map(Recorded::describe).collect(Collectors.joining("\n  ", "\n  ", "")))
                        .isNotEmpty();
                if (way.comm().equals("direct")) {
                    assertThat(mine).as("%s: every O_DIRECT request names direct.bin", device.filesystem())
                            .allMatch(r -> path(r).equals(file));
                }
            }
        }

        /** sync(2)'s writeback, by the kernel's flusher threads: flushed.bin and the small files, named. */
        private void writeback(List<Recorded.Request> requests) {
            List<Recorded.Request> flushed = requests.stream().filter(r -> r.getString("comm").startsWith("kworker")
                    && r.getString("operation").equals("write") && r.file().startsWith(device.mountPoint().toString()))
                    .collect(Collectors.toList());
            assertThat(flushed.stream().map(Check::path)).as("%s: the flusher threads' writeback names its files", device.filesystem())
                    .contains(device.mountPoint() + "/" + FileWaysWorkload.FLUSHED)
                    .anyMatch(p -> p.startsWith(device.mountPoint() + "/" + FileWaysWorkload.SMALL + "/f"));
            long merged = flushed.stream().filter(r -> r.getInt(EventNames.Request.OTHER_FILES) > 0).count();
            System.out.printf("files: %s: %d writeback requests of the flusher threads, %d of them merged bios of other files%n",
                    device.filesystem(), flushed.size(), merged);
        }

        /** The journal's requests name the journal; those of blocks no file owns, the metadata. */
        private void journalAndMetadata(List<Recorded.Request> requests) {
            int journalRequests = 0;
            int metadataRequests = 0;
            for (Recorded.Request request : requests) {
                List<Long> blocks = blocks(request);
                if (request.getLong("bytes") == 0 || !List.of("read", "write").contains(request.getString("operation"))) {
                    assertThat(request.file()).as("a request without data: %s", Recorded.describe(request)).isEqualTo("(no data)");
                    continue;
                }
                if (journal.containsAll(blocks)) {
                    journalRequests++;
                    assertThat(request.file()).as("a request in the journal: %s", Recorded.describe(request)).isEqualTo(journalLabel);
                } else if (blocks.stream().noneMatch(owners::containsKey) && blocks.stream().noneMatch(journal::contains)
                        && !request.file().equals(device.mountPoint() + "/" + FileWaysWorkload.REUSED_FIRST)) {
                    // (The first of the reused files was deleted: its blocks are owned by no file at the end.)
                    metadataRequests++;
                    assertThat(request.file()).as("a request of blocks no file owns: %s", Recorded.describe(request))
                            .isEqualTo(metadataLabel);
                }
            }
            System.out.printf("files: %s: %d requests in the journal, %d of metadata%n", device.filesystem(), journalRequests,
                    metadataRequests);
            assertThat(journalRequests).as("%s: requests in the journal", device.filesystem()).isPositive();
            assertThat(metadataRequests).as("%s: requests of metadata", device.filesystem()).isPositive();
        }

        /** A newline and a terminal sequence escaped, the longest name whole, a deep path cut at its root, never wrong. */
        private void hostileNames(List<Recorded.Request> requests) {
            String mount = device.mountPoint().toString();
            // Its lookups read directories too (the filesystem's metadata); its data requests are the files'.
            Set<String> named = requests.stream().filter(r -> r.getString("comm").equals("hostile") && r.getLong("bytes") > 0)
                    .map(Recorded.Request::file).filter(f -> f.startsWith(mount)).collect(Collectors.toSet());
            assertThat(named).as("%s: the hostile files' requests", device.filesystem()).containsExactlyInAnyOrder(
                    mount + "/hostile/evil\\x0aname\\x1b[31m",
                    mount + "/hostile/" + FileWaysWorkload.LONG_NAME,
                    expectedName(mount + "/" + FileWaysWorkload.deepPath()) + " (truncated)");
        }

        /**
         * A file deleted and another made in its place (its inode number, maybe its struct inode too): the requests
         * before the deletion name the first, those after it the second.
         */
        private void inodeReused(List<Recorded.Request> requests) {
            RecordedEvent delete = recorded.calls.stream().filter(c -> c.getString("operation").equals("delete")).findFirst()
                    .orElseThrow(() -> new AssertionError("the workload recorded no delete"));
            String first = device.mountPoint() + "/" + FileWaysWorkload.REUSED_FIRST;
            String second = device.mountPoint() + "/" + FileWaysWorkload.REUSED_SECOND;
            List<Recorded.Request> data = requests.stream().filter(r -> r.getString("comm").equals("reuse") && r.getLong("bytes") > 0
                    && r.file().startsWith(device.mountPoint().toString())).collect(Collectors.toList());
            assertThat(data.stream().filter(r -> !r.getEndTime().isAfter(delete.getStartTime())))
                    .as("%s: requests of the first file, before its deletion", device.filesystem()).isNotEmpty()
                    .allMatch(r -> r.file().equals(first), "named " + first);
            assertThat(data.stream().filter(r -> !r.getStartTime().isBefore(delete.getEndTime())))
                    .as("%s: requests of the file made after it", device.filesystem()).hasSizeGreaterThanOrEqualTo(4)
                    .allMatch(r -> r.file().equals(second), "named " + second);
        }

        /** O_DIRECT writes to victim.bin before it was unlinked name it; those after say it is deleted. */
        private void deletedWhileWritten(List<Recorded.Request> requests) {
            RecordedEvent unlink = recorded.calls.stream().filter(c -> c.getString("operation").equals("unlink")).findFirst()
                    .orElseThrow(() -> new AssertionError("the workload recorded no unlink"));
            Instant start = unlink.getStartTime();
            Instant end = unlink.getEndTime();
            String name = device.mountPoint() + "/victim.bin";
            List<Recorded.Request> victim = requests.stream().filter(r -> r.getString("comm").equals("victim")).collect(Collectors.toList());
            List<Recorded.Request> before = victim.stream().filter(r -> !r.getEndTime().isAfter(start)).collect(Collectors.toList());
            List<Recorded.Request> after = victim.stream().filter(r -> !r.getStartTime().isBefore(end)).collect(Collectors.toList());
            assertThat(before).as("%s: writes before the unlink", device.filesystem()).hasSizeGreaterThanOrEqualTo(FileWaysWorkload.VICTIM_BEFORE)
                    .allMatch(r -> r.file().equals(name), "named " + name);
            assertThat(after).as("%s: writes after the unlink", device.filesystem()).hasSizeGreaterThanOrEqualTo(FileWaysWorkload.VICTIM_BEFORE)
                    .allMatch(r -> r.file().equals(name + " (deleted)"), "named " + name + " (deleted)");
        }
    }
}
