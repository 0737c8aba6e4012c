package io.blkflight.jmc.recording;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.FunctionHit;
import io.blkflight.model.FunctionPath;
import io.blkflight.model.EventNames;
import io.blkflight.model.Frames;
import io.blkflight.model.JavaLink;
import io.blkflight.model.JavaStackIndex;
import io.blkflight.model.RequestShape;
import io.blkflight.model.Stage;
import io.blkflight.model.Text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.openjdk.jmc.common.IMCFrame;
import org.openjdk.jmc.common.IMCStackTrace;
import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.JfrAttributes;

/**
 * Reads a recording's block requests from JMC's items by the rules the report command follows with
 * jdk.jfr.consumer (agent's RecordedRequests), so the page shows the trees the command prints: kernel
 * stacks from {@code blkflight.KernelStack} events by id, the stages that ran in the issuing thread from
 * {@code stagesInIssuer}, and the Java stack of each request linked by {@link JavaStackIndex} from the
 * JDK's file events and method samples, Java frames named by {@link Frames#javaFrame}.
 */
final class RecordingReader {
    /** One Java stack's frames, made immutable once so that every JavaLink of it shares them. */
    private record JavaFrames(List<String> frames, List<Integer> lines) {
    }

    /** A blkflight.File: what compact requests name by id. */
    private record FileName(String path, String kind, long inode) {
    }

    private final Map<Long, List<String>> kernelStacks = new HashMap<>();
    private final Map<Long, RequestShape> shapes = new HashMap<>();
    private final Map<Long, Long> addresses = new HashMap<>();
    /** Compact requests' files by id: path (or label), kind and inode. */
    private final Map<Long, FileName> files = new HashMap<>();
    /** JMC's parser hands out one IMCStackTrace per stack of a chunk: most look-ups end here. */
    private final Map<IMCStackTrace, JavaFrames> framesByTrace = new IdentityHashMap<>();
    private final Map<List<String>, JavaFrames> framesByValue = new HashMap<>();
    private final Map<String, List<String>> stageSets = new HashMap<>();
    private final JavaStackIndex java = new JavaStackIndex();
    /**
     * The JDK event behind each JavaLink handed to the index. Each event gets its own JavaLink instance, so
     * the link the index returns for a request names the event that made it.
     */
    private final Map<JavaLink, IItem> linkEvents = new IdentityHashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private long malformed;
    private boolean stacksSampled;

    static BlockIoRecording read(IItemCollection items, Optional<String> partialNote) {
        RecordingReader reader = new RecordingReader();
        for (IItemIterable stacks : items.apply(BlockIoConstants.KERNEL_STACKS)) {
            reader.indexKernelStacks(stacks);
        }
        for (IItemIterable shapes : items.apply(BlockIoConstants.REQUEST_SHAPES)) {
            reader.indexShapes(shapes);
        }
        for (IItemIterable addresses : items.apply(BlockIoConstants.REQUEST_ADDRESSES)) {
            reader.indexAddresses(addresses);
        }
        for (IItemIterable files : items.apply(BlockIoConstants.BLOCK_FILES)) {
            reader.indexFiles(files);
        }
        for (IItemIterable events : items.apply(BlockIoConstants.FILE_EVENTS)) {
            reader.indexJavaEvents(events, JavaLink.Source.FILE_EVENT);
        }
        for (IItemIterable stacks : items.apply(BlockIoConstants.FAULT_STACKS)) {
            reader.indexFaultStacks(stacks);
        }
        for (IItemIterable samples : items.apply(BlockIoConstants.METHOD_SAMPLES)) {
            reader.indexJavaEvents(samples, samples.getType().getIdentifier().equals(EventNames.NATIVE_METHOD_SAMPLE)
                    ? JavaLink.Source.NATIVE_SAMPLE : JavaLink.Source.EXECUTION_SAMPLE);
        }
        for (IItemIterable configurations : items.apply(BlockIoConstants.CONFIGURATIONS)) {
            reader.readConfiguration(configurations);
        }
        for (IItemIterable requests : items.apply(BlockIoConstants.BLOCK_REQUESTS)) {
            reader.readRequests(requests);
        }
        reader.requests.sort(Comparator.comparingLong(r -> r.request().start()));
        return new BlockIoRecording(reader.requests, reader.malformed, partialNote);
    }

