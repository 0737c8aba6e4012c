package io.blkflight.it;

import io.blkflight.model.EventNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** The events of one recording, by kind, in time order. */
public final class Recorded {
    public final List<RecordedEvent> requests;
    public final List<RecordedEvent> calls;
    public final List<RecordedEvent> statistics;
    public final List<RecordedEvent> configurations;
    public final List<RecordedEvent> stacks;

    private Recorded(List<RecordedEvent> all) {
        requests = ofType(all, EventNames.BLOCK_REQUEST);
        calls = ofType(all, "blkflight.test.IoCall");
        statistics = ofType(all, EventNames.COLLECTOR_STATISTICS);
        configurations = ofType(all, EventNames.COLLECTOR_CONFIGURATION);
        stacks = ofType(all, EventNames.KERNEL_STACK);
    }

    public static Recorded read(Path file) throws IOException {
        return new Recorded(RecordingFile.readAllEvents(file));
    }

    private static List<RecordedEvent> ofType(List<RecordedEvent> all, String name) {
        return all.stream()
                .filter(e -> e.getEventType().getName().equals(name))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime))
                .collect(Collectors.toList());
    }

    /** The statistics at the end of the recording. */
    public RecordedEvent lastStatistics() {
        return statistics.stream().max(Comparator.comparing(RecordedEvent::getStartTime))
                .orElseThrow(() -> new AssertionError("the recording has no " + EventNames.COLLECTOR_STATISTICS + " event"));
    }

    /** One line per request, for failure messages. */
    public String describeRequests() {
        return requests.stream().map(Recorded::describe).collect(Collectors.joining("\n  ", "\n  ", "\n"));
    }

    public static String describe(RecordedEvent e) {
        return String.format("%s %s sector=%d bytes=%d thread=%s comm=%s pid=%d syscall=%s start=%s end=%s gen=%d",
                e.getString("device"), e.getString("operation"), e.getLong("sector"), e.getLong("bytes"),
                e.getThread("javaThread") == null ? "-" : e.getThread("javaThread").getJavaName(), e.getString("comm"),
                e.getInt("pid"), e.getString("syscall"), e.getStartTime(), e.getEndTime(), e.getInt("generation"));
    }
}
