package io.blkflight.report;

import io.blkflight.model.EventNames;
import io.blkflight.recording.ReadableChunks;
import io.blkflight.recording.UnreadableRecordingException;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a recording for the report commands, one event at a time: a recording file or a JFR repository folder,
 * where a JVM that stopped without finishing its recording left it unfinished read up to JFR's last flush
 * ({@link ReadableChunks}). Every way the input can be wrong becomes one clear {@link ReportException}: missing,
 * not a recording, truncated or damaged, or without blkflight events.
 */
final class RecordingInput implements AutoCloseable {
    private final ReadableChunks chunks;
    /** What JFR's reader opens, part by part: the file itself, or a copy with its unfinished chunk marked finished. */
    private final List<Path> files = new ArrayList<>();
    private Path copies;

    private RecordingInput(ReadableChunks chunks) {
        this.chunks = chunks;
    }

    /** Finds what can be read of a recording file or repository folder; copies unfinished chunks for JFR's reader. */
    static RecordingInput open(Path path) throws ReportException {
        ReadableChunks chunks;
        try {
            chunks = ReadableChunks.of(path);
        } catch (UnreadableRecordingException e) {
            throw new ReportException(e.getMessage() + killedAgentHint(path));
        } catch (IOException e) {
            throw new ReportException(path + " cannot be read: " + e.getMessage());
        }
        RecordingInput input = new RecordingInput(chunks);
        try {
            for (ReadableChunks.Part part : chunks.parts()) {
                input.files.add(part.wholeFile() ? part.file() : input.copy(part));
            }
        } catch (IOException e) {
            input.close();
            throw new ReportException("could not copy the readable part of " + chunks.source() + " for JFR's reader: " + e.getMessage());
        }
        return input;
    }

    /**
     * The agent's output= file stays empty when the JVM is killed before it exits (the OOM killer's SIGKILL): what it
     * recorded is in the repository next to it.
     */
    private static String killedAgentHint(Path path) {
        Path repository = ReadableChunks.repositoryFor(path.toAbsolutePath());
        return Files.isDirectory(repository) && !Files.isDirectory(path) ? " (a JVM killed while recording writes no"
                + " file: what it recorded is in " + repository + ", read that)" : "";
    }

    private Path copy(ReadableChunks.Part part) throws IOException {
        if (copies == null) {
            copies = Files.createTempDirectory("blkflight-report-");
        }
        Path copy = copies.resolve(files.size() + ".jfr");
        try (OutputStream out = Files.newOutputStream(copy)) {
            ReadableChunks.copy(part, out);
        }
        return copy;
    }

    /** Passes every event of the recording to the consumer; returns how many blkflight events there were. */
    long forEach(Consumer<RecordedEvent> consumer) throws ReportException {
        long events = 0;
        long blkflightEvents = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String name = chunks.parts().get(i).wholeFile() ? file.toString() : chunks.source();
            try (RecordingFile recording = new RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    RecordedEvent event = recording.readEvent();
                    events++;
                    if (event.getEventType().getName().startsWith(EventNames.CATEGORY + ".")) {
                        blkflightEvents++;
                    }
                    consumer.accept(event);
                }
            } catch (EOFException e) {
                throw new ReportException(name + " is truncated: it ends inside a chunk after " + events
                        + " events (a copy cut short)");
            } catch (IOException | RuntimeException e) {
                throw new ReportException(name + " is truncated or damaged: JFR's reader failed after " + events
                        + " events (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        }
        if (blkflightEvents == 0) {
            throw new ReportException(chunks.source() + " holds " + events + " events but none from blkflight: record with"
                    + " -javaagent:blkflight.jar=output=FILE.jfr, or enable the blkflight events in your own recording");
        }
        return blkflightEvents;
    }

    /** What is read: the file, or the repository folder. */
    String source() {
        return chunks.source();
    }

    /** "partial: ..." when the JVM stopped without finishing the recording. */
    Optional<String> partialNote() {
        return chunks.partialNote();
    }

    /** Removes the copies. */
    @Override
    public void close() {
        if (copies == null) {
            return;
        }
        try (Stream<Path> made = Files.list(copies)) {
            made.forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // Nothing left to list: the copies are gone.
        }
        copies.toFile().delete();
    }
}
