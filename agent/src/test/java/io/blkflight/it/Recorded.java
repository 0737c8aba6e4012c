package io.blkflight.it;

import io.blkflight.model.EventNames;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The events of one recording, by kind, in time order. Requests of either format are read as the full
 * event's fields: a compact request's shape and address are joined in, its 0 spans read as N/A.
 */
public final class Recorded {
    public final List<Request> requests;
    public final List<RecordedEvent> calls;
    public final List<RecordedEvent> statistics;
    public final List<RecordedEvent> configurations;
    public final List<RecordedEvent> stacks;

    private Recorded(List<RecordedEvent> all) {
        Map<Long, RecordedEvent> shapes = new HashMap<>();
        for (RecordedEvent shape : ofType(all, EventNames.REQUEST_SHAPE)) {
            shapes.putIfAbsent(shape.getLong(EventNames.Shape.SHAPE_ID), shape);
        }
        Map<Long, Long> addresses = new HashMap<>();
        for (RecordedEvent address : ofType(all, EventNames.REQUEST_ADDRESS)) {
            addresses.putIfAbsent(address.getLong(EventNames.Address.ADDRESS_ID), address.getLong(EventNames.Address.REQUEST_ADDRESS));
        }
        Map<Long, RecordedEvent> files = new HashMap<>();
        for (RecordedEvent file : ofType(all, EventNames.FILE)) {
            files.putIfAbsent(file.getLong(EventNames.File.FILE_ID), file);
        }
        List<Request> both = new ArrayList<>();
        for (RecordedEvent full : ofType(all, EventNames.BLOCK_REQUEST)) {
            both.add(new Request(full, null, 0, null));
        }
        for (RecordedEvent compact : ofType(all, EventNames.COMPACT_REQUEST)) {
            RecordedEvent shape = shapes.get(compact.getLong(EventNames.Compact.SHAPE));
            Long address = addresses.get(compact.getLong(EventNames.Compact.ADDRESS));
            long fileId = compact.hasField(EventNames.Compact.FILE) ? compact.getLong(EventNames.Compact.FILE) : 0;
            RecordedEvent file = fileId == 0 ? null : files.get(fileId);
            if (shape == null || address == null || (fileId != 0 && file == null)) {
                throw new AssertionError("compact request without its shape, address or file in the recording: " + compact);
            }
            both.add(new Request(compact, shape, address, file));
        }
        both.sort(Comparator.comparing(Request::getStartTime));
        requests = List.copyOf(both);
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

    public static String describe(Request e) {
        return String.format("%s %s sector=%d bytes=%d thread=%s comm=%s pid=%d syscall=%s start=%s end=%s gen=%d file=%s",
                e.getString("device"), e.getString("operation"), e.getLong("sector"), e.getLong("bytes"),
                e.getThread("javaThread") == null ? "-" : e.getThread("javaThread").getJavaName(), e.getString("comm"),
                e.getInt("pid"), e.getString("syscall"), e.getStartTime(), e.getEndTime(), e.getInt("generation"),
                e.file());
    }

    /** A block request of either format, read by the full event's field names. */
    public static final class Request {
        private static final Set<String> SPANS = Set.of(EventNames.Request.ALLOCATION_TIME, EventNames.Request.INSERT_TIME,
                EventNames.Request.QUEUE_TIME, EventNames.Request.SERVICE_TIME);
        private final RecordedEvent event;
        private final RecordedEvent shape;
        private final long address;
        private final RecordedEvent file;

        Request(RecordedEvent event, RecordedEvent shape, long address, RecordedEvent file) {
            this.event = event;
            this.shape = shape;
            this.address = address;
            this.file = file;
        }

        /** What the request read or wrote (the full event's file field, a compact one's blkflight.File path); "" if none. */
        public String file() {
            if (shape == null) {
                return event.hasField(EventNames.Request.FILE) && event.getString(EventNames.Request.FILE) != null
                        ? event.getString(EventNames.Request.FILE) : "";
            }
            return file == null ? "" : file.getString(EventNames.File.PATH);
        }

        /**
         * For a file renamed while in use, the path it had before: a compact request's blkflight.File renamedFrom, in
         * the full format what its file says after the path (FileGlob.renamedFrom); "" when not renamed.
         */
        public String fileRenamedFrom() {
            if (file == null) {
                String from = io.blkflight.model.FileGlob.renamedFrom(file());
                return from == null ? "" : from;
            }
            return file.getString(EventNames.File.RENAMED_FROM);
        }

        /** The kind of what a compact request's file is (file, journal, ...); "" for the full format, which has none. */
        public String fileKind() {
            return file == null ? "" : file.getString(EventNames.File.KIND);
        }

        /** Whether the request was written in the compact format. */
        public boolean compact() {
            return shape != null;
        }

        private RecordedEvent holder(String field) {
            return shape != null && shape.hasField(field) && !field.equals(EventNames.Compact.JAVA_THREAD) ? shape : event;
        }

        public String getString(String field) {
            if (field.equals(EventNames.Request.FILE)) {
                return file();
            }
            return holder(field).getString(field);
        }

        public int getInt(String field) {
            return holder(field).getInt(field);
        }

        public long getLong(String field) {
            if (shape == null) {
                return event.getLong(field);
            }
            if (field.equals(EventNames.Request.INODE)) {
                return file == null ? 0 : file.getLong(EventNames.File.INODE);
            }
            if (field.equals(EventNames.Request.REQUEST_ADDRESS)) {
                return address;
            }
            if (field.equals(EventNames.Request.SYSCALL_START)) {
                return event.getLong(EventNames.Compact.SYSCALL_TIME) == 0 ? Long.MIN_VALUE : nanos(getInstant(field));
            }
            long value = holder(field).getLong(field);
            return SPANS.contains(field) && value == 0 ? Long.MIN_VALUE : value;
        }

        public Instant getInstant(String field) {
            if (shape != null && field.equals(EventNames.Request.SYSCALL_START)) {
                return event.getStartTime().minusNanos(event.getLong(EventNames.Compact.SYSCALL_TIME));
            }
            return event.getInstant(field);
        }

        public Duration getDuration(String field) {
            return Duration.ofNanos(getLong(field));
        }

        public RecordedThread getThread(String field) {
            return event.getThread(field);
        }

        public Instant getStartTime() {
            return event.getStartTime();
        }

        public Instant getEndTime() {
            return event.getEndTime();
        }

        public Duration getDuration() {
            return event.getDuration();
        }

        private static long nanos(Instant instant) {
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        }

        @Override
        public String toString() {
            return shape == null ? event.toString() : event + "\n" + shape;
        }
    }
}