    /** Whether the recording's stacks are a sample (stacks=N/s), from any of its configuration events. */
    private void readConfiguration(IItemIterable events) {
        IMemberAccessor<String, IItem> stacks = BlockIoConstants.STACKS.getAccessor(events.getType());
        if (stacks == null) {
            return;
        }
        for (IItem event : events) {
            String mode = stacks.getMember(event);
            if (mode != null && mode.endsWith("/s")) {
                stacksSampled = true;
            }
        }
    }

    private void indexKernelStacks(IItemIterable stacks) {
        IMemberAccessor<Number, IItem> id = BlockIoConstants.STACK_ID.getAccessor(stacks.getType());
        IMemberAccessor<String, IItem> frames = BlockIoConstants.STACK_FRAMES.getAccessor(stacks.getType());
        if (id == null || frames == null) {
            return;
        }
        for (IItem stack : stacks) {
            Number stackId = id.getMember(stack);
            String text = frames.getMember(stack);
            if (stackId != null) {
                kernelStacks.putIfAbsent(stackId.longValue(), text == null || text.isEmpty() ? List.of() : List.of(text.split("\n")));
            }
        }
    }

    private void indexShapes(IItemIterable events) {
        IType<IItem> type = events.getType();
        if (!hasEvery(type, BlockIoConstants.SHAPE_REQUIRED)) {
            return;
        }
        IMemberAccessor<Number, IItem> id = BlockIoConstants.SHAPE_ID.getAccessor(type);
        IMemberAccessor<String, IItem> device = BlockIoConstants.DEVICE.getAccessor(type);
        IMemberAccessor<String, IItem> deviceNumber = BlockIoConstants.DEVICE_NUMBER.getAccessor(type);
        IMemberAccessor<String, IItem> operation = BlockIoConstants.OPERATION.getAccessor(type);
        IMemberAccessor<String, IItem> flags = BlockIoConstants.FLAGS.getAccessor(type);
        IMemberAccessor<String, IItem> status = BlockIoConstants.STATUS.getAccessor(type);
        IMemberAccessor<String, IItem> syscall = BlockIoConstants.SYSCALL.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> pid = BlockIoConstants.PID.getAccessor(type);
        IMemberAccessor<Number, IItem> osThreadId = BlockIoConstants.OS_THREAD_ID.getAccessor(type);
        IMemberAccessor<String, IItem> comm = BlockIoConstants.COMM.getAccessor(type);
        IMemberAccessor<String, IItem> stagesInIssuer = BlockIoConstants.STAGES_IN_ISSUER.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> sampleKind = BlockIoConstants.SAMPLE_KIND.getAccessor(type);
        IMemberAccessor<String, IItem> writeback = BlockIoConstants.WRITEBACK.getAccessor(type);
        IMemberAccessor<String, IItem> credit = BlockIoConstants.CREDIT.getAccessor(type);
        for (IItem shape : events) {
            Number shapeId = id.getMember(shape);
            if (shapeId != null) {
                shapes.putIfAbsent(shapeId.longValue(), RequestShape.of(device.getMember(shape), deviceNumber.getMember(shape),
                        operation.getMember(shape), flags.getMember(shape), status.getMember(shape), syscall.getMember(shape),
                        (int) count(pid.getMember(shape)), number(osThreadId.getMember(shape)), comm.getMember(shape),
                        stagesInIssuer.getMember(shape), sampleKind == null ? -1 : (int) count(sampleKind.getMember(shape)),
                        writeback == null ? null : writeback.getMember(shape), credit == null ? null : credit.getMember(shape)));
            }
        }
    }

    private void indexAddresses(IItemIterable events) {
        IMemberAccessor<Number, IItem> id = BlockIoConstants.ADDRESS_ID.getAccessor(events.getType());
        IMemberAccessor<Number, IItem> address = BlockIoConstants.REQUEST_ADDRESS.getAccessor(events.getType());
        if (id == null || address == null) {
            return;
        }
        for (IItem event : events) {
            Number addressId = id.getMember(event);
            if (addressId != null) {
                addresses.putIfAbsent(addressId.longValue(), number(address.getMember(event)));
            }
        }
    }

