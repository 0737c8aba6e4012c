package io.blkflight.report;

import io.blkflight.agent.AgentSettings;
import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.DirectIoPlan;
import io.blkflight.it.DirectIoWorkload;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.PatternWorkload;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Regenerates the recordings checked in for the golden-file tests and the expected outputs: runs the
 * direct-I/O workload ({@link #RECORDING}) and the files-and-writeback workload ({@link #FILES_WRITEBACK}) under
 * the agent on loop devices (needs root) with blkflight's settings only and every file call recorded, then writes
 * what the report commands print for them. Run from agent/ with scripts/regenerate-fixtures.sh; review the diff of
 * the golden files before committing.
 */
public final class FixtureRecording {
    static final Path RECORDING = Path.of("src/test/resources/recordings/direct-io.jfr");
    /** Requests that name their files, sequential and random reads, and writeback credited to the dirtying thread. */
    static final Path FILES_WRITEBACK = Path.of("src/test/resources/recordings/files-writeback.jfr");
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    /** What the golden files show in place of the recording's path. */
    static final String PLACEHOLDER = "RECORDING.jfr";
    /** The argument that stands for the files-and-writeback recording in a command (the others read direct-io.jfr). */
    static final String ON_FILES_WRITEBACK = "@files-writeback";

    /**
     * The commands whose output is kept: golden file name, then the arguments before the recording; a command whose
     * second element is {@link #ON_FILES_WRITEBACK} reads {@link #FILES_WRITEBACK}.
     */
    static final List<List<String>> COMMANDS = List.of(
            List.of("summary.txt", "summary"),
            List.of("report.txt", "report", "--requests", "2"),
            List.of("report-offsets.txt", "report", "--offsets", "--requests", "0", "--operation", "write"),
            List.of("folded.txt", "report", "--folded"),
            List.of("folded-latency.txt", "report", "--folded", "--weight", "latency", "--thread", "reader-1"),
            List.of("report-by-file.txt", "report", "--by-file", "--file", "data.bin", "--requests", "1", "--min-share", "10"),
            List.of("timeline.txt", "report", "--timeline", "20ms"),
            List.of("slowest.txt", "report", "--slowest", "3", "--trees"),
            List.of("fw-summary.txt", ON_FILES_WRITEBACK, "summary"),
            List.of("fw-report.txt", ON_FILES_WRITEBACK, "report", "--requests", "1"),
            List.of("fw-timeline.txt", ON_FILES_WRITEBACK, "report", "--timeline", "500ms"),
            List.of("fw-timeline-thread.txt", ON_FILES_WRITEBACK, "report", "--timeline", "1s", "--timeline-by", "thread"),
            List.of("fw-timeline-file.txt", ON_FILES_WRITEBACK, "report", "--timeline", "1s", "--timeline-by", "file",
                    "--operation", "write"),
            List.of("fw-slowest.txt", ON_FILES_WRITEBACK, "report", "--slowest", "5"),
            List.of("fw-slowest-write.txt", ON_FILES_WRITEBACK, "report", "--slowest", "2", "--operation", "write", "--trees"),
            List.of("export.csv", "export", "--format", "csv"),
            List.of("export.json", "export", "--format", "json"),
            List.of("fw-export.csv", ON_FILES_WRITEBACK, "export", "--format", "csv"),
            List.of("fw-export.json", ON_FILES_WRITEBACK, "export", "--format", "json"));

    private FixtureRecording() {
    }

    /**
     * Records again and rewrites the golden files; with {@code --golden-only}, only rewrites them from the recordings;
     * with {@code --record direct-io} or {@code --record files-writeback}, records that one only.
     */
    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        if (!arguments.contains("--golden-only")) {
            boolean only = arguments.contains("--record");
            if (!only || arguments.contains("direct-io")) {
                record();
            }
            if (!only || arguments.contains("files-writeback")) {
                recordFilesAndWriteback();
            }
        }
        Files.createDirectories(GOLDEN);
        for (List<String> command : COMMANDS) {
            Files.writeString(GOLDEN.resolve(command.get(0)), output(command));
        }
        Files.writeString(GOLDEN.resolve(ExportGolden.PPROF), ExportGolden.pprof());
        Files.writeString(GOLDEN.resolve(ExportGolden.OTLP), ExportGolden.otlp());
        System.out.println("wrote " + (COMMANDS.size() + 2) + " golden files in " + GOLDEN + " from " + RECORDING + " ("
                + Files.size(RECORDING) + " bytes) and " + FILES_WRITEBACK + " (" + Files.size(FILES_WRITEBACK) + " bytes)");
    }

    /**
     * The files-and-writeback workload on one ext4 loop device, with the kernel's dirty expiry lowered (and restored)
     * so that the flushers write the appended log back while the JVM waits.
     */
    private static void recordFilesAndWriteback() throws Exception {
        Path expire = Path.of("/proc/sys/vm/dirty_expire_centisecs");
        Path interval = Path.of("/proc/sys/vm/dirty_writeback_centisecs");
        String oldExpire = Files.readString(expire).trim();
        String oldInterval = Files.readString(interval).trim();
        Path settings = Files.createTempFile("blkflight-fixture", ".jfc");
        try (InputStream in = AgentSettings.class.getResourceAsStream(AgentSettings.RESOURCE);
             LoopDevice device = LoopDevice.create("fixture-fw", 64)) {
            Files.writeString(settings, new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("20 us", "0 ns"));
            for (String name : List.of(PatternWorkload.SCAN, PatternWorkload.INDEX)) {
                try (FileChannel channel = FileChannel.open(device.mountPoint().resolve(name), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.allocate(PatternWorkload.FILE_KIB * 1024));
                    channel.force(true);
                }
            }
            Files.writeString(expire, "100");
            Files.writeString(interval, "50");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                    .jvmOption("-XX:StartFlightRecording:settings=" + settings + ",filename=" + FILES_WRITEBACK.toAbsolutePath())
                    .withAgent("devices=" + device.name() + ",stacks=all")
                    .run(PatternWorkload.class.getName(), device.mountPoint().toString(), "4");
            if (result.exitCode() != 0) {
                throw new IllegalStateException("the workload failed: " + result.stderr());
            }
        } finally {
            Files.writeString(expire, oldExpire);
            Files.writeString(interval, oldInterval);
            Files.deleteIfExists(settings);
        }
    }

    private static void record() throws Exception {
        Path settings = Files.createTempFile("blkflight-fixture", ".jfc");
        try (InputStream in = AgentSettings.class.getResourceAsStream(AgentSettings.RESOURCE)) {
            String jfc = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("20 us", "0 ns");
            Files.writeString(settings, jfc);
        }
        try (LoopDevice device = LoopDevice.create("fixture", 64); LoopDevice other = LoopDevice.create("fixture-other", 32)) {
            for (LoopDevice d : List.of(device, other)) {
                Path file = d.mountPoint().resolve(d == device ? DirectIoPlan.DATA : DirectIoPlan.OTHER);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.allocate(DirectIoPlan.DATA_BLOCKS * LoopDevice.BLOCK_SIZE));
                    channel.force(true);
                }
            }
            Files.createDirectories(RECORDING.getParent());
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                    .jvmOption("-XX:StartFlightRecording:settings=" + settings + ",filename=" + RECORDING.toAbsolutePath())
                    .withAgent("devices=" + device.name() + "+" + other.name() + ",stacks=on")
                    .run(DirectIoWorkload.class.getName(), device.mountPoint().toString(), other.mountPoint().toString());
            if (result.exitCode() != 0) {
                throw new IllegalStateException("the workload failed: " + result.stderr());
            }
        } finally {
            Files.deleteIfExists(settings);
        }
    }

    /** What the command prints for the checked-in recording, with the recording's path replaced. */
    static String output(List<String> command) {
        boolean filesWriteback = command.get(1).equals(ON_FILES_WRITEBACK);
        Path recording = filesWriteback ? FILES_WRITEBACK : RECORDING;
        String[] args = command.subList(filesWriteback ? 2 : 1, command.size()).toArray(new String[0]);
        String[] withRecording = java.util.Arrays.copyOf(args, args.length + 1);
        withRecording[args.length] = recording.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // An export goes to a file (standard output is the process's own, not the writer given to the command).
        Path exported = null;
        if (args.length > 0 && args[0].equals("export")) {
            try {
                exported = Files.createTempFile("blkflight-golden", ".export");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<String> line = new java.util.ArrayList<>(List.of(withRecording));
            line.addAll(1, List.of("-o", exported.toString()));
            withRecording = line.toArray(String[]::new);
        }
        int code = ReportCommand.run(withRecording, new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + err);
        }
        if (exported != null) {
            try {
                String text = Files.readString(exported);
                Files.delete(exported);
                return text;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out.toString().replace(recording.toString(), PLACEHOLDER);
    }
}
