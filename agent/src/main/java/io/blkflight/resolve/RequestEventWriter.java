package io.blkflight.resolve;

import io.blkflight.decode.FileRecord;
import io.blkflight.decode.PathRecord;
import io.blkflight.decode.RequestRecord;
import io.blkflight.files.FileName;
import io.blkflight.files.FileNames;
import io.blkflight.model.FunctionPath;
import io.blkflight.model.Stage;
import io.blkflight.events.BlockRequestEvent;
import io.blkflight.events.CompactRequestEvent;
import io.blkflight.events.EventTimes;
import io.blkflight.events.FileEvent;
import io.blkflight.events.RequestAddressEvent;
import io.blkflight.events.RequestShapeEvent;

/**
 * Turns finished-request records into {@code blkflight.BlockRequest} events (format full) or
 * {@code blkflight.CompactRequest} events with their shapes, addresses and files (format compact): kernel times
 * into JFR ticks, device numbers into names, the issuing thread id into its Java thread, the file fields into
 * the file's path (io.blkflight.files). Runs on the collector thread only, but {@link #newChunk()}.
 */
public final class RequestEventWriter {
    /** How requests are written: every field in each event, or what requests share by id. */
    public enum Format {
        COMPACT, FULL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The event class a request is written as. */
        public Class<? extends jdk.jfr.Event> eventClass() {
            return this == COMPACT ? CompactRequestEvent.class : BlockRequestEvent.class;
        }
    }

    /**
     * Shapes kept by the compact format before its dictionary starts over (heap bound), and addresses
     * unless told otherwise: the agent gives maxInflight, as many addresses as the kernel side follows, so
     * that a disk with many tags (NVMe: queues x depth) does not make the address dictionary start over.
     */
    static final int DICTIONARY_CAPACITY = 16_384;

    /** What compact requests of one issuer and kind share; the key of a {@code blkflight.RequestShape}. */
    private record Shape(int dev, int op, int flags, int status, int origin, int stagesInIssuer, int syscall, int pid,
                         int tid, int hostPid, int hostTid, long cgroup, int sampleKind, int credit, int writebackReason,
                         long comm0, long comm1) {
        static Shape of(RequestRecord record) {
            return new Shape(record.dev(), record.op(), record.flags(), record.status(), record.origin(),
                    record.stagesInIssuer(), record.syscallNumber(), record.tgid(), record.tid(), record.hostTgid(),
                    record.hostTid(), record.cgroup(), record.sampleKind(), record.credit(), record.writebackReason(),
                    record.commWord(0), record.commWord(1));
        }

        boolean isOf(RequestRecord record) {
            return hostTid == record.hostTid() && tid == record.tid() && pid == record.tgid() && dev == record.dev()
                    && op == record.op() && flags == record.flags() && status == record.status() && origin == record.origin()
                    && stagesInIssuer == record.stagesInIssuer() && syscall == record.syscallNumber()
                    && cgroup == record.cgroup() && hostPid == record.hostTgid() && sampleKind == record.sampleKind()
                    && credit == record.credit() && writebackReason == record.writebackReason()
                    && comm0 == record.commWord(0) && comm1 == record.commWord(1);
        }
    }

    /** A shape's fields as the events name them. */
    private record Names(String device, String deviceNumber, String operation, String flags, String status, String origin,
                         String stagesInIssuer, String syscall, String comm, String cgroup, String writeback, String credit) {
    }

    /** What the writer keeps of the last shapes it met: the compact format's dictionary entry, the full format's names. */
    private record CachedShape(Shape shape, Dictionary.Entry<Shape> entry, Names names) {
    }

    /**
     * The name of the last file met in a slot, for requests with the same file fields, deletion flag and journal
     * writer, while the file table's generation stays; with its dictionary entry in the compact format.
     */
    private record CachedFile(int dev, long ino, int kind, int variant, int generation, int seq, FileName name,
                              Dictionary.Entry<FileName> entry) {
    }