    private void indexFiles(IItemIterable events) {
        IMemberAccessor<Number, IItem> id = BlockIoConstants.FILE_ID.getAccessor(events.getType());
        IMemberAccessor<String, IItem> path = BlockIoConstants.FILE_PATH.getAccessor(events.getType());
        IMemberAccessor<String, IItem> kind = BlockIoConstants.FILE_KIND.getAccessor(events.getType());
        IMemberAccessor<Number, IItem> inode = BlockIoConstants.INODE.getAccessor(events.getType());
        if (id == null || path == null || kind == null || inode == null) {
            return;
        }
        for (IItem event : events) {
            Number fileId = id.getMember(event);
            if (fileId != null) {
                files.putIfAbsent(fileId.longValue(), new FileName(Text.cleanPath(path.getMember(event)),
                        Text.clean(kind.getMember(event)), number(inode.getMember(event))));
            }
        }
    }

    private static boolean hasEvery(IType<IItem> type, List<IAttribute<?>> fields) {
        for (IAttribute<?> field : fields) {
            if (field.getAccessor(type) == null) {
                return false;
            }
        }
        return true;
    }

    private void indexJavaEvents(IItemIterable events, JavaLink.Source source) {
        IType<IItem> type = events.getType();
        IMemberAccessor<IMCThread, IItem> thread = JfrAttributes.EVENT_THREAD.getAccessor(type);
        IMemberAccessor<IMCStackTrace, IItem> trace = JfrAttributes.EVENT_STACKTRACE.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> start = JfrAttributes.START_TIME.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> end = JfrAttributes.END_TIME.getAccessor(type);
        IMemberAccessor<String, IItem> path = BlockIoConstants.FILE_EVENT_PATH.getAccessor(type);
        if (thread == null || trace == null || start == null || end == null) {
            return;
        }
        for (IItem event : events) {
            IMCThread issuer = thread.getMember(event);
            IMCStackTrace stack = trace.getMember(event);
            if (issuer == null || issuer.getThreadId() == null || stack == null) {
                continue;
            }
            JavaFrames frames = framesByTrace.computeIfAbsent(stack, this::javaFrames);
            JavaLink link = new JavaLink(source, frames.frames(), frames.lines());
            linkEvents.put(link, event);
            if (source == JavaLink.Source.FILE_EVENT) {
                java.addFileEvent(issuer.getThreadId(), epochNanos(start.getMember(event)), epochNanos(end.getMember(event)),
                        path == null ? null : path.getMember(event), link);
            } else {
                java.addSample(issuer.getThreadId(), epochNanos(start.getMember(event)), link);
            }
        }
    }

    /** blkflight.FaultStack events: the stack is text (the agent's handler took it), the thread javaThread. */
    private void indexFaultStacks(IItemIterable events) {
        IType<IItem> type = events.getType();
        IMemberAccessor<IMCThread, IItem> thread = BlockIoConstants.JAVA_THREAD.getAccessor(type);
        IMemberAccessor<Number, IItem> endedThreadId = BlockIoConstants.ENDED_THREAD_ID.getAccessor(type);
        IMemberAccessor<String, IItem> text = BlockIoConstants.FAULT_STACK_FRAMES.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> start = JfrAttributes.START_TIME.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> end = JfrAttributes.END_TIME.getAccessor(type);
        if (thread == null || text == null || start == null || end == null) {
            return;
        }
        for (IItem event : events) {
            IMCThread issuer = thread.getMember(event);
            long threadId = issuer != null && issuer.getThreadId() != null ? issuer.getThreadId()
                    : endedThreadId == null ? -1 : number(endedThreadId.getMember(event));
            if (threadId <= 0) {
                continue;
            }
            JavaLink parsed = Frames.parseJavaStack(text.getMember(event), JavaLink.Source.FAULT_STACK);
            List<String> key = new ArrayList<>(parsed.frames());
            key.addAll(parsed.lines().stream().map(String::valueOf).toList());
            JavaFrames frames = framesByValue.computeIfAbsent(key, k -> new JavaFrames(parsed.frames(), parsed.lines()));
            JavaLink link = new JavaLink(JavaLink.Source.FAULT_STACK, frames.frames(), frames.lines());
            linkEvents.put(link, event);
            java.addFaultStack(threadId, epochNanos(start.getMember(event)), epochNanos(end.getMember(event)), link);
        }
    }

