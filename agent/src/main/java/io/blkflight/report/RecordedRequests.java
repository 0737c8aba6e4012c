package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.EventNames;
import io.blkflight.model.EventNames.Request;
import io.blkflight.model.Frames;
import io.blkflight.model.JavaLink;
import io.blkflight.model.JavaStackIndex;
import io.blkflight.model.Stage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * A recording's block requests as the model sees them, read with jdk.jfr.consumer in two passes that
 * keep memory small: the first indexes kernel stacks, the JDK's file events and method samples (what
 * links a request to its Java stack) and the collector's own events; the second streams the requests,
 * each with its kernel stacks and Java link.
 */
final class RecordedRequests {
    private final Path file;
    private final Map<Long, List<String>> kernelStacks = new HashMap<>();
    private final Map<List<String>, JavaLink> javaStacks = new HashMap<>();
    /** The parser hands out one RecordedStackTrace per stack of a chunk: most look-ups end here. */
    private final Map<RecordedStackTrace, JavaLink> javaStacksByTrace = new IdentityHashMap<>();
    /** Whether an event type has every field the model reads (checked once per type, not per event). */
    private final Map<EventType, Boolean> completeTypes = new IdentityHashMap<>();
    private final Map<String, List<String>> stageSets = new HashMap<>();
    private final JavaStackIndex java = new JavaStackIndex();
    private final Progress progress;
    private RecordedEvent configuration;
    private RecordedEvent statistics;
    private long requests;
    private long firstStart = Long.MAX_VALUE;
    private long malformed;

    private RecordedRequests(Path file, Progress progress) {
        this.file = file;
        this.progress = progress;
    }

    /** Reads the recording's index (the first pass). */
    static RecordedRequests open(Path file, Progress progress) throws ReportException {
        RecordedRequests recorded = new RecordedRequests(file, progress);
        progress.phase("indexing", 0);
        RecordingInput.forEach(file, recorded::index);
        return recorded;
    }

    private void index(RecordedEvent event) {
        progress.step();
        switch (event.getEventType().getName()) {
            case EventNames.BLOCK_REQUEST:
                requests++;
                firstStart = Math.min(firstStart, nanos(event.getStartTime()));
                break;
            case EventNames.KERNEL_STACK:
                if (has(event, EventNames.Stack.STACK_ID) && has(event, EventNames.Stack.FRAMES)) {
                    String frames = event.getString(EventNames.Stack.FRAMES);
                    kernelStacks.putIfAbsent(event.getLong(EventNames.Stack.STACK_ID),
                            frames == null || frames.isEmpty() ? List.of() : List.of(frames.split("\n")));
                }
                break;
            case EventNames.FILE_READ:
            case EventNames.FILE_WRITE:
            case EventNames.FILE_FORCE:
                threadOf(event).ifPresent(thread -> java.addFileEvent(thread, nanos(event.getStartTime()),
                        nanos(event.getEndTime()), javaLink(event.getStackTrace(), JavaLink.Source.FILE_EVENT)));
                break;
            case EventNames.NATIVE_METHOD_SAMPLE:
            case EventNames.EXECUTION_SAMPLE:
                JavaLink.Source source = event.getEventType().getName().equals(EventNames.NATIVE_METHOD_SAMPLE)
                        ? JavaLink.Source.NATIVE_SAMPLE : JavaLink.Source.EXECUTION_SAMPLE;
                sampledThread(event).ifPresent(thread -> java.addSample(thread, nanos(event.getStartTime()),
                        javaLink(event.getStackTrace(), source)));
                break;
            case EventNames.COLLECTOR_CONFIGURATION:
                if (configuration == null || !event.getStartTime().isBefore(configuration.getStartTime())) {
                    configuration = event;
                }
                break;
            case EventNames.COLLECTOR_STATISTICS:
                if (statistics == null || !event.getStartTime().isBefore(statistics.getStartTime())) {
                    statistics = event;
                }
                break;
            default:
                break;
        }
    }

    /** Streams every block request (the second pass), linked to its Java stack. */
    void forEach(Consumer<BlockRequest> consumer) throws ReportException {
        progress.phase("reading requests", requests);
        RecordingInput.forEach(file, event -> {
            if (event.getEventType().getName().equals(EventNames.BLOCK_REQUEST)) {
                progress.step();
                BlockRequest request = toModel(event);
                if (request == null) {
                    malformed++;
                    return;
                }
                java.link(request);
                consumer.accept(request);
            }
        });
        progress.done();
    }

