package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.EventNames;
import io.blkflight.model.EventNames.Compact;
import io.blkflight.model.EventNames.Request;
import io.blkflight.model.Formats;
import io.blkflight.model.Frames;
import io.blkflight.model.FunctionHit;
import io.blkflight.model.FunctionPath;
import io.blkflight.model.JavaLink;
import io.blkflight.model.JavaStackIndex;
import io.blkflight.model.RequestShape;
import io.blkflight.model.Stage;
import io.blkflight.model.Text;

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
import java.util.function.Predicate;

import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * A recording's block requests as the model sees them, read with jdk.jfr.consumer in two passes that
 * keep memory small: the first indexes kernel stacks, compact requests' shapes and addresses, the JDK's
 * file events and method samples (what links a request to its Java stack) and the collector's own
 * events; the second streams the requests of either format, each with its kernel stacks and Java link.
 */
final class RecordedRequests implements AutoCloseable {
    private final RecordingInput input;
    private final Map<Long, List<String>> kernelStacks = new HashMap<>();
    private final Map<Long, RequestShape> shapes = new HashMap<>();
    private final Map<Long, Long> addresses = new HashMap<>();
    /** Compact requests' files by id: the path (or label) and kind. */
    private final Map<Long, String[]> files = new HashMap<>();
    private final Map<List<String>, JavaLink> javaStacks = new HashMap<>();
    /** The parser hands out one RecordedStackTrace per stack of a chunk: most look-ups end here. */
    private final Map<RecordedStackTrace, JavaLink> javaStacksByTrace = new IdentityHashMap<>();
    /** Whether an event type has every field the model reads (checked once per type, not per event). */
    private final Map<EventType, Boolean> completeTypes = new IdentityHashMap<>();
    /** Whether an event type has the function-level fields (recordings of older agents do not). */
    private final Map<EventType, Boolean> pathTypes = new IdentityHashMap<>();
    /** Whether an event type names the request's file (recordings of agents before files do not). */
    private final Map<EventType, Boolean> fileTypes = new IdentityHashMap<>();
    private final Map<EventType, Boolean> writebackTypes = new IdentityHashMap<>();
    private final Map<EventType, Boolean> endedThreadTypes = new IdentityHashMap<>();
    /** Whether an event type names the carrier of a virtual thread (recordings of agents before them do not). */
    private final Map<EventType, Boolean> carrierTypes = new IdentityHashMap<>();
    private final Map<String, List<String>> stageSets = new HashMap<>();
    private final JavaStackIndex java = new JavaStackIndex();
    private final Progress progress;
    private RecordedEvent configuration;
    private RecordedEvent statistics;
    private long requests;
    private long firstStart = Long.MAX_VALUE;
    private long malformed;

    private RecordedRequests(RecordingInput input, Progress progress) {
        this.input = input;
        this.progress = progress;
    }

    /** Without a file: events handed in one at a time as a JFR stream delivers them ({@link RequestStream}). */
    RecordedRequests() {
        this(null, Progress.quiet());
    }

    /**
     * A streamed event: a request event converted to the model (not yet linked to its Java stack), or null for any
     * other event, which is indexed (stacks, shapes, files, the JDK's file events and samples), or for a request whose
     * type, shape or file is not there (counted in {@link #malformed()}).
     */
    BlockRequest accept(RecordedEvent event) {
        String name = event.getEventType().getName();
        boolean full = name.equals(EventNames.BLOCK_REQUEST);
        if (!full && !name.equals(EventNames.COMPACT_REQUEST)) {
            index(event);
            return null;
        }
        BlockRequest request;
        try {
            request = full ? toModel(event) : compactToModel(event);
        } catch (RuntimeException e) {
            request = null;
        }
        if (request == null) {
            malformed++;
        }
        return request;
    }

    /** Links a streamed request to its Java stack, from the events indexed so far. */
    void link(BlockRequest request) {
        java.link(request);
    }