    /**
     * Event times given through var handles the JIT folds into field stores: the record in a static final
     * field makes them constants. Loaded only after the agent's start checked that this JDK has the fields.
     */
    private static final class Times {
        static final EventTimes<CompactRequestEvent> COMPACT = EventTimes.of(CompactRequestEvent.class);
        static final EventTimes<BlockRequestEvent> FULL = EventTimes.of(BlockRequestEvent.class);
    }

    /** Slots of the caches in front of the shape and address dictionaries (powers of two). */
    private static final int SHAPE_SLOTS = 256;
    private static final int ADDRESS_SLOTS = 1024;
    private static final int FILE_SLOTS = 256;

    /** JDK 17's JFR writes a terminated thread as "no thread" (JDK 19 and later keep it). */
    private static final boolean ENDED_THREADS_UNNAMED = Runtime.version().feature() < 19;

    /** What an event field holds when the stage did not happen or could not be seen. */
    public static final long NOT_AVAILABLE = Long.MIN_VALUE;

    private final JfrClock clock;
    private final Format format;
    private final Dictionary<Shape> shapes = new Dictionary<>(DICTIONARY_CAPACITY, this::writeShape);
    private final Dictionary<Long> addresses;
    private final Dictionary<FileName> fileIds = new Dictionary<>(DICTIONARY_CAPACITY, RequestEventWriter::writeFile);
    /** Null with files off. */
    private final FileNames files;
    private final CachedFile[] fileCache = new CachedFile[FILE_SLOTS];
    /*
     * The collector's hot path allocates nothing per request: one event object of each format is filled
     * and committed again and again (every field is set before each commit), and what requests share is
     * reached through caches (the last shape per issuing thread and operation, with its dictionary entry or
     * its names; addresses by their bits) without building a key or a string. All of it is used under the
     * collector's drain lock only.
     */
    private final CompactRequestEvent compactEvent = new CompactRequestEvent();
    private final BlockRequestEvent fullEvent = new BlockRequestEvent();
    private final CachedShape[] shapeCache = new CachedShape[SHAPE_SLOTS];
    private final long[] addressCacheKeys = new long[ADDRESS_SLOTS];
    @SuppressWarnings("unchecked")
    private final Dictionary.Entry<Long>[] addressCache = new Dictionary.Entry[ADDRESS_SLOTS];
    private final JavaThreads threads;
    /** Null when virtual threads are not followed (JDK 17, virtualThreads=off). */
    private final VirtualThreads virtualThreads;
    /*
     * What javaThread() found beside the Java thread it returns, for the event being written: the carrier of a virtual
     * thread, and a virtual thread no longer held, by id and name.
     */
    private Thread carrier;
    private long virtualId;
    private String virtualName;
    private long virtualThreadsById;
    private final Devices devices;
    private final Cgroups cgroups = new Cgroups();
    private final KernelStacks stacks;
    private final int selfPid;
    private long recorded;
    private long notRecorded;
    private long unresolvedThreads;
    private long writebackUncredited;
    /** Requests issued by this JVM's process that reached the writer (whether a recording took them or not). */
    private volatile long ownRequests;
    /** Function-level mode: the names of the functions attached, by the index the kernel side records. */
    private volatile String[] functionNames = new String[0];
    private final StringBuilder pathText = new StringBuilder();

    public RequestEventWriter(Format format, JfrClock clock, JavaThreads threads, Devices devices, KernelStacks stacks,
                              int selfPid) {
        this(format, clock, threads, devices, stacks, selfPid, DICTIONARY_CAPACITY, null, null);
    }

    /**
     * maxAddresses: request addresses the compact format keeps before its address dictionary starts over; files:
     * the files' paths, null when requests do not name files; virtualThreads: null when they are not followed.
     */
    public RequestEventWriter(Format format, JfrClock clock, JavaThreads threads, Devices devices, KernelStacks stacks,
                              int selfPid, int maxAddresses, FileNames files, VirtualThreads virtualThreads) {
        this.virtualThreads = virtualThreads;
        this.addresses = new Dictionary<>(maxAddresses, RequestEventWriter::writeAddress);
        this.files = files;
        this.format = format;
        this.clock = clock;
        this.threads = threads;
        this.devices = devices;
        this.stacks = stacks;
        this.selfPid = selfPid;
    }

