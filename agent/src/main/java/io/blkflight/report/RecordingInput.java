package io.blkflight.report;

import io.blkflight.model.EventNames;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a recording for the report commands, one event at a time, and turns every way a file can be
 * wrong into one clear {@link ReportException}: missing, not a recording, truncated or damaged, or
 * without blkflight events.
 */
public final class RecordingInput {
    private static final byte[] JFR_MAGIC = {'F', 'L', 'R', 0};

    private RecordingInput() {
    }

    /** Passes every event of the recording to the consumer; returns how many blkflight events there were. */
    public static long forEach(Path file, Consumer<RecordedEvent> consumer) throws ReportException {
        checkIsRecording(file);
        long events = 0;
        long blkflightEvents = 0;
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
            throw new ReportException(file + " is truncated: it ends inside a chunk after " + events
                    + " events (a recording still being written, or a copy cut short)");
        } catch (IOException | RuntimeException e) {
            throw new ReportException(file + " is truncated or damaged: JFR's reader failed after " + events
                    + " events (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (blkflightEvents == 0) {
            throw new ReportException(file + " holds " + events + " events but none from blkflight: record with"
                    + " -javaagent:blkflight.jar=output=FILE.jfr, or enable the blkflight events in your own recording");
        }
        return blkflightEvents;
    }

    private static void checkIsRecording(Path file) throws ReportException {
        byte[] magic = new byte[JFR_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(magic, 0, magic.length);
            if (read == 0) {
                throw new ReportException(file + " is empty: not a JFR recording");
            }
            for (int i = 0; i < JFR_MAGIC.length; i++) {
                if (i >= read || magic[i] != JFR_MAGIC[i]) {
                    throw new ReportException(file + " is not a JFR recording (it does not begin with JFR's magic bytes)");
                }
            }
        } catch (NoSuchFileException e) {
            throw new ReportException(file + " does not exist");
        } catch (IOException e) {
            throw new ReportException(file + " cannot be read: " + e.getMessage());
        }
    }
}
