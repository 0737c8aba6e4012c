package io.blkflight.resolve;

import io.blkflight.decode.PathRecord;
import io.blkflight.decode.RequestRecord;
import io.blkflight.model.FunctionPath;
import io.blkflight.model.Stage;
import io.blkflight.events.BlockRequestEvent;
import io.blkflight.events.EventTimes;

/**
 * Turns finished-request records into {@code blkflight.BlockRequest} events: kernel times into JFR
 * ticks, device numbers into names, the issuing thread id into its Java thread. Runs on the collector
 * thread only.
 */
public final class RequestEventWriter {
    /** JDK 17's JFR writes a terminated thread as "no thread" (JDK 19 and later keep it). */
    private static final boolean ENDED_THREADS_UNNAMED = Runtime.version().feature() < 19;

    /** What an event field holds when the stage did not happen or could not be seen. */
    public static final long NOT_AVAILABLE = Long.MIN_VALUE;

    private final JfrClock clock;
    private final EventTimes<BlockRequestEvent> times;
    private final JavaThreads threads;
    private final Devices devices;
    private final KernelStacks stacks;
    private final int selfPid;
    private long recorded;
    private long notRecorded;
    private long unresolvedThreads;
    /** Function-level mode: the names of the functions attached, by the index the kernel side records. */
    private volatile String[] functionNames = new String[0];
    private final StringBuilder pathText = new StringBuilder();

    public RequestEventWriter(JfrClock clock, EventTimes<BlockRequestEvent> times, JavaThreads threads,
                              Devices devices, KernelStacks stacks, int selfPid) {
        this.clock = clock;
        this.times = times;
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
        if (record.tgid() == selfPid && record.tid() != 0) {
            threads.find(record.tid(), firstSeen(record));
        }
    }

    /** Between the passes: resolves the threads the first pass did not know, forgets long-ended ones. */
    public void resolveIssuers(long nowNanos) {
        threads.refreshIfNeeded(nowNanos);
        threads.forgetEnded(nowNanos);
    }

    /** Second pass: commits the record (and its function path, if any) as an event if a recording wants it. */
    public void write(RequestRecord record, PathRecord path) {
        BlockRequestEvent event = new BlockRequestEvent();
        if (!event.isEnabled()) {
            return;
        }
        if (!clock.isCalibrated()) {
            notRecorded++;
            return;
        }
        long complete = record.completeNanos();
        long start = firstSeen(record);
        // A lifecycle whose end the kernel side never saw (status end-unseen) ends at its last stage seen.
        long end = complete != 0 ? complete : lastSeen(record);
        if (start == 0 || end < start) {
            notRecorded++;
            return;
        }
        long startTicks = clock.toTicks(start);
        times.set(event, startTicks, clock.toTicks(end) - startTicks);

        int dev = record.dev();
        event.device = devices.name(dev);
        event.deviceNumber = Devices.number(dev);
        event.operation = KernelNames.operation(record.op());
        event.flags = KernelNames.flags(record.flags());
        event.sector = record.sector();
        event.bytes = record.bytes();
        long submit = record.submitNanos();
        event.allocationTime = span(submit, record.allocNanos());
        event.insertTime = span(submit, record.insertNanos());
        event.queueTime = span(submit, record.issueNanos());
        event.serviceTime = span(record.issueNanos(), complete);
        event.requeues = record.requeues();
        event.merges = record.merges();
        event.status = KernelNames.status(record.status());
        event.osThreadId = record.tid();
        event.pid = record.tgid();
        event.comm = record.comm();
        if (record.tgid() == selfPid && record.tid() != 0) {
            event.javaThread = threads.find(record.tid(), start);
            if (event.javaThread == null || (ENDED_THREADS_UNNAMED && !event.javaThread.isAlive())) {
                unresolvedThreads++;
            }
        }
        event.syscall = KernelNames.syscall(record.syscallNumber());
        event.syscallStart = record.syscallStartNanos() == 0 ? NOT_AVAILABLE : clock.toTicks(record.syscallStartNanos());
        event.requestAddress = record.request();
        event.generation = record.generation();
        event.origin = KernelNames.origin(record.origin());
        event.submitStack = stacks.reference(record.stack(Stage.SUBMIT));
        event.insertStack = stacks.reference(record.stack(Stage.INSERT));
        event.issueStack = stacks.reference(record.stack(Stage.ISSUE));
        event.completeStack = stacks.reference(record.stack(Stage.COMPLETE));
        event.stagesInIssuer = stagesInIssuer(record);
        if (path != null) {
            event.functionPath = functionPath(path, start);
            event.functionHitsLost = path.overflow();
        }
        if (event.shouldCommit()) {
            event.commit();
            recorded++;
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

    /** The earliest stage the kernel side saw: submission when known, else the first dispatch. */
    static long lastSeen(RequestRecord record) {
        return Math.max(Math.max(record.submitNanos(), record.allocNanos()), Math.max(record.insertNanos(), record.issueNanos()));
    }

    static long firstSeen(RequestRecord record) {
        if (record.submitNanos() != 0) {
            return record.submitNanos();
        }
        if (record.insertNanos() != 0) {
            return record.insertNanos();
        }
        return record.issueNanos() != 0 ? record.issueNanos() : record.completeNanos();
    }

    private static final String[] STAGE_SETS = new String[1 << Stage.values().length];

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

    private static String stagesInIssuer(RequestRecord record) {
        int set = 0;
        for (Stage stage : Stage.values()) {
            if (record.inIssuer(stage)) {
                set |= 1 << stage.ordinal();
            }
        }
        return STAGE_SETS[set];
    }

    private static long span(long from, long to) {
        return from == 0 || to == 0 || to < from ? NOT_AVAILABLE : to - from;
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
}