    /** Function-level mode: the functions attached, in the order whose index the kernel side records. */
    public void functionNames(String[] names) {
        this.functionNames = names.clone();
    }

    /** First pass over a batch: notes issuing threads so that one thread dump can resolve all new ones. */
    public void noteIssuer(RequestRecord record, PathRecord path) {
        if (record.writebackReason() != 0) {
            // Writeback of the JVM's pages: the thread to name is the one that dirtied them.
            ownRequests++;
            if (record.dirtierTgid() == selfPid) {
                if (record.dirtierTid() != 0) {
                    threads.find(record.dirtierTid(), record.dirtiedNanos());
                }
            }
        } else if (record.tgid() == selfPid) {
            ownRequests++;
            if (record.tid() != 0) {
                threads.find(record.tid(), firstSeen(record));
            }
        }
    }

    /** Second pass over a batch, in the records' order: a file's path, for the requests after it that name the file. */
    public void noteFile(FileRecord file) {
        if (files != null) {
            files.table().accept(file);
        }
    }

    /** The files the kernel side is to send again (dev, ino pairs): forgotten here, or unknown to a request. */
    public long[] filesToSendAgain() {
        return files == null ? NO_FILES : files.table().takeForgotten();
    }

    private static final long[] NO_FILES = new long[0];

    /** Between the passes: resolves the threads the first pass did not know, forgets long-ended ones. */
    public void resolveIssuers(long nowNanos) {
        threads.refreshIfNeeded(nowNanos);
        threads.forgetEnded(nowNanos);
        if (virtualThreads != null) {
            virtualThreads.refresh(nowNanos);
        }
    }

    /** Second pass: commits the record (and its function path, if any) as an event if a recording wants it. */
    public void write(RequestRecord record, PathRecord path) {
        if (format == Format.COMPACT) {
            writeCompact(record);
        } else {
            writeFull(record, path);
        }
    }

    /** A new JFR chunk began: the compact format writes its shapes and addresses again as the chunk needs them. */
    public void newChunk() {
        shapes.newChunk();
        addresses.newChunk();
        fileIds.newChunk();
    }

    public Format format() {
        return format;
    }

    private void writeFull(RequestRecord record, PathRecord path) {
        BlockRequestEvent event = fullEvent;
        if (!event.isEnabled()) {
            return;
        }
        long start = firstSeen(record);
        long end = end(record);
        if (!recordable(start, end)) {
            return;
        }
        long startTicks = clock.toTicks(start);
        Times.FULL.set(event, startTicks, clock.toTicks(end) - startTicks);

        Names names = cachedShape(record).names();
        event.device = names.device();
        event.deviceNumber = names.deviceNumber();
        event.operation = names.operation();
        event.flags = names.flags();
        event.sector = record.sector();
        event.bytes = record.bytes();
        long submit = record.submitNanos();
        event.allocationTime = span(submit, record.allocNanos());
        event.insertTime = span(submit, record.insertNanos());
        event.queueTime = span(submit, record.issueNanos());
        event.serviceTime = span(record.issueNanos(), record.completeNanos());
        event.requeues = record.requeues();
        event.merges = record.merges();
        event.status = names.status();
        event.osThreadId = record.tid();
        event.pid = record.tgid();
        event.comm = names.comm();
        event.hostPid = record.hostTgid();
        event.hostThreadId = record.hostTid();
        event.cgroup = names.cgroup();
        event.sampleKind = record.sampleKind();
        event.writeback = names.writeback();
        event.credit = names.credit();
        event.dirtiers = record.dirtiers();
        event.dirtyAge = record.credit() == RequestRecord.CREDIT_NONE ? NOT_AVAILABLE : span(record.dirtiedNanos(), start);
        event.javaThread = javaThread(record, start);
        event.carrierThread = carrier;
        event.dirtier = event.javaThread == null && virtualId == 0 ? otherDirtier(record) : null;
        event.syscall = names.syscall();
        event.syscallStart = record.syscallStartNanos() == 0 ? NOT_AVAILABLE : clock.toTicks(record.syscallStartNanos());
        event.requestAddress = record.request();
        event.generation = record.generation();
        event.origin = names.origin();
        event.submitStack = stacks.reference(record.stack(Stage.SUBMIT));
        event.insertStack = stacks.reference(record.stack(Stage.INSERT));
        event.issueStack = stacks.reference(record.stack(Stage.ISSUE));
        event.completeStack = stacks.reference(record.stack(Stage.COMPLETE));
        event.stackWeight = record.stackWeight();
        event.stagesInIssuer = names.stagesInIssuer();
        event.functionPath = path != null ? functionPath(path, start) : null;
        event.functionHitsLost = path != null ? path.overflow() : 0;
        FileName file = cachedFile(record).name();
        event.file = file.path();
        event.inode = file.inode();
        event.otherFiles = record.otherFiles();
        if (event.shouldCommit()) {
            Thread ended = ended(event.javaThread);
            event.endedThread = ended == null ? virtualName : ended.getName();
            event.endedThreadId = ended == null ? virtualId : ended.getId();
            event.commit();
            countIfEnded(event.javaThread, ended);
            countUnnamed(file);
            recorded++;
        }
    }