    private JavaFrames javaFrames(IMCStackTrace trace) {
        List<String> frames = new ArrayList<>(trace.getFrames().size());
        List<Integer> lines = new ArrayList<>(trace.getFrames().size());
        for (IMCFrame frame : trace.getFrames()) {
            if (frame.getMethod() == null || frame.getMethod().getType() == null) {
                continue;
            }
            frames.add(Frames.javaFrame(frame.getMethod().getType().getFullName(), frame.getMethod().getMethodName()));
            lines.add(frame.getFrameLineNumber() == null ? -1 : frame.getFrameLineNumber());
        }
        List<String> key = new ArrayList<>(frames);
        key.addAll(lines.stream().map(String::valueOf).toList());
        return framesByValue.computeIfAbsent(key, k -> new JavaFrames(List.copyOf(frames), List.copyOf(lines)));
    }

    private void readRequests(IItemIterable events) {
        IType<IItem> type = events.getType();
        boolean compact = type.getIdentifier().equals(EventNames.COMPACT_REQUEST);
        if (!hasEvery(type, compact ? BlockIoConstants.COMPACT_REQUIRED : BlockIoConstants.REQUIRED)) {
            malformed += events.getItemCount();
            return;
        }
        Accessors fields = compact ? new CompactAccessors(type) : new RequestAccessors(type);
        for (IItem event : events) {
            BlockRequest request = fields.toModel(event);
            if (request == null) {
                malformed++;
                continue;
            }
            JavaLink link = java.link(request);
            requests.add(new RecordedRequest(request, event, linkEvents.get(link), stacksSampled));
        }
    }

    /**
     * The accessors of one request type (a recording may have several types of the same name: one per chunk),
     * with the fields both formats have.
     */
    private abstract class Accessors {
        final IMemberAccessor<IQuantity, IItem> start;
        final IMemberAccessor<IQuantity, IItem> duration;
        final IMemberAccessor<Number, IItem> sector;
        final IMemberAccessor<IQuantity, IItem> bytes;
        final IMemberAccessor<IQuantity, IItem> allocationTime;
        final IMemberAccessor<IQuantity, IItem> insertTime;
        final IMemberAccessor<IQuantity, IItem> queueTime;
        final IMemberAccessor<IQuantity, IItem> serviceTime;
        final IMemberAccessor<IMCThread, IItem> javaThread;
        final IMemberAccessor<IQuantity, IItem> generation;
        private final IMemberAccessor<IQuantity, IItem> stackWeight;
        final IMemberAccessor<IQuantity, IItem> dirtiers;
        final IMemberAccessor<IQuantity, IItem> dirtyAge;
        final IMemberAccessor<String, IItem> dirtier;
        private final IMemberAccessor<String, IItem> endedThread;
        private final IMemberAccessor<Number, IItem> endedThreadId;
        /** Null in recordings of agents before files. */
        final IMemberAccessor<IQuantity, IItem> otherFiles;
        private final IMemberAccessor<IMCThread, IItem> carrierThread;
        private final Map<Stage, IMemberAccessor<Number, IItem>> stacks = new java.util.EnumMap<>(Stage.class);

