package io.blkflight.report;

import io.blkflight.export.ExportSource;
import io.blkflight.export.Exports;
import io.blkflight.export.OtlpExport;
import io.blkflight.export.PprofExport;
import io.blkflight.export.ProfileInfo;
import io.blkflight.export.ProfileSamples;
import io.blkflight.export.ProfileSender;
import io.blkflight.export.RequestExport;
import io.blkflight.export.SendHeaders;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.Formats;
import io.blkflight.model.RequestFilter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code export --format FORMAT [-o FILE] RECORDING}: the selected requests of a recording in another tool's format,
 * each format written by its own class of io.blkflight.export: rows (csv, json) streamed a request at a time, or a
 * profile (pprof, otlp) built from all of them, which can also be sent to a receiver. To a file through a temporary
 * file beside it, so that an export that fails half way leaves no half file.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes the recorded block requests for other tools: csv (a row per request with every field, the"
            + " first line naming the columns) or json (an array of one object per request), for pandas, DuckDB or a"
            + " spreadsheet; pprof (a gzipped profile.proto for go tool pprof, Pyroscope, Parca) or otlp (OpenTelemetry"
            + " profiles, v1development), one sample per request: its Java frames above the kernel frames of its first"
            + " stage with a stack, the stage as the leaf; values requests, bytes, latency, queue and service time; labels"
            + " device, operation, thread, syscall, file, origin.")
final class ExportCommand implements Callable<Integer> {
    /** The formats that are profiles: built from every request, then written (binary) or sent. */
    private static final List<String> PROFILES = List.of("pprof", "otlp");

    @Parameters(paramLabel = "RECORDING.jfr", description = ReportCommand.RECORDING)
    Path recording;

    @CommandLine.Option(names = "--format", required = true, paramLabel = "FORMAT", description = "csv, json, pprof or otlp.")
    String format;

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE ('-': standard output, where csv and json go without -o).")
    String output;

    @CommandLine.Option(names = "--send", paramLabel = "URL", description = "pprof and otlp: send the profile, pprof to a"
            + " Pyroscope-compatible ingest endpoint (http://pyroscope:4040), otlp to an OTLP/HTTP receiver"
            + " (http://collector:4318); a URL without a path gets /ingest or /v1development/profiles.")
    String send;

    @CommandLine.Option(names = "--headers", paramLabel = "FILE", description = "With --send: HTTP headers sent with the"
            + " profile, one 'Name: value' a line (Authorization: Bearer TOKEN, X-Scope-OrgID: TENANT); otlp also takes"
            + " OTEL_EXPORTER_OTLP_PROFILES_HEADERS, else OTEL_EXPORTER_OTLP_HEADERS (k1=v1,k2=v2). A user and password"
            + " in the URL (https://user:secret@host) are sent as Basic authentication.")
    Path headers;

    @CommandLine.Option(names = "--service", paramLabel = "NAME", description = "pprof and otlp: the service's name in the"
            + " profile (OTLP service.name, Pyroscope's application name); default: ${DEFAULT-VALUE}.")
    String service = "unknown_service:java";

    @CommandLine.Option(names = "--host", paramLabel = "NAME", description = "pprof and otlp: the host's name in the profile"
            + " (OTLP host.name, a Pyroscope label).")
    String host = "";

    @CommandLine.Mixin
    SelectionOptions selection = new SelectionOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The longest --send may wait to connect, and for the answer. */
    static final int SEND_TIMEOUT_MILLIS = 30_000;