    private void writeCompact(RequestRecord record) {
        CompactRequestEvent event = compactEvent;
        if (!event.isEnabled()) {
            return;
        }
        long start = firstSeen(record);
        long end = end(record);
        if (!recordable(start, end)) {
            return;
        }
        long startTicks = clock.toTicks(start);
        Times.COMPACT.set(event, startTicks, clock.toTicks(end) - startTicks);
        if (!event.shouldCommit()) {
            return;
        }
        event.shape = shapes.id(cachedShape(record).entry());
        event.sector = record.sector();
        event.bytes = record.bytes();
        long submit = record.submitNanos();
        event.allocationTime = compactSpan(submit, record.allocNanos());
        event.insertTime = compactSpan(submit, record.insertNanos());
        event.queueTime = compactSpan(submit, record.issueNanos());
        event.serviceTime = compactSpan(record.issueNanos(), record.completeNanos());
        event.syscallTime = compactSpan(record.syscallStartNanos(), start);
        event.requeues = record.requeues();
        event.merges = record.merges();
        event.javaThread = javaThread(record, start);
        event.carrierThread = carrier;
        event.dirtier = event.javaThread == null && virtualId == 0 ? otherDirtier(record) : null;
        event.address = addressId(record.request());
        event.generation = record.generation();
        event.submitStack = stacks.reference(record.stack(Stage.SUBMIT));
        event.insertStack = stacks.reference(record.stack(Stage.INSERT));
        event.issueStack = stacks.reference(record.stack(Stage.ISSUE));
        event.completeStack = stacks.reference(record.stack(Stage.COMPLETE));
        event.stackWeight = record.stackWeight();
        event.dirtiers = record.dirtiers();
        event.dirtyAge = record.credit() == RequestRecord.CREDIT_NONE ? 0 : compactSpan(record.dirtiedNanos(), start);
        CachedFile file = cachedFile(record);
        event.file = file.entry() == null ? 0 : fileIds.id(file.entry());
        event.otherFiles = record.otherFiles();
        Thread ended = ended(event.javaThread);
        event.endedThread = ended == null ? virtualName : ended.getName();
        event.endedThreadId = ended == null ? virtualId : ended.getId();
        event.commit();
        countIfEnded(event.javaThread, ended);
        countUnnamed(file.name());
        recorded++;
    }