        Accessors(IType<IItem> type) {
            start = JfrAttributes.START_TIME.getAccessor(type);
            duration = JfrAttributes.DURATION.getAccessor(type);
            sector = BlockIoConstants.SECTOR.getAccessor(type);
            bytes = BlockIoConstants.BYTES.getAccessor(type);
            allocationTime = BlockIoConstants.ALLOCATION_TIME.getAccessor(type);
            insertTime = BlockIoConstants.INSERT_TIME.getAccessor(type);
            queueTime = BlockIoConstants.QUEUE_TIME.getAccessor(type);
            serviceTime = BlockIoConstants.SERVICE_TIME.getAccessor(type);
            javaThread = BlockIoConstants.JAVA_THREAD.getAccessor(type);
            generation = BlockIoConstants.GENERATION.getAccessor(type);
            stackWeight = BlockIoConstants.STACK_WEIGHT.getAccessor(type);
            dirtiers = BlockIoConstants.DIRTIERS.getAccessor(type);
            dirtyAge = BlockIoConstants.DIRTY_AGE.getAccessor(type);
            dirtier = BlockIoConstants.DIRTIER.getAccessor(type);
            endedThread = BlockIoConstants.ENDED_THREAD.getAccessor(type);
            endedThreadId = BlockIoConstants.ENDED_THREAD_ID.getAccessor(type);
            otherFiles = BlockIoConstants.OTHER_FILES.getAccessor(type);
            carrierThread = BlockIoConstants.CARRIER_THREAD.getAccessor(type);
            for (Stage stage : Stage.values()) {
                stacks.put(stage, BlockIoConstants.stack(stage).getAccessor(type));
            }
        }

        /**
         * The Java thread's name: the event's thread, or the name the agent gave one it could not write there (an ended
         * thread on JDK 17, a virtual thread it no longer held); an unnamed virtual thread by its id; null if none.
         */
        String threadName(IItem e, IMCThread thread) {
            if (thread != null) {
                String name = thread.getThreadName();
                return carrier(e) != null ? BlockRequest.virtualThreadName(name, threadId(e, thread)) : name;
            }
            String ended = endedThread == null ? null : endedThread.getMember(e);
            if (carrier(e) != null && endedThreadId != null && number(endedThreadId.getMember(e)) != 0) {
                return BlockRequest.virtualThreadName(ended, number(endedThreadId.getMember(e)));
            }
            return ended == null || ended.isEmpty() ? null : ended;
        }

        long threadId(IItem e, IMCThread thread) {
            if (thread != null) {
                return thread.getThreadId() == null ? -1 : thread.getThreadId();
            }
            return threadName(e, null) == null || endedThreadId == null ? -1 : number(endedThreadId.getMember(e));
        }

        /**
         * The carrier, when the Java thread is a virtual thread (JMC's thread model does not say whether a thread is
         * virtual: the agent's carrierThread does).
         */
        IMCThread carrier(IItem e) {
            return carrierThread == null ? null : carrierThread.getMember(e);
        }

        /** Marks the request's Java thread as virtual, with its carrier, where it is one. */
        void virtualThread(BlockRequest.Builder b, IItem e) {
            IMCThread carrier = carrier(e);
            if (carrier != null) {
                b.virtualThread(carrier.getThreadName());
            }
        }

        /** The request, or null when it cannot be read. */
        abstract BlockRequest toModel(IItem e);

        /** Each stage's kernel stack, by the id the event names, and whether it ran in the issuing thread. */
        void kernelStacks(BlockRequest.Builder b, IItem e, Predicate<Stage> inIssuer) {
            for (Stage stage : Stage.values()) {
                long id = number(stacks.get(stage).getMember(e));
                b.kernelStack(stage, id == 0 ? List.of() : kernelStacks.getOrDefault(id, List.of()), inIssuer.test(stage));
            }
            if (stackWeight != null) {
                b.stackWeight((int) count(stackWeight.getMember(e)));
            }
        }
    }

    /** A compact request type, whose requests are joined with their shapes and addresses. */
    private final class CompactAccessors extends Accessors {
        private final IMemberAccessor<Number, IItem> shape;
        private final IMemberAccessor<IQuantity, IItem> syscallTime;
        private final IMemberAccessor<Number, IItem> address;
        private final IMemberAccessor<Number, IItem> file;

        CompactAccessors(IType<IItem> type) {
            super(type);
            shape = BlockIoConstants.SHAPE.getAccessor(type);
            syscallTime = BlockIoConstants.SYSCALL_TIME.getAccessor(type);
            address = BlockIoConstants.ADDRESS.getAccessor(type);
            file = BlockIoConstants.FILE_REFERENCE.getAccessor(type);
        }

