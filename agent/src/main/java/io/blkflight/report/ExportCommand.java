package io.blkflight.report;

import io.blkflight.export.OtlpExport;
import io.blkflight.export.PprofExport;
import io.blkflight.export.ProfileInfo;
import io.blkflight.export.ProfileSamples;
import io.blkflight.export.ProfileSender;
import io.blkflight.export.RequestExport;
import io.blkflight.model.Formats;
import io.blkflight.model.RequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code export --format FORMAT}: the selected requests in a format other tools read, each format written by its own
 * class of io.blkflight.export; the profile formats can be sent to a receiver instead of (or as well as) a file.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes the recorded block requests in a format other tools read: pprof (a gzipped profile.proto for"
            + " go tool pprof, Pyroscope, Parca) or otlp (OpenTelemetry profiles, v1development). One sample per request:"
            + " its Java frames above the kernel frames of its first stage with a stack, the stage as the leaf; values requests,"
            + " bytes, latency, queue and service time; labels device, operation, thread, syscall, file, origin.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RECORDING.jfr", description = "A recording made with the blkflight agent, or a JFR repository.")
    Path recording;

    @CommandLine.Option(names = "--format", required = true, paramLabel = "FORMAT", description = "pprof or otlp.")
    String format;

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write it ('-' for standard output).")
    String output;

    @CommandLine.Option(names = "--send", paramLabel = "URL", description = "Send it: pprof to a Pyroscope-compatible ingest endpoint (http://pyroscope:4040), otlp to an OTLP/HTTP receiver (http://collector:4318); a URL without a path gets /ingest or /v1development/profiles.")
    String send;

    @CommandLine.Option(names = "--service", paramLabel = "NAME", description = "The service's name in the profile (OTLP service.name, Pyroscope's application name); default: ${DEFAULT-VALUE}.")
    String service = "unknown_service:java";

    @CommandLine.Option(names = "--host", paramLabel = "NAME", description = "The host's name in the profile (OTLP host.name, a Pyroscope label).")
    String host = "";

    @CommandLine.Mixin
    SelectionOptions selection = new SelectionOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The longest --send may wait to connect, and for the answer. */
    static final int SEND_TIMEOUT_MILLIS = 30_000;

    @Override
    public Integer call() throws ReportException {
        ProfileSender.Format profileFormat;
        try {
            profileFormat = ProfileSender.Format.of(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        if (output == null && send == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format + " writes binary data:"
                    + " give -o FILE (or -o - for standard output), or --send URL");
        }
        ProfileSender sender = null;
        if (send != null) {
            try {
                sender = new ProfileSender(send, profileFormat, SEND_TIMEOUT_MILLIS);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--send: " + e.getMessage());
            }
        }
        java.util.function.LongFunction<RequestFilter> filter = selection.parse(spec.commandLine());
        byte[] bytes;
        ProfileSamples samples;
        List<String> notes = new ArrayList<>();
        try (RecordedRequests recorded = RecordedRequests.open(recording, new Progress(System.err))) {
            samples = new ProfileSamples(recorded.stacksSampled());
            ProfileInfo info = new ProfileInfo(service, host, comments(recorded));
            RequestExport export = profileFormat == ProfileSender.Format.PPROF ? new PprofExport(samples, info)
                    : new OtlpExport(samples, info, ReportCommand.version());
            RequestFilter selected = filter.apply(recorded.firstStart());
            recorded.forEach(request -> {
                if (selected.test(request)) {
                    export.add(request);
                }
            });
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            export.finish(buffer);
            bytes = buffer.toByteArray();
            recorded.partialNote().ifPresent(notes::add);
            if (recorded.malformed() > 0) {
                notes.add(recorded.malformedNote());
            }
            if (samples.requests() == 0) {
                notes.add("no request of " + Formats.count(recorded.requestCount()) + " matched"
                        + (selection.any() ? " the filters" : "") + ": the profile is empty");
            } else if (samples.weights().sampled() && samples.weights().unrepresented() > 0) {
                notes.add(Formats.count(samples.weights().unrepresented()) + " requests are of kinds without a sampled"
                        + " kernel stack: they end in " + "[no kernel stack]");
            }
        } catch (IOException e) {
            throw new ReportException("writing the " + format + " profile failed: " + e.getMessage());
        }
        if (output != null) {
            write(bytes);
        }
        if (sender != null) {
            try {
                long from = samples.requests() == 0 ? System.currentTimeMillis() / 1000 : samples.firstStart() / 1_000_000_000L;
                long until = samples.requests() == 0 ? from : Math.max(from + 1, (samples.lastEnd() + 999_999_999L) / 1_000_000_000L);
                sender.send(bytes, service, host.isEmpty() ? Map.of() : Map.of("host", host), from, until);
                notes.add("sent " + Formats.count(samples.requests()) + " requests to " + sender.endpoint());
            } catch (IOException e) {
                throw new ReportException("sending the profile to " + sender.endpoint() + " failed: " + e.getMessage());
            }
        }
        notes.forEach(note -> spec.commandLine().getErr().println("blkflight: " + note));
        spec.commandLine().getErr().flush();
        return 0;
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

    private void write(byte[] bytes) throws ReportException {
        if (output.equals("-")) {
            try {
                OutputStream out = System.out;
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new ReportException("writing to standard output failed: " + e.getMessage());
            }
            return;
        }
        try {
            Files.write(Path.of(output), bytes);
        } catch (IOException | RuntimeException e) {
            throw new ReportException("could not write " + output + ": " + e.getMessage());
        }
    }
}
