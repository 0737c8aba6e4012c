package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files renamed while in use say so at once, on the real kernel: {@link RenameWorkload} renames open files in the
 * same directory and to another one while it reads them through the page cache (cold), writes them with fsync,
 * reads and writes them with O_DIRECT, has mv(1) rename one, makes a hard link to one and then removes its first
 * name (it keeps its name until then, and is said renamed to the other after), renames the directory of an open file
 * and then moves that directory elsewhere, renames one file over another while both are open,
 * and renames eight files thousands of times a second while reading each under every name. Every request before a
 * rename names the old path; every request after it (from the very next one, not 10 s later) the new path,
 * "(renamed from OLD)"; the file renamed over keeps its own name, deleted; the storm loses no request, and a
 * request whose file's new path was lost (counted) is named by its inode, never by an old name. On ext4 with the
 * compact format (the blkflight.File's path and renamedFrom) and on xfs with the full one (the request's file).
 */
class RenamesIT {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} on JDK {1}, format {2}")
    @CsvSource({"ext4, 25, compact", "xfs, 17, full"})
    void renamedFilesSaySoFromTheirNextRequest(String filesystem, int jdk, String format) throws Exception {
        Privileges.requireRoot();
        try (LoopDevice device = LoopDevice.create("renames-" + filesystem, 320, filesystem)) {
            Path root = device.mountPoint();
            prepare(root);
            Map<Long, String> owners = new HashMap<>();
            for (String file : List.of(RenameWorkload.OVER_A, RenameWorkload.OVER_B)) {
                device.physicalBlocks(root.resolve(file)).values().forEach(block -> owners.put(block, file));
            }
            Map<Long, long[]> storm = new HashMap<>();
            for (int i = 0; i < RenameWorkload.STORM_FILES; i++) {
                int file = i;
                device.physicalBlocks(root.resolve(RenameWorkload.stormName(i, 0)))
                        .forEach((logical, physical) -> storm.put(physical, new long[] {file, logical}));
            }
            device.remount();

            Path recording = work.resolve(filesystem + ".jfr");
            Commands.Result result = ChildJvm.of(jdk == 25 ? ChildJvm.JDK_25 : ChildJvm.JDK_17)
                    .withAgent("output=" + recording + ",scope=all,devices=" + device.name() + ",format=" + format)
                    .run(RenameWorkload.class.getName(), root.toString());
            assertThat(result.exitCode()).as("the workload's exit code; stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).contains("renames done");
            assertThat(result.stderr()).as("the agent starts without a warning").doesNotContain("warning");
            Recorded recorded = Recorded.read(recording);
            List<Recorded.Request> requests = recorded.requests.stream()
                    .filter(r -> r.getString("device").equals(device.name())).collect(Collectors.toList());
            Check check = new Check(device, recorded, requests);
            check.way("rn-read", RenameWorkload.READ);
            check.way("rn-write", RenameWorkload.WRITE);
            check.way("rn-direct", RenameWorkload.DIRECT);
            check.way("rn-mv", RenameWorkload.MV);
            // A second name made keeps the one it was walked by; the first removed, the other one is its name now.
            String mount = root.toString();
            check.way("rn-link", RenameWorkload.LINK, List.of(mount + "/" + RenameWorkload.LINK, mount + "/" + RenameWorkload.LINK,
                    mount + "/" + RenameWorkload.LINK_OTHER + " (renamed from " + mount + "/" + RenameWorkload.LINK + ")"));
            // The directory the file is in renamed, then moved elsewhere: the file's path changes with no rename of
            // its own, seen at its next request.
            check.way("rn-dir", RenameWorkload.IN_DIR);
            check.renamedOver(owners);
            check.storm(storm, result.stdout());
            System.out.printf("renames: %s: %s%n", filesystem, result.stdout().lines()
                    .filter(l -> l.startsWith("storm:")).findFirst().orElse(""));
        }
    }

    private static void prepare(Path root) throws IOException {
        Random random = new Random(7);
        Files.createDirectories(root.resolve(RenameWorkload.SUBDIR));
        Files.createDirectories(root.resolve(RenameWorkload.IN_DIR).getParent());
        for (String name : RenameWorkload.PREPARED) {
            write(root.resolve(name), RenameWorkload.BLOCKS, random);
        }
        for (int i = 0; i < RenameWorkload.STORM_FILES; i++) {
            write(root.resolve(RenameWorkload.stormName(i, 0)), RenameWorkload.STORM_BLOCKS, random);
        }
    }

    private static void write(Path file, int blocks, Random random) throws IOException {
        byte[] content = new byte[blocks * LoopDevice.BLOCK_SIZE];
        random.nextBytes(content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(content));
            channel.force(true);
        }
    }

    private static final class Check {
        private final LoopDevice device;
        private final Recorded recorded;
        private final List<Recorded.Request> requests;
        private final String mount;

        Check(LoopDevice device, Recorded recorded, List<Recorded.Request> requests) {
            this.device = device;
            this.recorded = recorded;
            this.requests = requests;
            this.mount = device.mountPoint().toString();
        }

        /** The data requests of a way's thread: those that name a file below the mount point. */
        private List<Recorded.Request> of(String comm) {
            return requests.stream().filter(r -> r.getString("comm").equals(comm) && r.file().startsWith(mount + "/"))
                    .collect(Collectors.toList());
        }

        /** The way's renames, in order. */
        private List<RecordedEvent> renames(String way) {
            return recorded.calls.stream().filter(c -> c.getString("operation").equals("rename")
                    && c.getString("file").startsWith(way + ":")).collect(Collectors.toList());
        }

        /**
         * Each step's requests (between two renames) name the step's path; after the first they say which path the
         * file had before. No request of the way's thread overlaps a rename: it does its I/O and renames in turn.
         */
        void way(String way, String file) {
            List<String> names = RenameWorkload.names(file);
            List<String> expected = new ArrayList<>();
            for (int step = 0; step < names.size(); step++) {
                expected.add(mount + "/" + names.get(step)
                        + (step == 0 ? "" : " (renamed from " + mount + "/" + names.get(step - 1) + ")"));
            }
            way(way, file, expected);
        }

        /** The same with the names each step's requests must carry. */
        void way(String way, String file, List<String> expectedNames) {
            List<String> names = RenameWorkload.names(file);
            List<RecordedEvent> renames = renames(way);
            assertThat(renames).as("%s: the workload's renames", way).hasSize(names.size() - 1);
            List<Recorded.Request> data = of(way);
            for (int step = 0; step < names.size(); step++) {
                Instant from = step == 0 ? Instant.MIN : renames.get(step - 1).getEndTime();
                Instant to = step == names.size() - 1 ? Instant.MAX : renames.get(step).getStartTime();
                List<Recorded.Request> inStep = data.stream()
                        .filter(r -> !r.getStartTime().isBefore(from) && !r.getEndTime().isAfter(to)).collect(Collectors.toList());
                String expected = expectedNames.get(step);
                assertThat(inStep).as("%s on %s: requests of step %d (%s)%s", way, device.filesystem(), step, expected,
                        describe(data)).isNotEmpty().allMatch(r -> r.file().equals(expected), "named " + expected);
                String previous = io.blkflight.model.FileGlob.renamedFrom(expected);
                assertThat(inStep.get(0).fileRenamedFrom()).as("the blkflight.File's renamedFrom (or the full file's)")
                        .isEqualTo(previous == null ? "" : previous);
            }
            for (RecordedEvent rename : renames) {
                assertThat(data).as("%s: no request of the thread overlaps its rename", way)
                        .noneMatch(r -> r.getEndTime().isAfter(rename.getStartTime()) && r.getStartTime().isBefore(rename.getEndTime()));
            }
        }

        /** over-a.bin renamed over over-b.bin: A takes B's name, said renamed; B, still written, is deleted under its own name. */
        void renamedOver(Map<Long, String> owners) {
            RecordedEvent rename = renames("rn-over").get(0);
            List<Recorded.Request> data = of("rn-over");
            String a = mount + "/" + RenameWorkload.OVER_A;
            String b = mount + "/" + RenameWorkload.OVER_B;
            Map<String, List<String>> before = new HashMap<>();
            Map<String, List<String>> after = new HashMap<>();
            for (Recorded.Request request : data) {
                String owner = owners.get(request.getLong("sector") / (LoopDevice.BLOCK_SIZE / 512));
                assertThat(owner).as("the owner of the block of %s", Recorded.describe(request)).isNotNull();
                Map<String, List<String>> side = !request.getEndTime().isAfter(rename.getStartTime()) ? before
                        : !request.getStartTime().isBefore(rename.getEndTime()) ? after : null;
                assertThat(side).as("a request overlapping the rename: %s", Recorded.describe(request)).isNotNull();
                side.computeIfAbsent(owner, o -> new ArrayList<>()).add(request.file());
            }
            assertThat(before.get(RenameWorkload.OVER_A)).as("A before").isNotEmpty().containsOnly(a);
            assertThat(before.get(RenameWorkload.OVER_B)).as("B before").isNotEmpty().containsOnly(b);
            assertThat(after.get(RenameWorkload.OVER_A)).as("A after it was renamed over B").isNotEmpty()
                    .containsOnly(b + " (renamed from " + a + ")");
            assertThat(after.get(RenameWorkload.OVER_B)).as("B after A took its name: its own name, deleted").isNotEmpty()
                    .containsOnly(b + " (deleted)");
        }

        /**
         * Every read of the storm recorded, and named by the name its file had then, said renamed from the one
         * before; a request whose new path was lost is named by its inode (counted), never by an old name.
         */
        void storm(Map<Long, long[]> blocks, String stdout) {
            Matcher m = Pattern.compile("storm: (\\d+) reads, (\\d+) renames in ([\\d.]+) s \\((\\d+) renames/s\\)").matcher(stdout);
            assertThat(m.find()).as("the storm's numbers in %s", stdout).isTrue();
            long reads = Long.parseLong(m.group(1));
            long perSecond = Long.parseLong(m.group(4));
            List<Recorded.Request> storm = requests.stream().filter(r -> r.getString("comm").equals("rn-storm")
                    && blocks.containsKey(r.getLong("sector") / (LoopDevice.BLOCK_SIZE / 512))).collect(Collectors.toList());
            assertThat(storm).as("every read of the storm recorded once").hasSize((int) reads);
            long unnamed = 0;
            List<String> wrong = new ArrayList<>();
            for (Recorded.Request request : storm) {
                long[] block = blocks.get(request.getLong("sector") / (LoopDevice.BLOCK_SIZE / 512));
                int file = (int) block[0];
                int round = (int) block[1];
                String expected = mount + "/" + RenameWorkload.stormName(file, round) + (round == 0 ? ""
                        : " (renamed from " + mount + "/" + RenameWorkload.stormName(file, round - 1) + ")");
                if (request.file().endsWith(", path not known)")) {
                    unnamed++;
                } else if (!request.file().equals(expected)) {
                    wrong.add(expected + " <- " + Recorded.describe(request));
                }
            }
            wrong.forEach(line -> System.out.println("renames: storm request named otherwise: " + line));
            // Once in CI (1 of 16,384 reads on xfs) a read was named by its file's name three renames later: its
            // completion was unseen (6.18 sometimes fires block_rq_complete without the program), so its record went
            // out when its request's address started another, after the file's later walks. Each request now names
            // the walk its file was named by at its start (fileSeq), so even such a record is named as then.
            assertThat(wrong).as("storm requests named otherwise than by their file's name then").isEmpty();
            RecordedEvent last = recorded.lastStatistics();
            assertThat(unnamed).as("storm requests named by inode: at most the paths lost")
                    .isLessThanOrEqualTo(last.getLong("filePathsLost")).isLessThanOrEqualTo(last.getLong("filesUnnamed"));
            for (String lost : List.of("lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull", "lostExpired")) {
                assertThat(last.getLong(lost)).as(lost).isZero();
            }
            assertThat(perSecond).as("renames a second in the storm").isGreaterThanOrEqualTo(1000);
            long renames = Long.parseLong(m.group(2));
            assertThat(last.getLong("filesRenamed")).as("files found renamed, counted (the storm's %d renames)", renames)
                    .isGreaterThanOrEqualTo(renames * 9 / 10);
            System.out.printf("renames: storm on %s: %d requests, %d named by inode, %d paths lost, %d paths sent, %d ends unseen%n",
                    device.filesystem(), storm.size(), unnamed, last.getLong("filePathsLost"), last.getLong("filePathsSent"),
                    last.getLong("endUnseen"));
        }

        private static String describe(List<Recorded.Request> data) {
            return data.stream().map(Recorded::describe).collect(Collectors.joining("\n  ", "\n  ", "\n"));
        }
    }
}