        /** Null when the recording lacks the request's shape, or the file it names. */
        @Override
        BlockRequest toModel(IItem e) {
            RequestShape s = shapes.get(number(shape.getMember(e)));
            if (s == null) {
                return null;
            }
            IMCThread thread = javaThread.getMember(e);
            long startNanos = epochNanos(start.getMember(e));
            BlockRequest.Builder b = s.fill(BlockRequest.builder().time(startNanos, nanos(duration.getMember(e))), startNanos,
                    number(sector.getMember(e)), bytes(bytes.getMember(e)), nanos(allocationTime.getMember(e)),
                    nanos(insertTime.getMember(e)), nanos(queueTime.getMember(e)), nanos(serviceTime.getMember(e)),
                    nanos(syscallTime.getMember(e)), threadName(e, thread), threadId(e, thread),
                    dirtiers == null ? 0 : (int) count(dirtiers.getMember(e)),
                    dirtyAge == null ? 0 : Math.max(0, nanos(dirtyAge.getMember(e))))
                    .lifecycle(addresses.getOrDefault(number(address.getMember(e)), 0L), (int) count(generation.getMember(e)));
            if (dirtier != null) {
                b.otherDirtier(dirtier.getMember(e));
            }
            virtualThread(b, e);
            kernelStacks(b, e, s.stagesInIssuer()::contains);
            long fileId = file == null ? 0 : number(file.getMember(e));
            if (fileId != 0) {
                FileName name = files.get(fileId);
                if (name == null) {
                    return null;
                }
                b.file(name.path(), name.kind(), name.inode(), (int) count(otherFiles == null ? null : otherFiles.getMember(e)));
            }
            return b.build();
        }
    }

    /** A full request type: every field in the event. */
    private final class RequestAccessors extends Accessors {
        private final IMemberAccessor<String, IItem> device;
        private final IMemberAccessor<String, IItem> deviceNumber;
        private final IMemberAccessor<String, IItem> operation;
        private final IMemberAccessor<String, IItem> flags;
        private final IMemberAccessor<String, IItem> status;
        private final IMemberAccessor<Number, IItem> osThreadId;
        private final IMemberAccessor<IQuantity, IItem> pid;
        private final IMemberAccessor<String, IItem> comm;
        private final IMemberAccessor<String, IItem> syscall;
        private final IMemberAccessor<IQuantity, IItem> syscallStart;
        private final IMemberAccessor<Number, IItem> requestAddress;
        private final IMemberAccessor<String, IItem> stagesInIssuer;
        private final IMemberAccessor<String, IItem> functionPath;
        private final IMemberAccessor<IQuantity, IItem> functionHitsLost;
        private final IMemberAccessor<IQuantity, IItem> sampleKind;
        private final IMemberAccessor<String, IItem> writeback;
        private final IMemberAccessor<String, IItem> credit;
        private final IMemberAccessor<String, IItem> file;
        private final IMemberAccessor<Number, IItem> inode;

        RequestAccessors(IType<IItem> type) {
            super(type);
            device = BlockIoConstants.DEVICE.getAccessor(type);
            deviceNumber = BlockIoConstants.DEVICE_NUMBER.getAccessor(type);
            operation = BlockIoConstants.OPERATION.getAccessor(type);
            flags = BlockIoConstants.FLAGS.getAccessor(type);
            status = BlockIoConstants.STATUS.getAccessor(type);
            osThreadId = BlockIoConstants.OS_THREAD_ID.getAccessor(type);
            pid = BlockIoConstants.PID.getAccessor(type);
            comm = BlockIoConstants.COMM.getAccessor(type);
            syscall = BlockIoConstants.SYSCALL.getAccessor(type);
            syscallStart = BlockIoConstants.SYSCALL_START.getAccessor(type);
            requestAddress = BlockIoConstants.REQUEST_ADDRESS.getAccessor(type);
            stagesInIssuer = BlockIoConstants.STAGES_IN_ISSUER.getAccessor(type);
            functionPath = BlockIoConstants.FUNCTION_PATH.getAccessor(type);
            functionHitsLost = BlockIoConstants.FUNCTION_HITS_LOST.getAccessor(type);
            sampleKind = BlockIoConstants.SAMPLE_KIND.getAccessor(type);
            writeback = BlockIoConstants.WRITEBACK.getAccessor(type);
            credit = BlockIoConstants.CREDIT.getAccessor(type);
            file = BlockIoConstants.FILE.getAccessor(type);
            inode = BlockIoConstants.INODE.getAccessor(type);
        }