    /** The record's shape as last met for its issuing thread and operation (the usual case), else a new one. */
    private CachedShape cachedShape(RequestRecord record) {
        int slot = (record.hostTid() * 4 + record.op()) & (SHAPE_SLOTS - 1);
        CachedShape cached = shapeCache[slot];
        if (cached == null || !cached.shape().isOf(record)) {
            Shape shape = Shape.of(record);
            cached = format == Format.COMPACT ? new CachedShape(shape, shapes.entry(shape), null)
                    : new CachedShape(shape, null, names(shape));
            shapeCache[slot] = cached;
        }
        return cached;
    }

    /** The request's file as last met for the same fields (the usual case), else named again. */
    private CachedFile cachedFile(RequestRecord record) {
        int kind = record.fileKind();
        if (files == null || kind == FileRecord.KIND_NONE) {
            return NO_FILE;
        }
        int dev = record.fileDev();
        long ino = record.fileIno();
        int variant = (record.fileFlags() & (FileRecord.REQUEST_DELETED | FileRecord.REQUEST_PATH_STALE))
                | (kind == FileRecord.KIND_DEVICE_CACHE && FileNames.writtenByJbd2(record) ? 2 : 0);
        int generation = files.table().generation();
        int slot = (int) (ino ^ (ino >>> 17) ^ dev ^ (kind << 5)) & (FILE_SLOTS - 1);
        CachedFile cached = fileCache[slot];
        int seq = record.fileSeq();
        if (cached == null || cached.ino() != ino || cached.dev() != dev || cached.kind() != kind
                || cached.variant() != variant || cached.generation() != generation || cached.seq() != seq) {
            FileName name = files.name(record);
            cached = new CachedFile(dev, ino, kind, variant, generation, seq, name,
                    format == Format.COMPACT ? fileIds.entry(name) : null);
            fileCache[slot] = cached;
        }
        return cached;
    }

    /** Counts a request recorded naming its file by inode only. */
    private void countUnnamed(FileName file) {
        if (!file.pathKnown()) {
            files.countUnnamed();
        }
    }

    private static final CachedFile NO_FILE = new CachedFile(0, 0, 0, 0, 0, 0, FileName.NONE, null);

    private static void writeFile(long id, FileName file) {
        FileEvent event = new FileEvent();
        event.fileId = id;
        event.device = file.device();
        event.inode = file.inode();
        event.path = file.path();
        event.renamedFrom = file.renamedFrom() == null ? "" : file.renamedFrom();
        event.kind = file.kind();
        event.commit();
    }

    /** The id of a request address; the kernel hands out the same few hundred addresses again and again. */
    private long addressId(long address) {
        int slot = (int) ((address >>> 6) ^ (address >>> 16)) & (ADDRESS_SLOTS - 1);
        Dictionary.Entry<Long> entry = addressCache[slot];
        if (entry == null || addressCacheKeys[slot] != address) {
            entry = addresses.entry(address);
            addressCache[slot] = entry;
            addressCacheKeys[slot] = address;
        }
        return addresses.id(entry);
    }

    private Names names(Shape shape) {
        return new Names(devices.name(shape.dev()), Devices.number(shape.dev()), KernelNames.operation(shape.op()),
                KernelNames.flags(shape.flags()), KernelNames.status(shape.status()), KernelNames.origin(shape.origin(), shape.writebackReason()),
                STAGE_SETS[shape.stagesInIssuer()], KernelNames.syscall(shape.syscall()),
                RequestRecord.comm(shape.comm0(), shape.comm1()), cgroups.name(shape.cgroup()),
                KernelNames.writeback(shape.writebackReason()), KernelNames.credit(shape.credit()));
    }

    private void writeShape(long id, Shape shape) {
        Names names = names(shape);
        RequestShapeEvent event = new RequestShapeEvent();
        event.shapeId = id;
        event.device = names.device();
        event.deviceNumber = names.deviceNumber();
        event.operation = names.operation();
        event.flags = names.flags();
        event.status = names.status();
        event.origin = names.origin();
        event.stagesInIssuer = names.stagesInIssuer();
        event.syscall = names.syscall();
        event.osThreadId = shape.tid();
        event.pid = shape.pid();
        event.comm = names.comm();
        event.hostPid = shape.hostPid();
        event.hostThreadId = shape.hostTid();
        event.cgroup = names.cgroup();
        event.sampleKind = shape.sampleKind();
        event.writeback = names.writeback();
        event.credit = names.credit();
        event.commit();
    }

