package io.blkflight.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The profile formats' golden files: the checked-in recording exported as pprof and as OTLP, each read back by its
 * format's own reference tool, Go's {@code go tool pprof -raw} and protoc's {@code --decode} with OTLP's published
 * definitions. Written by {@link FixtureRecording#main}, compared by ProfileExportTest.
 */
final class ExportGolden {
    static final String PPROF = "export-pprof.txt";
    static final String OTLP = "export-otlp.txt";
    /** protoc of the build (from Maven Central) and the OTLP definitions it generated the Java from. */
    static final Path PROTOC = Path.of("target/protoc/protoc");
    static final Path OTLP_PROTO = Path.of("target/otlp-proto");
    static final String OTLP_REQUEST = "opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest";

    private ExportGolden() {
    }

    /** The pprof export of the recording as {@code go tool pprof -raw} prints it. */
    static String pprof() throws Exception {
        Path file = export("pprof");
        try {
            return run(List.of("go", "tool", "pprof", "-raw", file.toString()), null)
                    .replace(FixtureRecording.RECORDING.toAbsolutePath().toString(), FixtureRecording.PLACEHOLDER)
                    .replace(FixtureRecording.RECORDING.toString(), FixtureRecording.PLACEHOLDER);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The OTLP export of the recording as protoc decodes it, without the profiles' random ids. */
    static String otlp() throws Exception {
        Path file = export("otlp");
        try {
            return decodeOtlp(file).lines().filter(line -> !line.trim().startsWith("profile_id:"))
                    .collect(Collectors.joining("\n", "", "\n"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** protoc's text of an ExportProfilesServiceRequest in a file. */
    static String decodeOtlp(Path file) throws Exception {
        return run(List.of(PROTOC.toString(), "-I", OTLP_PROTO.toString(), "--decode=" + OTLP_REQUEST,
                "opentelemetry/proto/collector/profiles/v1development/profiles_service.proto"), file);
    }

    /** Exports the recording in the format (with the golden files' service and host) to a temporary file. */
    static Path export(String format, String... options) throws IOException {
        Path file = Files.createTempFile("blkflight-export", "." + format);
        List<String> args = new ArrayList<>(List.of("export", "--format", format, "-o", file.toString(),
                "--service", "fixture", "--host", "host-1"));
        args.addAll(List.of(options));
        args.add(FixtureRecording.RECORDING.toString());
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(args.toArray(new String[0]), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        if (code != 0) {
            throw new IllegalStateException("export " + format + " failed (" + code + "): " + err);
        }
        return file;
    }

    /** Runs a reference tool; its standard output, or an error naming the tool and what it printed. */
    static String run(List<String> command, Path input) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " cannot run (" + e.getMessage() + "): the export tests read"
                    + " the formats back with their reference tools; scripts/setup.sh installs Go (golang-go), the build"
                    + " fetches protoc", e);
        }
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