        @Override
        BlockRequest toModel(IItem e) {
            IMCThread thread = javaThread.getMember(e);
            BlockRequest.Builder b = BlockRequest.builder()
                    .time(epochNanos(start.getMember(e)), nanos(duration.getMember(e)))
                    .where(device.getMember(e), deviceNumber.getMember(e), operation.getMember(e), flags.getMember(e),
                            number(sector.getMember(e)), bytes(bytes.getMember(e)))
                    .stages(nanos(allocationTime.getMember(e)), nanos(insertTime.getMember(e)), nanos(queueTime.getMember(e)),
                            nanos(serviceTime.getMember(e)))
                    .status(status.getMember(e))
                    .issuer((int) count(pid.getMember(e)), number(osThreadId.getMember(e)), comm.getMember(e),
                            threadName(e, thread), threadId(e, thread))
                    .syscall(syscall.getMember(e), syscallStart(syscallStart.getMember(e)))
                    .lifecycle(number(requestAddress.getMember(e)), (int) count(generation.getMember(e)));
            if (sampleKind != null) {
                b.sampleKind((int) count(sampleKind.getMember(e)));
            }
            virtualThread(b, e);
            if (writeback != null && credit != null && dirtiers != null && dirtyAge != null) {
                long age = nanos(dirtyAge.getMember(e));
                long startNanos = epochNanos(start.getMember(e));
                b.writeback(writeback.getMember(e), credit.getMember(e), (int) count(dirtiers.getMember(e)),
                        age == BlockRequest.NOT_AVAILABLE || age < 0 ? BlockRequest.NOT_AVAILABLE : startNanos - age);
                if (dirtier != null) {
                    b.otherDirtier(dirtier.getMember(e));
                }
            }
            String stages = stagesInIssuer.getMember(e);
            List<String> inIssuer = stages == null ? List.of() : stageSets.computeIfAbsent(stages, s -> Arrays.asList(s.split(",")));
            kernelStacks(b, e, stage -> inIssuer.contains(stage.label()));
            if (functionPath != null) {
                for (FunctionPath.Entry entry : FunctionPath.parse(functionPath.getMember(e))) {
                    b.functionHit(new FunctionHit(entry.offsetNanos(), entry.function(), entry.inIssuer(),
                            entry.stackId() == 0 ? List.of() : kernelStacks.getOrDefault(entry.stackId(), List.of())));
                }
            }
            if (functionHitsLost != null) {
                b.functionHitsLost((int) count(functionHitsLost.getMember(e)));
            }
            if (file != null && inode != null && otherFiles != null) {
                b.file(Text.cleanPath(file.getMember(e)), "", number(inode.getMember(e)), (int) count(otherFiles.getMember(e)));
            }
            return b.build();
        }
    }

    static long epochNanos(IQuantity time) {
        return time == null ? BlockRequest.NOT_AVAILABLE : time.clampedLongValueIn(UnitLookup.EPOCH_NS);
    }

    /** A timespan in nanoseconds; the agent writes Long.MIN_VALUE nanoseconds for a stage that did not happen. */
    static long nanos(IQuantity span) {
        return span == null ? BlockRequest.NOT_AVAILABLE : span.clampedLongValueIn(UnitLookup.NANOSECOND);
    }

    /**
     * The agent writes Long.MIN_VALUE ticks when the issuer was in no system call. JMC converts ticks to a time
     * without knowing that, which lands long before 1970; a real system call started after it.
     */
    private static long syscallStart(IQuantity time) {
        long nanos = epochNanos(time);
        return nanos < 0 ? BlockRequest.NOT_AVAILABLE : nanos;
    }

    private static long bytes(IQuantity amount) {
        return amount == null ? 0 : amount.clampedLongValueIn(UnitLookup.BYTE);
    }

    private static long count(IQuantity number) {
        return number == null ? 0 : number.longValue();
    }

    private static long number(Number number) {
        return number == null ? 0 : number.longValue();
    }
}