    private static void writeAddress(long id, Long address) {
        RequestAddressEvent event = new RequestAddressEvent();
        event.addressId = id;
        event.requestAddress = address;
        event.commit();
    }

    /** Whether a request's times can be recorded; counts it as not recorded when not. */
    private boolean recordable(long start, long end) {
        if (!clock.isCalibrated() || start == 0 || end < start) {
            notRecorded++;
            return false;
        }
        return true;
    }

    /**
     * The issuing Java thread when the issuer is a thread of this JVM (the virtual thread mounted on it, if one was),
     * or for writeback of the JVM's pages the thread that dirtied them (as it was when it dirtied them); counts those
     * it cannot name. Sets {@link #carrier}, {@link #virtualId} and {@link #virtualName} for the event.
     */
    private Thread javaThread(RequestRecord record, long start) {
        carrier = null;
        virtualId = 0;
        virtualName = null;
        if (record.writebackReason() != 0) {
            if (record.credit() == RequestRecord.CREDIT_NONE) {
                writebackUncredited++;
                return null;
            }
            if (record.credit() == RequestRecord.CREDIT_SHARED) {
                return null;
            }
            if (record.dirtierTgid() != selfPid || record.dirtierTid() == 0) {
                return null;
            }
            Thread dirtier = threads.find(record.dirtierTid(), record.dirtiedNanos());
            if (record.dirtierVthread() != 0) {
                return virtual(record.dirtierVthread(), dirtier, false);
            }
            // A JVM thread that is not a Java thread (a GC or VM thread dirtying a mapped file) is named by otherDirtier.
            return dirtier != null || threads.notJavaName(record.dirtierTid()) != null
                    || threads.taskName(record.dirtierTid()) != null ? dirtier : named(null);
        }
        if (record.tgid() != selfPid || record.tid() == 0) {
            return null;
        }
        Thread issuer = threads.find(record.tid(), start);
        return record.vthread() != 0 ? virtual(record.vthread(), issuer, true) : named(issuer);
    }

    /**
     * The virtual thread of that id, carried by carrierThread (null if unknown) when it issued the request, and
     * maybe still mounted on it (not so for pages it dirtied long ago); one no longer held is named by id and name in
     * the event's endedThread fields instead, and counted.
     */
    private Thread virtual(long id, Thread carrierThread, boolean mayBeMounted) {
        carrier = carrierThread;
        Thread thread = virtualThreads == null ? null : virtualThreads.find(id, mayBeMounted ? carrierThread : null);
        if (thread == null) {
            virtualId = id;
            virtualName = virtualThreads == null ? "" : virtualThreads.name(id);
            virtualThreadsById++;
        }
        return thread;
    }

    /**
     * A writeback request credited to a thread that is not a Java thread: a JVM thread by its thread-dump name, or
     * another process of the scope; null for any other request.
     */
    private String otherDirtier(RequestRecord record) {
        if (record.writebackReason() == 0 || record.credit() == RequestRecord.CREDIT_NONE
                || record.credit() == RequestRecord.CREDIT_SHARED || record.dirtierTid() == 0) {
            return null;
        }
        if (record.dirtierTgid() != selfPid) {
            return "pid " + Integer.toUnsignedString(record.dirtierTgid()) + " tid " + Integer.toUnsignedString(record.dirtierTid());
        }
        String name = threads.notJavaName(record.dirtierTid());
        if (name == null) {
            name = threads.taskName(record.dirtierTid());
        }
        return name != null ? name : "tid " + Integer.toUnsignedString(record.dirtierTid());
    }

    private Thread named(Thread thread) {
        if (thread == null) {
            unresolvedThreads++;
        }
        return thread;
    }

