package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.decode.RecordBuilder;
import io.blkflight.resolve.Devices;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.testing.SyntheticRecording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    private static final int PID = 777;

    @TempDir
    Path directory;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    /** A device number no machine has, so the report shows it as a number. */
    private static final int DISK = Devices.dev(250, 99);

    private Path recordingOfThreeRequests() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        JavaThreads threads = new JavaThreads(() -> "");
        CountDownLatch written = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                written.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reader-1");
        reader.start();
        threads.threadStarted(reader, PID + 1, t - 1_000);
        RecordBuilder records = new RecordBuilder()
                .begin().request(1, 1).times(t, t + 1_000, 0, t + 2_000, t + 102_000).where(DISK, 8, 4096, 0, 1)
                .issuer(PID, PID + 1, "reader-1", 17, t).end()
                .begin().request(2, 1).times(t + 10, t + 1_010, 0, t + 2_010, t + 3_002_010).where(DISK, 16, 8192, 0, 1)
                .issuer(PID, PID + 1, "reader-1", 17, t).end()
                .begin().request(3, 1).times(t + 20, t + 20, t + 30, t + 40, t + 1_000_020).where(DISK, 64, 65536, 1, 0)
                .issuer(PID, 99, "kworker/u8:1", -1, 0).end();
        Path file = directory.resolve("three.jfr");
        try {
            SyntheticRecording.write(file, records, threads, PID);
        } finally {
            written.countDown();
        }
        return file;
    }

    @Test
    void summarisesRequestsByDeviceThreadAndSystemCall() throws Exception {
        CommandRun run = run("summary", recordingOfThreeRequests().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("3 requests over .*: 12.0 KiB read, 64.0 KiB written\n")
                .containsPattern("250:99 read +2 +12.0 KiB +102.0 us +3.00 ms +3.00 ms")
                .containsPattern("250:99 write +1 +64.0 KiB +1.00 ms")
                .containsPattern("reader-1 +2 ")
                .containsPattern("\\(kworker/u8:1, not a Java thread\\) +1 ")
                .containsPattern("pread64 +2 ")
                .containsPattern("none +1 ");
    }

    @Test
    void pageFaultsAreLinkedByTheirFaultStacksAndTheHeaderSaysSo() throws Exception {
        // Two threads' cold scans of mapped files, recorded with faultStacks=20000/s (see the JMC plugin's Fixtures).
        Path recording = Path.of("src/test/resources/recordings/fault-stacks.jfr");
        CommandRun summary = run("summary", recording.toString());
        CommandRun report = run("report", "--requests", "1", "--order", "first", "--thread", "scanner-a", recording.toString());

        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out())
                .contains("  fault stacks: 20000/s on signal 63; 65 Java stacks of faults and calls taken\n")
                .contains("linked to a Java stack: 65 of 65 requests issued by Java threads (100.0%: file event 0,"
                        + " fault stack 65, native method sample 0, execution sample 0)");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).as("the tree: the access that faulted, then the kernel's fault path")
                .containsPattern("io.blkflight.it.MappedScanWorkload.scanA\n.*java.nio.DirectByteBuffer.get\n"
                        + "(.*\n)*.*asm_exc_page_fault\n");
    }

    @Test
    void requestsWithoutTheirJavaThreadAreInTheLossesLineWithTheirCause() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        RecordBuilder records = new RecordBuilder()
                .begin().request(1, 1).times(t, t + 1_000, 0, t + 2_000, t + 102_000).where(DISK, 8, 4096, 0, 1)
                .issuer(PID, PID + 5, "my-writer", 18, t).end();
        Path file = directory.resolve("unresolved.jfr");
        io.blkflight.events.CollectorStatisticsEvent statistics = new io.blkflight.events.CollectorStatisticsEvent();
        jdk.jfr.FlightRecorder.register(io.blkflight.events.CollectorStatisticsEvent.class);
        SyntheticRecording.write(io.blkflight.resolve.RequestEventWriter.Format.COMPACT, file, records.buffer(),
                records.length(), new JavaThreads(() -> ""), new io.blkflight.resolve.KernelStacks((id, into) -> 0), PID,
                new String[0], () -> {
                    statistics.requestsEmitted = 1;
                    statistics.requestsRecorded = 1;
                    statistics.unresolvedThreads = 1;
                    statistics.commit();
                });

        CommandRun run = run("summary", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("  losses: none; recorded with incomplete attribution: 1 without their Java thread"
                + " (it ended before it was named, or is not a Java thread)");
    }

    @Test
    void aMissingFileIsNamed() {
        CommandRun run = run("summary", directory.resolve("nope.jfr").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("blkflight: " + directory.resolve("nope.jfr") + " does not exist\n");
    }

    @Test
    void anEmptyOrForeignFileIsNotARecording() throws Exception {
        Path empty = Files.createFile(directory.resolve("empty.jfr"));
        Path text = Files.writeString(directory.resolve("notes.jfr"), "FLR is how it starts, but not like this");

        assertThat(run("summary", empty.toString()).err()).contains("is empty: not a JFR recording");
        assertThat(run("summary", text.toString()).err()).contains("is not a JFR recording");
    }

    @Test
    void aTruncatedRecordingSaysSo() throws Exception {
        byte[] whole = Files.readAllBytes(recordingOfThreeRequests());
        Path cut = Files.write(directory.resolve("cut.jfr"), java.util.Arrays.copyOf(whole, whole.length / 2));

        CommandRun run = run("summary", cut.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is truncated").doesNotContain("\tat ");
    }

    /** The recording as the JVM leaves its chunk when killed: its flush generation in the file state, bytes after the flush. */
    private static Path unfinished(Path finished, Path target) throws Exception {
        byte[] bytes = Files.readAllBytes(finished);
        bytes[64] = 5;
        Files.write(target, bytes);
        Files.write(target, new byte[] {3, 1, 4, 1, 5, 9, 2, 6}, java.nio.file.StandardOpenOption.APPEND);
        return target;
    }

    @Test
    void aRecordingEndingInAnUnfinishedChunkIsReadUpToItsLastFlushAndSaysItIsPartial() throws Exception {
        Path killed = unfinished(recordingOfThreeRequests(), directory.resolve("killed.jfr"));

        CommandRun summary = run("summary", killed.toString());

        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out()).containsPattern("blkflight summary of .*killed.jfr\n"
                        + "  partial: the JVM stopped without finishing its recording; events up to 20\\d\\d-\\d\\d-\\d\\dT[0-9:.]+Z\n")
                .containsPattern("3 requests over .*: 12.0 KiB read, 64.0 KiB written\n");
        assertThat(run("report", killed.toString()).out()).contains("  partial: the JVM stopped without finishing its recording")
                .contains("selected 3 of 3 requests");
        CommandRun folded = run("report", "--folded", killed.toString());
        assertThat(folded.exitCode()).isZero();
        assertThat(folded.out()).doesNotContain("partial");
        assertThat(folded.err()).startsWith("blkflight: partial: the JVM stopped without finishing its recording; events up to ");
    }

    @Test
    void aRepositoryFolderIsReadAsARecording() throws Exception {
        Path folder = directory.resolve("app.jfr.repository");
        Path repository = Files.createDirectories(folder.resolve("2026_12_06_03_54_54_4242"));
        unfinished(recordingOfThreeRequests(), repository.resolve("2026_12_06_03_54_54.jfr"));
        Files.createFile(repository.resolve("2026_12_06_03_54_55.jfr"));

        for (Path named : java.util.List.of(repository, folder)) {
            CommandRun run = run("summary", named.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("blkflight summary of " + repository + "\n  partial: ")
                    .contains("3 requests over ");
        }
    }

    @Test
    void aLiveRecordingsChunkCopiedAfterAFlushIsRead() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        RecordBuilder records = new RecordBuilder();
        for (int i = 0; i < 50; i++) {
            records.begin().request(i + 1, 1).times(t + i, t + i + 1_000, 0, t + i + 2_000, t + i + 102_000)
                    .where(DISK, 8 * i, 4096, 0, 1).issuer(PID, 99, "kworker/u8:1", -1, 0).end();
        }
        Path copy = directory.resolve("live-copy.jfr");
        String[] summary = {""};
        SyntheticRecording.write(io.blkflight.resolve.RequestEventWriter.Format.COMPACT, directory.resolve("done.jfr"),
                records.buffer(), records.length(), new JavaThreads(() -> ""), new io.blkflight.resolve.KernelStacks((id, into) -> 0),
                PID, new String[0], () -> {
                    // JFR flushes a disk recording's chunk every second: copy the chunk being written until a copy holds them all.
                    Path repository = Path.of(System.getProperty("jdk.jfr.repository"));
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (!summary[0].contains("50 requests") && System.nanoTime() < deadline) {
                        try {
                            Thread.sleep(200);
                            try (java.util.stream.Stream<Path> chunks = Files.list(repository)) {
                                Path current = chunks.filter(f -> f.toString().endsWith(".jfr"))
                                        .max(java.util.Comparator.comparing(ReportCommandTest::modified)).orElseThrow();
                                Files.copy(current, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            }
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        summary[0] = run("summary", copy.toString()).out();
                    }
                });

        assertThat(summary[0]).contains("  partial: the JVM stopped without finishing its recording; events up to ")
                .contains("50 requests over ");
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    @Test
    void theEmptyFileOfAKilledAgentPointsToItsRepository() throws Exception {
        Path output = Files.createFile(directory.resolve("app.jfr"));
        Files.createDirectories(directory.resolve("app.jfr.repository"));

        CommandRun run = run("summary", output.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("blkflight: " + output + " is empty: not a JFR recording (a JVM killed while recording"
                + " writes no file: what it recorded is in " + directory.resolve("app.jfr.repository") + ", read that)\n");
    }

    /**
     * Faults and calls that got no fault stack by the budget or the JVM's refusal are said on the fault stacks line
     * (their requests may still be linked by file events); stacks lost on the way are losses.
     */
    @Test
    void faultStacksNotTakenAreSaidApartFromLosses() throws Exception {
        Path file = directory.resolve("fault-stack-counts.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(io.blkflight.model.EventNames.COLLECTOR_CONFIGURATION);
            recording.enable(io.blkflight.model.EventNames.COLLECTOR_STATISTICS);
            recording.start();
            io.blkflight.events.CollectorConfigurationEvent configuration = new io.blkflight.events.CollectorConfigurationEvent();
            configuration.state = "running";
            configuration.faultStacks = "2000/s on signal 63";
            configuration.commit();
            io.blkflight.events.CollectorStatisticsEvent statistics = new io.blkflight.events.CollectorStatisticsEvent();
            statistics.faultStacks = 1_156;
            statistics.faultStacksOverBudget = 1_842;
            statistics.faultStacksUnwalkable = 11;
            statistics.faultStacksDropped = 2;
            statistics.commit();
            recording.stop();
            recording.dump(file);
        }

        CommandRun run = run("summary", file.toString());

        assertThat(run.out()).as(run.err())
                .contains("  fault stacks: 2000/s on signal 63; 1,156 Java stacks of faults and calls taken; not taken: "
                        + "1,842 over the budget, 11 not walkable\n")
                .containsPattern("  losses: Fault Stacks Dropped: 2[;\\n]")
                .doesNotContain("Over Budget");
    }

    @Test
    void aRecordingWithoutBlkflightEventsSaysHowToMakeOne() throws Exception {
        Path file = directory.resolve("jdk-only.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JVMInformation");
            recording.start();
            recording.stop();
            recording.dump(file);
        }

        CommandRun run = run("summary", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("none from blkflight").contains("-javaagent:blkflight.jar=output=");
    }

    @Test
    void badValuesAreBadArgumentsWithUsage() throws Exception {
        String file = recordingOfThreeRequests().toString();
        for (String[] args : new String[][] {{"--from", "yesterday"}, {"--to", "+soon"}, {"--at", "noon"},
                {"--min-latency", "fast"}, {"--order", "random"}, {"--weight", "heavy"}, {"--requests", "-1"}}) {
            java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of("report", args[0], args[1], file));
            if (args[0].equals("--weight")) {
                line.add(1, "--folded");
            }
            CommandRun run = run(line.toArray(String[]::new));
            assertThat(run.exitCode()).as("exit code for %s %s; stderr %s", args[0], args[1], run.err()).isEqualTo(2);
            assertThat(run.err()).as("stderr for %s %s", args[0], args[1]).contains(args[0]).contains("Usage:");
            assertThat(run.out()).as("nothing printed for %s %s", args[0], args[1]).isEmpty();
        }
    }

    @Test
    void badTimelineAndSlowestArgumentsSayWhatIsAccepted() throws Exception {
        String file = recordingOfThreeRequests().toString();
        String[][] cases = {
            {"--timeline", "soon", "--timeline: 'soon' is not a duration"},
            {"--timeline", "0ms", "--timeline takes an interval longer than 0"},
            {"--timeline-by", "disk", "--timeline-by goes with --timeline"},
            {"--slowest", "0", "--slowest takes a number of requests, 1 or more"},
            {"--trees", null, "--trees goes with --slowest N"},
            {"--html", "/nonexistent-folder/report.html", "--html /nonexistent-folder/report.html: its folder does not exist"},
        };
        for (String[] c : cases) {
            java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of("report", c[0]));
            if (c[1] != null) {
                line.add(c[1]);
            }
            line.add(file);
            CommandRun run = run(line.toArray(String[]::new));
            assertThat(run.exitCode()).as("exit code for %s; stderr %s", line, run.err()).isEqualTo(2);
            assertThat(run.err()).as("stderr for %s", line).contains(c[2]).contains("Usage:");
            assertThat(run.out()).isEmpty();
        }
        CommandRun by = run("report", "--timeline", "1s", "--timeline-by", "disk", file);
        assertThat(by.err()).contains("'disk' is not a grouping; accepted: device, thread, file");
        CommandRun folded = run("report", "--timeline", "1s", "--folded", file);
        assertThat(folded.err()).contains("--timeline prints a table or a page, --folded folded stacks: give one of them");
        CommandRun many = run("report", "--timeline", "1ns", file);
        assertThat(many.exitCode()).as("too many intervals is an error of the report, not of the arguments").isEqualTo(1);
        assertThat(many.err()).contains("--timeline 1ns cuts the").contains("give an interval of at least");
        assertThat(many.out()).isEmpty();
    }

    @Test
    void aThreadThatIssuedNothingIsSaidWithTheThreadsThatDid() throws Exception {
        Path file = recordingOfThreeRequests();

        CommandRun run = run("report", "--thread", "nobody", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("selected 0 of 3 requests")
                .contains("--thread nobody matches no request; the recording's threads, most requests first: reader-1, kworker/u8:1");

        CommandRun folded = run("report", "--folded", "--device", "sdz", file.toString());
        assertThat(folded.out()).isEmpty();
        assertThat(folded.err()).contains("--device sdz matches no request; the recording's devices, most requests first: 250:99");

        assertThat(run("report", "--device", "250:99", "--operation", "write", file.toString()).out())
                .as("a disk named by major:minor is no miss").doesNotContain("matches no request");
    }

    @Test
    void theSlowestRequestsAreShownByDefault() throws Exception {
        Path file = recordingOfThreeRequests();

        String slowest = run("report", "--requests", "1", file.toString()).out();
        assertThat(slowest).contains("single requests (1, slowest; --order and --at choose others)");
        assertThat(slowest.substring(slowest.indexOf("single requests"))).as("the 3 ms read, the slowest").contains("8.00 KiB");

        String first = run("report", "--requests", "1", "--order", "first", file.toString()).out();
        assertThat(first).contains("single requests (1, first in time;");
        assertThat(first.substring(first.indexOf("single requests"))).as("the first read").contains("4.00 KiB");
    }

    @Test
    void badArgumentsListWhatIsAccepted() {
        CommandRun run = run("sumary", "x.jfr");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("summary");
    }

    @Test
    void printsTheSettingsFile() {
        CommandRun run = run("settings");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("<event name=\"blkflight.BlockRequest\">");
    }

    @Test
    void showsEachRequestsFunctionPathAndTheFunctionsOfAll() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        String[] functions = {"submit_bio", "blk_mq_start_request", "blk_mq_end_request"};
        RecordBuilder records = new RecordBuilder()
                .begin().request(0xa000, 3).times(t, t + 1_000, 0, t + 2_000, t + 102_000).where(DISK, 8, 4096, 0, 1)
                .issuer(PID, 55, "db-writer", 17, t).end()
                .path(0xa000, 3, 4, new long[] {t - 1_500, 0, 1, -1}, new long[] {t + 2_000, 1, 1, -1},
                        new long[] {t + 101_000, 2, 0, -1})
                .begin().request(0xb000, 1).times(t + 10, t + 1_010, 0, t + 4_010, t + 52_010).where(DISK, 16, 4096, 0, 1)
                .issuer(PID, 55, "db-writer", 17, t).end()
                .path(0xb000, 1, 0, new long[] {t + 4_010, 1, 0, -1})
                .begin().request(0xc000, 1).times(t + 20, t + 20, 0, t + 40, t + 1_020).where(DISK, 24, 4096, 0, 1)
                .issuer(PID, 55, "db-writer", 17, t).end();
        Path file = directory.resolve("paths.jfr");
        SyntheticRecording.write(file, records, new JavaThreads(() -> ""),
                new io.blkflight.resolve.KernelStacks((id, into) -> 0), PID, functions);

        CommandRun run = run("report", "--requests", "1", "--request", "a000:3", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("kernel functions the requests passed through (function-level mode), in the order of their mean time "
                        + "from the request's start; 2 requests with a path, 4 hits not kept (paths hold 32)")
                .containsPattern("1 +1 +100% +-1.5 us +submit_bio")
                .containsPattern("2 +2 +50% +\\+3.0 us +blk_mq_start_request")
                .containsPattern("1 +1 +0% +\\+101.0 us +blk_mq_end_request")
                .contains("kernel functions in order (function-level mode; i: in the issuing thread), 4 more not kept (the path holds 32):")
                .containsPattern("-1.5 us i submit_bio\\n +\\+2.0 us i blk_mq_start_request\\n +\\+101.0 us +blk_mq_end_request");
        assertThat(run.out().indexOf("submit_bio")).isLessThan(run.out().indexOf("blk_mq_start_request"));
    }

    /** Requests of two files, the journal and a flush: the file's path record comes first, as the kernel side sends it. */
    private Path recordingOfFiles() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        int fs = Devices.dev(250, 98);
        RecordBuilder records = new RecordBuilder()
                .filePath(fs, 12, 0, "000012.sst", "data")
                .filePath(fs, 13, 0, "wal.log", "db")
                .begin().request(1, 1).times(t, t, 0, t + 10, t + 100_010).where(DISK, 8, 4096, 0, 1)
                .issuer(PID, PID + 1, "reader-1", 17, t).file(io.blkflight.decode.FileRecord.KIND_DATA, fs, 12, 0, 0).end()
                .begin().request(2, 1).times(t + 20, t + 20, 0, t + 30, t + 200_030).where(DISK, 16, 4096, 0, 1)
                .issuer(PID, PID + 1, "reader-1", 17, t).file(io.blkflight.decode.FileRecord.KIND_DATA, fs, 12, 0, 0).end()
                .begin().request(3, 1).times(t + 40, t + 40, 0, t + 50, t + 3_000_050).where(DISK, 64, 8192, 1, 1)
                .issuer(PID, PID + 2, "writer-1", 74, t).file(io.blkflight.decode.FileRecord.KIND_DATA, fs, 13, 0, 1).end()
                .begin().request(4, 1).times(t + 60, t + 60, 0, t + 70, t + 400_070).where(DISK, 128, 12288, 1, 1)
                .issuer(PID, 99, "jbd2/loop9-8", -1, 0).file(io.blkflight.decode.FileRecord.KIND_DEVICE_CACHE, DISK, 0, 0, 0).end();
        Path file = directory.resolve("files.jfr");
        SyntheticRecording.write(file, records, new JavaThreads(() -> ""), PID);
        return file;
    }

    @Test
    void summaryAndReportShowRequestsByFileAndOperation() throws Exception {
        Path recording = recordingOfFiles();

        CommandRun summary = run("summary", recording.toString());
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out())
                .containsPattern(" +2 +8.00 KiB +100.0 us +200.0 us +200.0 us  read +\\(250:98\\)/data/000012.sst\n")
                .containsPattern(" +1 +8.00 KiB .* write +\\(250:98\\)/db/wal.log  \\[1 merged with other files\\]\n")
                .containsPattern(" +1 +12.0 KiB .* write +\\(block device 250:99\\)\n")
                .contains("file (3 files)");
        CommandRun report = run("report", recording.toString(), "--requests", "1");
        assertThat(report.out()).contains("requests by file and operation").containsPattern("read +\\(250:98\\)/data/000012.sst");
        assertThat(report.out()).as("the slowest request's detail names its file")
                .contains("  file: (250:98)/db/wal.log (inode 13); its bios were merged with those of 1 other file");
    }

    @Test
    void aFileGlobSelectsRequestsAndOneThatMatchesNothingSaysWhatThereIs() throws Exception {
        Path recording = recordingOfFiles();

        CommandRun sst = run("report", recording.toString(), "--file", "*.sst", "--requests", "0");
        assertThat(sst.out()).contains("selected 2 of 4 requests");
        CommandRun wal = run("report", recording.toString(), "--file", "**/db/wal.*", "--requests", "0");
        assertThat(wal.out()).contains("selected 1 of 4 requests");
        CommandRun none = run("report", recording.toString(), "--file", "*.ldb");
        assertThat(none.out()).contains("--file *.ldb matches no request; the recording's files, most requests first: "
                + "(250:98)/data/000012.sst, (250:98)/db/wal.log, (block device 250:99)");
    }

    @Test
    void theTreeAndFoldedStacksCanHangBelowEachFile() throws Exception {
        Path recording = recordingOfFiles();

        CommandRun tree = run("report", recording.toString(), "--by-file", "--requests", "0", "--min-share", "0");
        assertThat(tree.out()).contains("below the file each read or wrote").containsPattern("\\[file \\(250:98\\)/data/000012.sst\\]\n")
                .containsPattern(" +2 +8.00 KiB .*\\[file \\(250:98\\)/data/000012.sst\\]");
        CommandRun folded = run("report", recording.toString(), "--by-file", "--folded");
        assertThat(folded.err()).contains("no kernel stacks");
    }
}