    private BlockRequest toModel(RecordedEvent e) {
        if (!completeTypes.computeIfAbsent(e.getEventType(), RecordedRequests::hasEveryField)) {
            return null;
        }
        RecordedThread thread = e.getThread(Request.JAVA_THREAD);
        BlockRequest.Builder b = BlockRequest.builder()
                .time(nanos(e.getStartTime()), e.getDuration().toNanos())
                .where(e.getString(Request.DEVICE), e.getString(Request.DEVICE_NUMBER), e.getString(Request.OPERATION),
                        e.getString(Request.FLAGS), e.getLong(Request.SECTOR), e.getLong(Request.BYTES))
                .stages(e.getLong(Request.ALLOCATION_TIME), e.getLong(Request.INSERT_TIME), e.getLong(Request.QUEUE_TIME),
                        e.getLong(Request.SERVICE_TIME))
                .status(e.getString(Request.STATUS))
                .issuer(e.getInt(Request.PID), e.getLong(Request.OS_THREAD_ID), e.getString(Request.COMM),
                        thread == null ? null : thread.getJavaName(), thread == null ? -1 : thread.getJavaThreadId())
                .syscall(e.getString(Request.SYSCALL), e.getLong(Request.SYSCALL_START) == BlockRequest.NOT_AVAILABLE
                        ? BlockRequest.NOT_AVAILABLE : nanos(e.getInstant(Request.SYSCALL_START)))
                .lifecycle(e.getLong(Request.REQUEST_ADDRESS), e.getInt(Request.GENERATION));
        String stages = e.getString(Request.STAGES_IN_ISSUER);
        List<String> inIssuer = stages == null ? List.of() : stageSets.computeIfAbsent(stages, s -> Arrays.asList(s.split(",")));
        for (Stage stage : Stage.values()) {
            long id = e.getLong(Request.stack(stage));
            b.kernelStack(stage, id == 0 ? List.of() : kernelStacks.getOrDefault(id, List.of()), inIssuer.contains(stage.label()));
        }
        return b.build();
    }

    private static final String[] REQUIRED = {
        Request.DEVICE, Request.DEVICE_NUMBER, Request.OPERATION, Request.FLAGS, Request.SECTOR, Request.BYTES,
        Request.ALLOCATION_TIME, Request.INSERT_TIME, Request.QUEUE_TIME, Request.SERVICE_TIME, Request.STATUS,
        Request.PID, Request.OS_THREAD_ID, Request.COMM, Request.JAVA_THREAD, Request.SYSCALL, Request.SYSCALL_START,
        Request.REQUEST_ADDRESS, Request.GENERATION, Request.SUBMIT_STACK, Request.INSERT_STACK, Request.ISSUE_STACK,
        Request.COMPLETE_STACK, Request.STAGES_IN_ISSUER,
    };

    private static boolean hasEveryField(EventType type) {
        for (String field : REQUIRED) {
            if (type.getField(field) == null) {
                return false;
            }
        }
        return true;
    }

    private static boolean has(RecordedEvent event, String field) {
        return event.hasField(field);
    }

    private JavaLink javaLink(RecordedStackTrace trace, JavaLink.Source source) {
        if (trace == null) {
            return new JavaLink(source, List.of(), List.of());
        }
        JavaLink known = javaStacksByTrace.get(trace);
        if (known != null && known.source() == source) {
            return known;
        }
        JavaLink link = javaLinkOf(trace, source);
        javaStacksByTrace.put(trace, link);
        return link;
    }

    private JavaLink javaLinkOf(RecordedStackTrace trace, JavaLink.Source source) {
        List<String> frames = new ArrayList<>(trace.getFrames().size());
        List<Integer> lines = new ArrayList<>(trace.getFrames().size());
        for (RecordedFrame frame : trace.getFrames()) {
            if (frame.getMethod() == null) {
                continue;
            }
            frames.add(Frames.javaFrame(frame.getMethod().getType().getName(), frame.getMethod().getName()));
            lines.add(frame.getLineNumber());
        }
        List<String> key = new ArrayList<>(frames);
        key.add(source.name());
        key.addAll(lines.stream().map(String::valueOf).toList());
        return javaStacks.computeIfAbsent(key, k -> new JavaLink(source, frames, lines));
    }

    private static Optional<Long> threadOf(RecordedEvent event) {
        RecordedThread thread = event.getThread();
        return thread == null ? Optional.empty() : Optional.of(thread.getJavaThreadId());
    }

    private static Optional<Long> sampledThread(RecordedEvent event) {
        RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : null;
        return thread == null ? Optional.empty() : Optional.of(thread.getJavaThreadId());
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    long requestCount() {
        return requests;
    }

    /** The start of the earliest request, epoch nanoseconds. */
    long firstStart() {
        return firstStart;
    }

    /** Requests that did not have the fields of a blkflight.BlockRequest and were skipped. */
    long malformed() {
        return malformed;
    }

    RecordedEvent configuration() {
        return configuration;
    }

    RecordedEvent statistics() {
        return statistics;
    }

}
