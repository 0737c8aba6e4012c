package io.blkflight.report;

import io.blkflight.agent.AgentSettings;
import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;
import io.blkflight.it.DirectIoPlan;
import io.blkflight.it.DirectIoWorkload;
import io.blkflight.it.LoopDevice;

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
 * Regenerates the recording checked in for the golden-file tests and the expected outputs: runs the
 * direct-I/O workload under the agent on loop devices (needs root) with blkflight's settings only and
 * every file call recorded, then writes what the report commands print for it. Run from agent/ with
 * scripts/regenerate-fixtures.sh; review the diff of the golden files before committing.
 */
public final class FixtureRecording {
    static final Path RECORDING = Path.of("src/test/resources/recordings/direct-io.jfr");
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    /** What the golden files show in place of the recording's path. */
    static final String PLACEHOLDER = "RECORDING.jfr";

    /** The commands whose output is kept: golden file name, then the arguments before the recording. */
    static final List<List<String>> COMMANDS = List.of(
            List.of("summary.txt", "summary"),
            List.of("report.txt", "report", "--requests", "2"),
            List.of("report-offsets.txt", "report", "--offsets", "--requests", "0", "--operation", "write"),
            List.of("folded.txt", "report", "--folded"),
            List.of("folded-latency.txt", "report", "--folded", "--weight", "latency", "--thread", "reader-1"),
            List.of("report-by-file.txt", "report", "--by-file", "--file", "data.bin", "--requests", "1", "--min-share", "10"));

    private FixtureRecording() {
    }

    /** Records again and rewrites the golden files; with {@code --golden-only}, only rewrites them from the recording. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("--golden-only")) {
            record();
        }
        Files.createDirectories(GOLDEN);
        for (List<String> command : COMMANDS) {
            Files.writeString(GOLDEN.resolve(command.get(0)), output(command));
        }
        Files.writeString(GOLDEN.resolve(ExportGolden.PPROF), ExportGolden.pprof());
        Files.writeString(GOLDEN.resolve(ExportGolden.OTLP), ExportGolden.otlp());
        System.out.println("wrote " + (COMMANDS.size() + 2) + " golden files in " + GOLDEN + " from " + RECORDING + " ("
                + Files.size(RECORDING) + " bytes)");
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
        String[] args = command.subList(1, command.size()).toArray(new String[0]);
        String[] withRecording = java.util.Arrays.copyOf(args, args.length + 1);
        withRecording[args.length] = RECORDING.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(withRecording, new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + err);
        }
        return out.toString().replace(RECORDING.toString(), PLACEHOLDER);
    }
}
