package io.blkflight.report;

import io.blkflight.export.ExportSource;
import io.blkflight.export.Exports;
import io.blkflight.export.RequestExport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code export --format FORMAT [-o FILE] RECORDING}: every request of a recording in another tool's format, written
 * by the format's class in io.blkflight.export. To a file through a temporary file beside it, so that an export that
 * fails half way leaves no half file.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes every request of a recording with every field (shapes, addresses and files joined, the Java"
            + " stack linked) for other tools: csv (a row per request, the first line naming the columns) or json (an"
            + " array of one object per request), for pandas, DuckDB or a spreadsheet.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RECORDING.jfr", description = ReportCommand.RECORDING)
    Path recording;

    @CommandLine.Option(names = "--format", required = true, paramLabel = "FORMAT", description = "csv or json.")
    String format;

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ReportException, IOException {
        if (!Exports.FORMATS.contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format takes " + String.join(" or ", Exports.FORMATS)
                    + ", not '" + format + "'");
        }
        Path temporary = null;
        if (output != null) {
            try {
                // Created with the user's umask, as the output itself would be (a temp file's would be 0600).
                temporary = output.toAbsolutePath().resolveSibling("." + output.getFileName() + "."
                        + ProcessHandle.current().pid() + ".part");
                Files.newOutputStream(temporary, java.nio.file.StandardOpenOption.CREATE_NEW).close();
            } catch (IOException e) {
                throw new ReportException("cannot write " + output + ": " + (e instanceof java.nio.file.NoSuchFileException
                        ? "its folder does not exist" : e.getMessage()));
            }
        }
        long[] written = {0};
        try (RecordedRequests recorded = RecordedRequests.open(recording, new Progress(System.err));
             OutputStream out = temporary == null ? new UnclosedOutputStream(System.out)
                     : new java.io.BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
            RequestExport export = Exports.create(format, out, new ExportSource(recorded.source(), recorded.stacksSampled(),
                    recorded.stacksOption()));
            try {
                recorded.forEach(request -> {
                    try {
                        export.add(request);
                        written[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            export.finish();
            recorded.partialNote().ifPresent(note -> spec.commandLine().getErr().println("blkflight: " + note));
            if (recorded.malformed() > 0) {
                spec.commandLine().getErr().println("blkflight: " + recorded.malformedNote());
            }
        } catch (IOException | ReportException | RuntimeException e) {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
            if (e instanceof IOException io) {
                throw new ReportException("writing the export failed: " + io.getMessage());
            }
            throw e;
        }
        if (temporary != null) {
            Files.move(temporary, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getErr().println("blkflight: wrote " + io.blkflight.model.Formats.count(written[0])
                    + " requests to " + output + " (" + format + ")");
        }
        spec.commandLine().getErr().flush();
        return 0;
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