    /**
     * Before a commit, on JDK 17 and 18: their JFR writes a Java thread that has ended as "no thread", so one that
     * has is named in the event's endedThread fields instead (a writeback request's dirtier often has ended).
     */
    private static Thread ended(Thread thread) {
        return ENDED_THREADS_UNNAMED && thread != null && !thread.isAlive() ? thread : null;
    }

    /**
     * After a commit, on JDK 17 and 18: a thread alive before the commit and ended now may have ended before the
     * commit wrote it, as no thread; it is counted.
     */
    private void countIfEnded(Thread thread, Thread namedAsEnded) {
        if (ENDED_THREADS_UNNAMED && thread != null && namedAsEnded == null && !thread.isAlive()) {
            unresolvedThreads++;
        }
    }

    private String functionPath(PathRecord path, long start) {
        String[] names = functionNames;
        pathText.setLength(0);
        for (int i = 0; i < path.hits(); i++) {
            int function = path.hitFunction(i);
            FunctionPath.append(pathText, path.hitNanos(i) - start,
                    function < names.length ? names[function] : "function#" + function, path.hitInIssuer(i),
                    stacks.reference(path.hitStack(i)));
        }
        return pathText.toString();
    }

    /** Completion; for a lifecycle whose end the kernel side never saw (status end-unseen), its last stage seen. */
    static long end(RequestRecord record) {
        long complete = record.completeNanos();
        return complete != 0 ? complete : lastSeen(record);
    }

    static long lastSeen(RequestRecord record) {
        return Math.max(Math.max(record.submitNanos(), record.allocNanos()), Math.max(record.insertNanos(), record.issueNanos()));
    }

    /** The earliest stage the kernel side saw: submission when known, else the first dispatch. */
    static long firstSeen(RequestRecord record) {
        if (record.submitNanos() != 0) {
            return record.submitNanos();
        }
        if (record.insertNanos() != 0) {
            return record.insertNanos();
        }
        return record.issueNanos() != 0 ? record.issueNanos() : record.completeNanos();
    }

    private static final String[] STAGE_SETS = new String[1 << Stage.COUNT];

    static {
        for (int set = 0; set < STAGE_SETS.length; set++) {
            StringBuilder stages = new StringBuilder();
            for (Stage stage : Stage.values()) {
                if ((set & (1 << stage.ordinal())) != 0) {
                    stages.append(stages.length() == 0 ? "" : ",").append(stage.label());
                }
            }
            STAGE_SETS[set] = stages.toString();
        }
    }

    private static long span(long from, long to) {
        return from == 0 || to == 0 || to < from ? NOT_AVAILABLE : to - from;
    }

    /** The compact format's span: 0 where the full one has N/A, at least 1 ns where it has a span. */
    private static long compactSpan(long from, long to) {
        long span = span(from, to);
        return span == NOT_AVAILABLE ? 0 : Math.max(1, span);
    }

    public long recorded() {
        return recorded;
    }

    public long notRecorded() {
        return notRecorded;
    }

    public long unreadableStacks() {
        return stacks.unreadable();
    }

    public long unresolvedThreads() {
        return unresolvedThreads;
    }

    /** Requests credited to a virtual thread no longer held: named by id (and name) only. */
    public long virtualThreadsById() {
        return virtualThreadsById;
    }

    /** Writeback requests of the JVM's pages whose dirtier the kernel side no longer knew. */
    public long writebackUncredited() {
        return writebackUncredited;
    }

    /** Files whose path was walked again and found renamed (their requests since say so). */
    public long filesRenamed() {
        return files == null ? 0 : files.table().renamed();
    }

    /** Files forgotten because the agent held maxFiles of them. */
    public long filesForgotten() {
        return files == null ? 0 : files.table().forgotten();
    }

    /** Requests recorded whose file's path the agent did not have. */
    public long filesUnnamed() {
        return files == null ? 0 : files.unnamed();
    }

    /** Requests of this JVM's own process the kernel side followed; read on the collector thread. */
    public long ownRequests() {
        return ownRequests;
    }
}