    @Override
    public Integer call() throws ReportException, IOException {
        List<String> formats = new ArrayList<>(Exports.FORMATS);
        formats.addAll(PROFILES);
        if (!formats.contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format takes "
                    + String.join(", ", formats.subList(0, formats.size() - 1)) + " or " + formats.get(formats.size() - 1)
                    + ", not '" + format + "'");
        }
        boolean profile = PROFILES.contains(format);
        ProfileSender sender = null;
        if (!profile && (send != null || spec.commandLine().getParseResult().hasMatchedOption("--service")
                || spec.commandLine().getParseResult().hasMatchedOption("--host"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--send, --service and --host go with --format"
                    + " pprof or otlp, not " + format);
        }
        if (profile && output == null && send == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format + " writes binary data:"
                    + " give -o FILE (or -o - for standard output), or --send URL");
        }
        if (headers != null && send == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--headers goes with --send URL");
        }
        if (send != null) {
            Map<String, String> sent;
            try {
                sent = SendHeaders.of(ProfileSender.Format.of(format), headers, System.getenv());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--headers: " + e.getMessage());
            }
            try {
                sender = new ProfileSender(send, ProfileSender.Format.of(format), SEND_TIMEOUT_MILLIS, sent);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--send: " + e.getMessage());
            }
        }
        java.util.function.LongFunction<RequestFilter> filter = selection.parse(spec.commandLine());
        Path file = output == null || output.equals("-") ? null : Path.of(output);
        Path temporary = file == null ? null : temporaryBeside(file);
        List<String> notes = new ArrayList<>();
        long[] written = {0};
        byte[] profileBytes = null;
        ProfileSamples samples = null;
        try (RecordedRequests recorded = RecordedRequests.open(recording, new Progress(System.err));
             OutputStream out = temporary == null ? new UnclosedOutputStream(System.out)
                     : new java.io.BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
            RequestFilter selected = filter.apply(recorded.firstStart());
            Consumer<BlockRequest> each;
            RequestExport rows = null;
            if (profile) {
                samples = new ProfileSamples(recorded.stacksSampled());
                each = samples::add;
            } else {
                rows = Exports.create(format, out, new ExportSource(recorded.source(), recorded.stacksSampled(),
                        recorded.stacksOption()));
                RequestExport export = rows;
                each = request -> {
                    try {
                        export.add(request);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
            }
            try {
                recorded.forEach(request -> {
                    if (selected.test(request)) {
                        each.accept(request);
                        written[0]++;
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (profile) {
                ProfileInfo info = new ProfileInfo(service, host, comments(recorded));
                profileBytes = format.equals("pprof") ? new PprofExport(samples, info).toBytes()
                        : new OtlpExport(samples, info, ReportCommand.version()).toBytes();
                if (output != null) {
                    out.write(profileBytes);
                }
                if (samples.weights().sampled() && samples.weights().unrepresented() > 0) {
                    notes.add(Formats.count(samples.weights().unrepresented()) + " requests are of kinds without a sampled"
                            + " kernel stack: they end in [no kernel stack]");
                }
            } else {
                rows.finish();
            }
            if (written[0] == 0) {
                notes.add("no request of " + Formats.count(recorded.requestCount()) + " matched"
                        + (selection.any() ? " the filters" : "") + (profile ? ": the profile is empty" : ""));
            }
            recorded.partialNote().ifPresent(notes::add);
            if (recorded.malformed() > 0) {
                notes.add(recorded.malformedNote());
            }
        } catch (IOException | ReportException | RuntimeException e) {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
            if (e instanceof IOException io) {
                throw new ReportException("writing the " + format + " export failed: " + io.getMessage());
            }
            throw e;
        }
        if (temporary != null) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            notes.add("wrote " + Formats.count(written[0]) + " requests to " + file + " (" + format + ")");
        }
        if (sender != null) {
            try {
                long from = written[0] == 0 ? System.currentTimeMillis() / 1000 : samples.firstStart() / 1_000_000_000L;
                long until = written[0] == 0 ? from : Math.max(from + 1, (samples.lastEnd() + 999_999_999L) / 1_000_000_000L);
                sender.send(profileBytes, service, host.isEmpty() ? Map.of() : Map.of("host", host), from, until);
                notes.add("sent " + Formats.count(samples.requests()) + " requests to " + sender.endpoint());
            } catch (IOException e) {
                throw new ReportException("sending the profile to " + sender.endpoint() + " failed: " + sender.redacted(String.valueOf(e.getMessage())));
            }
        }
        notes.forEach(note -> spec.commandLine().getErr().println("blkflight: " + note));
        spec.commandLine().getErr().flush();
        return 0;
    }

    /** An empty temporary file beside the output, created with the user's umask as the output itself would be. */
    private static Path temporaryBeside(Path output) throws ReportException {
        try {
            Path temporary = output.toAbsolutePath().resolveSibling("." + output.getFileName() + "."
                    + ProcessHandle.current().pid() + ".part");
            Files.newOutputStream(temporary, java.nio.file.StandardOpenOption.CREATE_NEW).close();
            return temporary;
        } catch (IOException e) {
            throw new ReportException("cannot write " + output + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "its folder does not exist" : e.getMessage()));
        }
    }

    private List<String> comments(RecordedRequests recorded) {
        List<String> comments = new ArrayList<>();
        comments.add("blkflight: block I/O requests of " + recorded.source());
        comments.add("one sample per request: its Java frames, the kernel frames of its first stage with a stack, the stage");
        if (recorded.stacksSampled()) {
            comments.add("kernel stacks sampled (stacks=" + recorded.stacksOption() + "): each sampled request stands for its"
                    + " kind's requests; requests and bytes add up to the totals, times are estimates");
        }
        recorded.partialNote().ifPresent(comments::add);
        return comments;
    }

    /** Standard output, flushed but left open when the export closes its stream. */
    private static final class UnclosedOutputStream extends java.io.FilterOutputStream {
        UnclosedOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