    /**
     * Forgets the Java events that ended before the time, and the stacks, shapes, addresses and files past what the
     * agent keeps at once (it writes them again in each chunk that needs them): a stream's index stays bounded.
     */
    void forgetBefore(long time, int maxEntries) {
        java.forgetBefore(time);
        for (Map<Long, ?> map : List.of(kernelStacks, shapes, addresses, files)) {
            if (map.size() > maxEntries) {
                map.clear();
            }
        }
        javaStacks.clear();
        javaStacksByTrace.clear();
    }

    /** Reads the index (the first pass) of a recording file or a JFR repository folder; close it when done. */
    static RecordedRequests open(Path file, Progress progress) throws ReportException {
        RecordingInput input = RecordingInput.open(file);
        RecordedRequests recorded = new RecordedRequests(input, progress);
        try {
            progress.phase("indexing", 0);
            input.forEach(recorded::index);
        } catch (ReportException | RuntimeException e) {
            input.close();
            throw e;
        }
        return recorded;
    }

    private void index(RecordedEvent event) {
        progress.step();
        switch (event.getEventType().getName()) {
            case EventNames.BLOCK_REQUEST:
            case EventNames.COMPACT_REQUEST:
                requests++;
                firstStart = Math.min(firstStart, nanos(event.getStartTime()));
                break;
            case EventNames.REQUEST_SHAPE:
                if (hasFields(event.getEventType(), SHAPE_FIELDS)) {
                    shapes.putIfAbsent(event.getLong(EventNames.Shape.SHAPE_ID), RequestShape.of(
                            event.getString(EventNames.Shape.DEVICE), event.getString(EventNames.Shape.DEVICE_NUMBER),
                            event.getString(EventNames.Shape.OPERATION), event.getString(EventNames.Shape.FLAGS),
                            event.getString(EventNames.Shape.STATUS), event.getString(EventNames.Shape.SYSCALL),
                            event.getInt(EventNames.Shape.PID), event.getLong(EventNames.Shape.OS_THREAD_ID),
                            event.getString(EventNames.Shape.COMM), event.getString(EventNames.Shape.STAGES_IN_ISSUER),
                            sampleKind(event), optionalString(event, EventNames.Shape.WRITEBACK),
                            optionalString(event, EventNames.Shape.CREDIT), optionalString(event, EventNames.Shape.ORIGIN),
                            (int) optionalNumber(event, EventNames.Shape.HOST_PID),
                            optionalNumber(event, EventNames.Shape.HOST_THREAD_ID),
                            optionalString(event, EventNames.Shape.CGROUP)));
                }
                break;
            case EventNames.REQUEST_ADDRESS:
                if (hasFields(event.getEventType(), ADDRESS_FIELDS)) {
                    addresses.putIfAbsent(event.getLong(EventNames.Address.ADDRESS_ID),
                            event.getLong(EventNames.Address.REQUEST_ADDRESS));
                }
                break;
            case EventNames.FILE:
                if (hasFields(event.getEventType(), FILE_FIELDS)) {
                    files.putIfAbsent(event.getLong(EventNames.File.FILE_ID), new String[] {
                        Text.cleanPath(event.getString(EventNames.File.PATH)), Text.clean(event.getString(EventNames.File.KIND)),
                        Long.toString(event.getLong(EventNames.File.INODE))});
                }
                break;
            case EventNames.KERNEL_STACK:
                if (hasFields(event.getEventType(), STACK_FIELDS)) {
                    String frames = event.getString(EventNames.Stack.FRAMES);
                    kernelStacks.putIfAbsent(event.getLong(EventNames.Stack.STACK_ID), frames == null || frames.isEmpty()
                            ? List.of() : Arrays.stream(frames.split("\n")).limit(MAX_KERNEL_FRAMES).map(Text::clean).toList());
                }
                break;
            case EventNames.FILE_READ:
            case EventNames.FILE_WRITE:
            case EventNames.FILE_FORCE:
                threadOf(event).ifPresent(thread -> java.addFileEvent(thread, nanos(event.getStartTime()),
                        nanos(event.getEndTime()), optionalString(event, EventNames.FILE_EVENT_PATH),
                        javaLink(event.getStackTrace(), JavaLink.Source.FILE_EVENT)));
                break;
            case EventNames.FAULT_STACK:
                if (hasFields(event.getEventType(), FAULT_STACK_FIELDS)) {
                    faultStackThread(event).ifPresent(thread -> java.addFaultStack(thread, nanos(event.getStartTime()),
                            nanos(event.getEndTime()), faultStack(event.getString(EventNames.FaultStack.FRAMES))));
                }
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
        input.forEach(event -> {
            String name = event.getEventType().getName();
            boolean full = name.equals(EventNames.BLOCK_REQUEST);
            if (full || name.equals(EventNames.COMPACT_REQUEST)) {
                progress.step();
                BlockRequest request;
                try {
                    request = full ? toModel(event) : compactToModel(event);
                } catch (RuntimeException e) {
                    request = null;
                }
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
        JavaThread thread = javaThread(e);
        BlockRequest.Builder b = BlockRequest.builder()
                .time(nanos(e.getStartTime()), e.getDuration().toNanos())
                .where(Text.clean(e.getString(Request.DEVICE)), Text.clean(e.getString(Request.DEVICE_NUMBER)),
                        Text.clean(e.getString(Request.OPERATION)), Text.clean(e.getString(Request.FLAGS)),
                        e.getLong(Request.SECTOR), e.getLong(Request.BYTES))
                .stages(e.getLong(Request.ALLOCATION_TIME), e.getLong(Request.INSERT_TIME), e.getLong(Request.QUEUE_TIME),
                        e.getLong(Request.SERVICE_TIME))
                .status(Text.clean(e.getString(Request.STATUS)))
                .issuer(e.getInt(Request.PID), e.getLong(Request.OS_THREAD_ID), Text.clean(e.getString(Request.COMM)),
                        thread.name(), thread.id())
                .syscall(Text.clean(e.getString(Request.SYSCALL)), e.getLong(Request.SYSCALL_START) == BlockRequest.NOT_AVAILABLE
                        ? BlockRequest.NOT_AVAILABLE : nanos(e.getInstant(Request.SYSCALL_START)))
                .lifecycle(e.getLong(Request.REQUEST_ADDRESS), e.getInt(Request.GENERATION))
                .lifecycleCounts(cleanOrNull(optionalString(e, Request.ORIGIN)), (int) optionalNumber(e, Request.REQUEUES),
                        (int) optionalNumber(e, Request.MERGES))
                .host((int) optionalNumber(e, Request.HOST_PID), optionalNumber(e, Request.HOST_THREAD_ID),
                        optionalString(e, Request.CGROUP) == null ? null : Text.cleanPath(e.getString(Request.CGROUP)))
                .sampleKind(sampleKind(e));
        thread.fill(b);
        String stages = e.getString(Request.STAGES_IN_ISSUER);
        List<String> inIssuer = stages == null ? List.of() : stageSets.computeIfAbsent(stages, s -> Arrays.asList(s.split(",")));
        kernelStacks(e, b, stage -> inIssuer.contains(stage.label()));
        if (pathTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, PATH_FIELDS))) {
            for (FunctionPath.Entry entry : FunctionPath.parse(e.getString(Request.FUNCTION_PATH))) {
                b.functionHit(new FunctionHit(entry.offsetNanos(), entry.function(), entry.inIssuer(),
                        entry.stackId() == 0 ? List.of() : kernelStacks.getOrDefault(entry.stackId(), List.of())));
            }
            b.functionHitsLost(e.getInt(Request.FUNCTION_HITS_LOST));
        }
        if (fileTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, FULL_FILE_FIELDS))) {
            b.file(Text.cleanPath(e.getString(Request.FILE)), "", e.getLong(Request.INODE), e.getInt(Request.OTHER_FILES));
        }
        if (writebackTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, FULL_WRITEBACK_FIELDS))) {
            long age = e.getLong(Request.DIRTY_AGE);
            b.writeback(Text.clean(e.getString(Request.WRITEBACK)), Text.clean(e.getString(Request.CREDIT)),
                    e.getInt(Request.DIRTIERS), age == BlockRequest.NOT_AVAILABLE ? age : nanos(e.getStartTime()) - age)
                    .otherDirtier(cleanOrNull(optionalString(e, Request.DIRTIER)));
        }
        return b.build();
    }

    /** A compact request joined with its shape and address; null when its type or shape is not there. */
    private BlockRequest compactToModel(RecordedEvent e) {
        if (!completeTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, COMPACT_REQUIRED))) {
            return null;
        }
        RequestShape shape = shapes.get(e.getLong(Compact.SHAPE));
        if (shape == null) {
            return null;
        }
        JavaThread thread = javaThread(e);
        boolean writeback = writebackTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, COMPACT_WRITEBACK_FIELDS));
        long start = nanos(e.getStartTime());
        BlockRequest.Builder b = shape.fill(BlockRequest.builder().time(start, e.getDuration().toNanos()), start,
                e.getLong(Compact.SECTOR), e.getLong(Compact.BYTES), e.getLong(Compact.ALLOCATION_TIME),
                e.getLong(Compact.INSERT_TIME), e.getLong(Compact.QUEUE_TIME), e.getLong(Compact.SERVICE_TIME),
                e.getLong(Compact.SYSCALL_TIME), thread.name(), thread.id(), writeback ? e.getInt(Compact.DIRTIERS) : 0,
                writeback ? e.getLong(Compact.DIRTY_AGE) : 0)
                .lifecycle(addresses.getOrDefault(e.getLong(Compact.ADDRESS), 0L), e.getInt(Compact.GENERATION))
                .lifecycleCounts(shape.origin(), (int) optionalNumber(e, Compact.REQUEUES), (int) optionalNumber(e, Compact.MERGES));
        thread.fill(b);
        kernelStacks(e, b, shape.stagesInIssuer()::contains);
        if (writeback) {
            b.otherDirtier(cleanOrNull(optionalString(e, Compact.DIRTIER)));
        }
        if (fileTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, COMPACT_FILE_FIELDS))) {
            long id = e.getLong(Compact.FILE);
            String[] file = id == 0 ? null : files.get(id);
            if (id != 0 && file == null) {
                return null;
            }
            if (file != null) {
                b.file(file[0], file[1], Long.parseLong(file[2]), e.getInt(Compact.OTHER_FILES));
            }
        }
        return b.build();
    }

    /**
     * A request's Java thread as the model names it: name (null: none) and id (-1: none), and for a virtual thread its
     * carrier's name (null when not known).
     */
    private record JavaThread(String name, long id, boolean virtual, String carrier) {
        static final JavaThread NONE = new JavaThread(null, -1, false, null);

        void fill(BlockRequest.Builder builder) {
            if (virtual) {
                builder.virtualThread(carrier);
            }
        }
    }

    /**
     * The request's Java thread: javaThread; else the one the agent named in endedThread, where JDK 17's JFR wrote an
     * ended thread as none or the agent no longer held a virtual thread (then carrierThread is set). An unnamed virtual
     * thread is named by its id.
     */
    private JavaThread javaThread(RecordedEvent e) {
        RecordedThread thread = e.getThread(Request.JAVA_THREAD);
        RecordedThread carrier = carrierTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, CARRIER_FIELDS))
                ? e.getThread(Request.CARRIER_THREAD) : null;
        String carrierName = carrier == null ? null : Text.clean(carrier.getJavaName());
        if (thread != null) {
            boolean virtual = carrier != null || isVirtual(thread);
            long id = thread.getJavaThreadId();
            String name = Text.clean(thread.getJavaName());
            return new JavaThread(virtual ? BlockRequest.virtualThreadName(name, id) : name, id, virtual, carrierName);
        }
        if (!endedThreadTypes.computeIfAbsent(e.getEventType(), type -> hasFields(type, ENDED_THREAD_FIELDS))) {
            return JavaThread.NONE;
        }
        String name = e.getString(Request.ENDED_THREAD);
        long id = e.getLong(Request.ENDED_THREAD_ID);
        if (carrier != null && id != 0) {
            return new JavaThread(BlockRequest.virtualThreadName(name == null ? "" : Text.clean(name), id), id, true, carrierName);
        }
        return name == null || name.isEmpty() ? JavaThread.NONE : new JavaThread(Text.clean(name), id, false, null);
    }

    /** Whether JFR recorded the thread as virtual (JDK 21 and later write the field). */
    private static boolean isVirtual(RecordedThread thread) {
        return thread.hasField(VIRTUAL) && thread.getBoolean(VIRTUAL);
    }

    private static final String VIRTUAL = "virtual";

    private static String cleanOrNull(String text) {
        return text == null ? null : Text.clean(text);
    }

    /** A string field that recordings of older agents (or other events) may not have: null then. */
    private static String optionalString(RecordedEvent e, String field) {
        ValueDescriptor descriptor = e.getEventType().getField(field);
        return descriptor != null && descriptor.getTypeName().equals(STRING) ? e.getString(field) : null;
    }

    /** An int or long field that recordings of older agents may not have: 0 then. */
    private static long optionalNumber(RecordedEvent e, String field) {
        ValueDescriptor descriptor = e.getEventType().getField(field);
        if (descriptor == null) {
            return 0;
        }
        return switch (descriptor.getTypeName()) {
            case INT, LONG -> e.getLong(field);
            default -> 0;
        };
    }

    /** The request's kind for stack sampling, where the recording has it (agents before sampling did not). */
    private static int sampleKind(RecordedEvent event) {
        ValueDescriptor field = event.getEventType().getField(Request.SAMPLE_KIND);
        return field != null && field.getTypeName().equals(INT) ? event.getInt(Request.SAMPLE_KIND) : -1;
    }

    /**
     * Whether the recording's kernel stacks are a sample (the agent's configuration says stacks=N/s), so trees scale
     * them: recordings of agents before sampling, and stacks=all, hold every request's.
     */
    boolean stacksSampled() {
        if (configuration == null || !configuration.hasField(EventNames.Configuration.STACKS)) {
            return false;
        }
        Object stacks = configuration.getValue(EventNames.Configuration.STACKS);
        return stacks instanceof String mode && mode.endsWith("/s");
    }

    /** The agent's stacks option as the recording's configuration says it, or null. */
    String stacksOption() {
        if (configuration == null || !configuration.hasField(EventNames.Configuration.STACKS)) {
            return null;
        }
        Object stacks = configuration.getValue(EventNames.Configuration.STACKS);
        return stacks instanceof String mode ? Text.clean(mode) : null;
    }

    /**
     * Each stage's kernel stack, by the id either format names it with, and whether it ran in the issuing thread;
     * and how many requests its stacks stand for, where the recording says (sampled stacks).
     */
    private void kernelStacks(RecordedEvent e, BlockRequest.Builder b, Predicate<Stage> inIssuer) {
        for (Stage stage : Stage.values()) {
            long id = e.getLong(Request.stack(stage));
            b.kernelStack(stage, id == 0 ? List.of() : kernelStacks.getOrDefault(id, List.of()), inIssuer.test(stage));
        }
        ValueDescriptor weight = e.getEventType().getField(Request.STACK_WEIGHT);
        if (weight != null && weight.getTypeName().equals(INT)) {
            b.stackWeight(e.getInt(Request.STACK_WEIGHT));
        }
    }

    /** More frames than any kernel stack the agent keeps (64); a longer one is cut, not trusted. */
    private static final int MAX_KERNEL_FRAMES = 128;
    /** JFR's own limit on a stack trace's depth. */
    private static final int MAX_JAVA_FRAMES = 2048;

    private static final String STRING = "java.lang.String";
    private static final String LONG = "long";
    private static final String INT = "int";
    private static final String THREAD = "java.lang.Thread";

    /** Every field the model reads, with the type it must have: a recording may hold anything under our names. */
    private static final Map<String, String> REQUIRED = Map.ofEntries(
            Map.entry(Request.DEVICE, STRING), Map.entry(Request.DEVICE_NUMBER, STRING), Map.entry(Request.OPERATION, STRING),
            Map.entry(Request.FLAGS, STRING), Map.entry(Request.SECTOR, LONG), Map.entry(Request.BYTES, LONG),
            Map.entry(Request.ALLOCATION_TIME, LONG), Map.entry(Request.INSERT_TIME, LONG), Map.entry(Request.QUEUE_TIME, LONG),
            Map.entry(Request.SERVICE_TIME, LONG), Map.entry(Request.STATUS, STRING), Map.entry(Request.PID, INT),
            Map.entry(Request.OS_THREAD_ID, LONG), Map.entry(Request.COMM, STRING), Map.entry(Request.JAVA_THREAD, "java.lang.Thread"),
            Map.entry(Request.SYSCALL, STRING), Map.entry(Request.SYSCALL_START, LONG), Map.entry(Request.REQUEST_ADDRESS, LONG),
            Map.entry(Request.GENERATION, INT), Map.entry(Request.SUBMIT_STACK, LONG), Map.entry(Request.INSERT_STACK, LONG),
            Map.entry(Request.ISSUE_STACK, LONG), Map.entry(Request.COMPLETE_STACK, LONG), Map.entry(Request.STAGES_IN_ISSUER, STRING));

    private static final Map<String, String> COMPACT_REQUIRED = Map.ofEntries(
            Map.entry(Compact.SHAPE, LONG), Map.entry(Compact.SECTOR, LONG), Map.entry(Compact.BYTES, LONG),
            Map.entry(Compact.ALLOCATION_TIME, LONG), Map.entry(Compact.INSERT_TIME, LONG), Map.entry(Compact.QUEUE_TIME, LONG),
            Map.entry(Compact.SERVICE_TIME, LONG), Map.entry(Compact.SYSCALL_TIME, LONG),
            Map.entry(Compact.JAVA_THREAD, "java.lang.Thread"), Map.entry(Compact.ADDRESS, LONG), Map.entry(Compact.GENERATION, INT),
            Map.entry(Compact.SUBMIT_STACK, LONG), Map.entry(Compact.INSERT_STACK, LONG), Map.entry(Compact.ISSUE_STACK, LONG),
            Map.entry(Compact.COMPLETE_STACK, LONG));

    private static final Map<String, String> SHAPE_FIELDS = Map.ofEntries(
            Map.entry(EventNames.Shape.SHAPE_ID, LONG), Map.entry(EventNames.Shape.DEVICE, STRING),
            Map.entry(EventNames.Shape.DEVICE_NUMBER, STRING), Map.entry(EventNames.Shape.OPERATION, STRING),
            Map.entry(EventNames.Shape.FLAGS, STRING), Map.entry(EventNames.Shape.STATUS, STRING),
            Map.entry(EventNames.Shape.SYSCALL, STRING), Map.entry(EventNames.Shape.PID, INT),
            Map.entry(EventNames.Shape.OS_THREAD_ID, LONG), Map.entry(EventNames.Shape.COMM, STRING),
            Map.entry(EventNames.Shape.STAGES_IN_ISSUER, STRING));

    private static final Map<String, String> ADDRESS_FIELDS = Map.of(EventNames.Address.ADDRESS_ID, LONG,
            EventNames.Address.REQUEST_ADDRESS, LONG);

    private static final Map<String, String> PATH_FIELDS = Map.of(Request.FUNCTION_PATH, STRING, Request.FUNCTION_HITS_LOST, INT);

    private static final Map<String, String> FULL_FILE_FIELDS = Map.of(Request.FILE, STRING, Request.INODE, LONG,
            Request.OTHER_FILES, INT);

    private static final Map<String, String> FULL_WRITEBACK_FIELDS = Map.of(Request.WRITEBACK, STRING, Request.CREDIT, STRING,
            Request.DIRTIERS, INT, Request.DIRTY_AGE, LONG);

    private static final Map<String, String> COMPACT_WRITEBACK_FIELDS = Map.of(Compact.DIRTIERS, INT, Compact.DIRTY_AGE, LONG);

    private static final Map<String, String> ENDED_THREAD_FIELDS = Map.of(Request.ENDED_THREAD, STRING,
            Request.ENDED_THREAD_ID, LONG);

    private static final Map<String, String> CARRIER_FIELDS = Map.of(Request.CARRIER_THREAD, THREAD);

    private static final Map<String, String> COMPACT_FILE_FIELDS = Map.of(Compact.FILE, LONG, Compact.OTHER_FILES, INT);

    private static final Map<String, String> FILE_FIELDS = Map.of(EventNames.File.FILE_ID, LONG, EventNames.File.PATH, STRING,
            EventNames.File.KIND, STRING, EventNames.File.INODE, LONG);

    private static boolean hasEveryField(EventType type) {
        return hasFields(type, REQUIRED);
    }

    static boolean hasFields(EventType type, Map<String, String> fields) {
        for (Map.Entry<String, String> field : fields.entrySet()) {
            ValueDescriptor descriptor = type.getField(field.getKey());
            if (descriptor == null || !descriptor.getTypeName().equals(field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static final Map<String, String> STACK_FIELDS = Map.of(EventNames.Stack.STACK_ID, LONG, EventNames.Stack.FRAMES, STRING);

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
            if (frames.size() == MAX_JAVA_FRAMES) {
                break;
            }
            if (frame.getMethod() == null) {
                continue;
            }
            frames.add(Text.clean(Frames.javaFrame(frame.getMethod().getType().getName(), frame.getMethod().getName())));
            lines.add(frame.getLineNumber());
        }
        List<String> key = new ArrayList<>(frames);
        key.add(source.name());
        key.addAll(lines.stream().map(String::valueOf).toList());
        return javaStacks.computeIfAbsent(key, k -> new JavaLink(source, frames, lines));
    }

    /** A fault stack's frames as a link, one object per distinct stack (a busy scan repeats the same one). */
    private JavaLink faultStack(String frames) {
        JavaLink parsed = Frames.parseJavaStack(frames, JavaLink.Source.FAULT_STACK);
        List<String> key = new ArrayList<>(parsed.frames());
        key.add(JavaLink.Source.FAULT_STACK.name());
        key.addAll(parsed.lines().stream().map(String::valueOf).toList());
        return javaStacks.computeIfAbsent(key, k -> parsed);
    }

    /** The Java thread of a fault stack: javaThread, or where JDK 17's JFR wrote an ended thread as none, endedThreadId. */
    private static Optional<Long> faultStackThread(RecordedEvent event) {
        RecordedThread thread = event.getThread(EventNames.FaultStack.JAVA_THREAD);
        if (thread != null) {
            return Optional.of(thread.getJavaThreadId());
        }
        ValueDescriptor ended = event.getEventType().getField(EventNames.FaultStack.ENDED_THREAD_ID);
        long id = ended != null && ended.getTypeName().equals(LONG) ? event.getLong(EventNames.FaultStack.ENDED_THREAD_ID) : 0;
        return id > 0 ? Optional.of(id) : Optional.empty();
    }

    private static final Map<String, String> FAULT_STACK_FIELDS = Map.of(EventNames.FaultStack.FRAMES, STRING,
            EventNames.FaultStack.JAVA_THREAD, "java.lang.Thread");

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

    /** Requests that did not have the fields of a blkflight.BlockRequest or CompactRequest (or its shape) and were skipped. */
    long malformed() {
        return malformed;
    }

    /** What the report and the summary say about the skipped requests. */
    String malformedNote() {
        return Formats.count(malformed) + " request events without the fields of " + EventNames.BLOCK_REQUEST + " or "
                + EventNames.COMPACT_REQUEST + " (or with a shape or file the recording does not hold) were skipped";
    }

    /** What was read: the file, or the repository folder. */
    String source() {
        return input.source();
    }

    /** "partial: ..." when the JVM stopped without finishing the recording. */
    Optional<String> partialNote() {
        return input.partialNote();
    }

    @Override
    public void close() {
        if (input != null) {
            input.close();
        }
    }

    RecordedEvent configuration() {
        return configuration;
    }

    RecordedEvent statistics() {
        return statistics;
    }

}
