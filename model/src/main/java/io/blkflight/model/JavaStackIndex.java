package io.blkflight.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Links block requests to the Java stack of the call that issued them, from what the recording holds:
 * first a file event of the issuing thread (jdk.FileRead, jdk.FileWrite, jdk.FileForce) whose time
 * window contains the request's submission; else a fault stack (blkflight.FaultStack) of that thread whose window
 * contains it, within {@link #FAULT_STACK_TOLERANCE_NANOS}; else a jdk.NativeMethodSample, then a
 * jdk.ExecutionSample, of that thread inside the system call's window (submission to completion when it was in
 * none).
 *
 * <p>A writeback request is linked to the call that dirtied its pages, not to the flush: the credited thread's file
 * event containing the moment it last dirtied them; else its file event of the same file nearest to that moment
 * (within {@link #NEARBY_NANOS}: a write too short for JFR's threshold leaves none of its own, but the thread's
 * longer writes of that file are the same call site as a rule); else its method sample nearest to that moment,
 * from {@link #SAMPLE_NEAR_NANOS} before it to {@link #SAMPLE_AFTER_NANOS} after (a store into a mapped file has
 * no file event). A journal commit credited to the fsync that waits for it is linked to that fsync's file event, else
 * to the fault stack of the fsync's own requests when its window holds the commit.
 */
public final class JavaStackIndex {
    private record Entry(long start, long end, String fileName, JavaLink link) {
    }

    /** How far from a writeback's dirtying a file event of the same file may be. */
    static final long NEARBY_NANOS = 1_000_000_000L;
    /** How long before a writeback's last dirtying a method sample may be (JFR samples a thread every 10 to 20 ms). */
    static final long SAMPLE_NEAR_NANOS = 20_000_000L;
    /**
     * How long after it: the last dirtying of a request's pages ends the thread's work on them, and a sample taken
     * later is of what came next.
     */
    static final long SAMPLE_AFTER_NANOS = 1_000_000L;

    /**
     * How far outside a fault stack's window a submission may lie and still be linked to it. The window starts at the
     * submission of its first request exactly, in the kernel's clock, and the agent converts both with the same clock
     * (measured: the same instant, to the nanosecond, within a chunk); a recording's chunks each convert JFR's ticks
     * with their own anchor, which the tolerance absorbs. It must stay far below the gap between two windows of one
     * thread (measured here: 8.8 us and more between a handler's return and the thread's next submission), or a
     * request whose own fault got no stack (over the budget, unwalkable) would be linked to its neighbour's.
     */
    static final long FAULT_STACK_TOLERANCE_NANOS = 1_000L;

    private final Map<Long, List<Entry>> fileEvents = new HashMap<>();
    private final Map<Long, List<Entry>> faultStacks = new HashMap<>();
    private final Map<Long, List<Entry>> nativeSamples = new HashMap<>();
    private final Map<Long, List<Entry>> executionSamples = new HashMap<>();
    private boolean sealed;

    /** A file event of a Java thread, from start to end (epoch nanoseconds). */
    public void addFileEvent(long threadId, long start, long end, JavaLink stack) {
        addFileEvent(threadId, start, end, null, stack);
    }

    /** A file event of a Java thread on a path (null if unknown), from start to end (epoch nanoseconds). */
    public void addFileEvent(long threadId, long start, long end, String path, JavaLink stack) {
        add(fileEvents, threadId, new Entry(start, end, fileName(path), stack));
    }

    /**
     * A fault stack of a Java thread (blkflight.FaultStack): the requests the thread submitted from start (the first
     * one's submission) to end (when its page fault or system call returned to Java and the stack was taken), epoch
     * nanoseconds.
     */
    public void addFaultStack(long threadId, long start, long end, JavaLink stack) {
        add(faultStacks, threadId, new Entry(start, end, null, stack));
    }

    /** A method sample of a Java thread at a time (epoch nanoseconds). */
    public void addSample(long threadId, long time, JavaLink stack) {
        add(stack.source() == JavaLink.Source.NATIVE_SAMPLE ? nativeSamples : executionSamples, threadId,
                new Entry(time, time, null, stack));
    }

    private void add(Map<Long, List<Entry>> index, long threadId, Entry entry) {
        if (!entry.link().frames().isEmpty()) {
            index.computeIfAbsent(threadId, id -> new ArrayList<>()).add(entry);
            sealed = false;
        }
    }

    /**
     * Forgets the file events and samples that ended before the time (epoch nanoseconds): an index fed without end
     * (the agent's push) keeps only what requests still to be linked can need.
     */
    public void forgetBefore(long time) {
        for (Map<Long, List<Entry>> index : List.of(fileEvents, nativeSamples, executionSamples)) {
            index.values().forEach(entries -> entries.removeIf(entry -> entry.end() < time));
            index.values().removeIf(List::isEmpty);
        }
    }

    private void seal() {
        if (!sealed) {
            for (Map<Long, List<Entry>> index : List.of(fileEvents, faultStacks, nativeSamples, executionSamples)) {
                index.values().forEach(entries -> entries.sort(Comparator.comparingLong(Entry::start)));
            }
            sealed = true;
        }
    }

    /** Finds and sets the request's Java stack; returns it ({@link JavaLink#NONE} when nothing links it). */
    public JavaLink link(BlockRequest request) {
        seal();
        JavaLink link = find(request);
        request.link(link);
        return link;
    }

    private JavaLink find(BlockRequest request) {
        if (request.javaThreadId() < 0) {
            return JavaLink.NONE;
        }
        if (request.isWriteback()) {
            return dirtying(request);
        }
        long submitted = request.start();
        Entry fileEvent = containing(fileEvents.get(request.javaThreadId()), submitted);
        if (fileEvent != null) {
            return fileEvent.link();
        }
        Entry faultStack = nearestWindow(faultStacks.get(request.javaThreadId()), submitted, FAULT_STACK_TOLERANCE_NANOS);
        if (faultStack != null) {
            return faultStack.link();
        }
        long from = request.syscallStart() != BlockRequest.NOT_AVAILABLE ? request.syscallStart() : request.start();
        for (Map<Long, List<Entry>> samples : List.of(nativeSamples, executionSamples)) {
            Entry closest = closestWithin(samples.get(request.javaThreadId()), from, request.end(), submitted);
            if (closest != null) {
                return closest.link();
            }
        }
        return JavaLink.NONE;
    }

    /** A writeback request's link: the call of its credited thread that dirtied its pages. */
    private JavaLink dirtying(BlockRequest request) {
        long dirtied = request.dirtiedTime();
        if (dirtied == BlockRequest.NOT_AVAILABLE) {
            return JavaLink.NONE;
        }
        List<Entry> files = fileEvents.get(request.javaThreadId());
        Entry fileEvent = containing(files, dirtied);
        if (fileEvent != null) {
            return fileEvent.link();
        }
        if (request.credit().equals("fsync")) {
            // A journal commit its thread waits for in fsync (dirtied: when the wait began). A force JFR does not time
            // (FileDescriptor.sync: Kafka's checkpoint files) leaves no file event, but the fsync's own data requests
            // left a fault stack whose window, from its first submission to its return to Java, holds the commit.
            Entry faultStack = containing(faultStacks.get(request.javaThreadId()), request.start());
            if (faultStack != null && faultStack.start() >= dirtied) {
                return faultStack.link();
            }
        }
        String name = request.hasFile() ? fileName(request.file()) : null;
        Entry nearby = name == null ? null : nearest(files, dirtied, NEARBY_NANOS, NEARBY_NANOS, name);
        if (nearby != null) {
            return new JavaLink(JavaLink.Source.NEARBY_FILE_EVENT, nearby.link().frames(), nearby.link().lines());
        }
        for (Map<Long, List<Entry>> samples : List.of(nativeSamples, executionSamples)) {
            Entry closest = nearest(samples.get(request.javaThreadId()), dirtied, SAMPLE_NEAR_NANOS, SAMPLE_AFTER_NANOS, null);
            if (closest != null) {
                return closest.link();
            }
        }
        return JavaLink.NONE;
    }

    /**
     * The entry nearest to the time, at most {@code before} before it or {@code after} after it, of that file name
     * when one is given; null if none.
     */
    private static Entry nearest(List<Entry> entries, long time, long before, long after, String fileName) {
        long distance = before;
        if (entries == null) {
            return null;
        }
        Entry best = null;
        long bestDistance = Long.MAX_VALUE;
        int last = lastStartingBefore(entries, time);
        // Backwards from the time (a bounded number), then forwards until entries start beyond the limit or the best.
        for (int i = last, looked = 0; i >= 0 && looked < MAX_LOOK_BACK; i--, looked++) {
            Entry entry = entries.get(i);
            long away = Math.max(0, time - entry.end());
            if (time - entry.start() > distance + MAX_FILE_EVENT_NANOS) {
                break;
            }
            if (away <= distance && away < bestDistance && (fileName == null || fileName.equals(entry.fileName()))) {
                best = entry;
                bestDistance = away;
            }
        }
        for (int i = last + 1; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            long away = entry.start() - time;
            if (away > after || away >= bestDistance) {
                break;
            }
            if (fileName == null || fileName.equals(entry.fileName())) {
                best = entry;
                bestDistance = away;
            }
        }
        return best;
    }

    /** How long a file event is taken to last at most when looking back for the nearest one. */
    private static final long MAX_FILE_EVENT_NANOS = 10_000_000_000L;
    /** How many of a thread's entries before the time are looked at, at most. */
    private static final int MAX_LOOK_BACK = 512;

    /** The last name of a path ("/a/b.log" and "b.log" name the same file for linking); null for none. */
    private static String fileName(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The index of the last entry starting at or before the time, -1 when none does. */
    private static int lastStartingBefore(List<Entry> entries, long time) {
        int low = 0;
        int high = entries.size() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (entries.get(middle).start() <= time) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    /** The file event containing the time: the latest one starting before it that has not ended. */
    private static Entry containing(List<Entry> entries, long time) {
        if (entries == null) {
            return null;
        }
        // Looking back a little covers a longer call that started earlier (overlapping events of one thread).
        for (int i = lastStartingBefore(entries, time), looked = 0; i >= 0 && looked < 8; i--, looked++) {
            if (entries.get(i).end() >= time) {
                return entries.get(i);
            }
        }
        return null;
    }

    /**
     * The entry whose window contains the time, else the one whose window is nearest to it within the tolerance;
     * null if none. A thread's windows do not overlap, so a few entries back from the time are enough.
     */
    private static Entry nearestWindow(List<Entry> entries, long time, long tolerance) {
        if (entries == null) {
            return null;
        }
        Entry best = null;
        long bestDistance = tolerance + 1;
        for (int i = lastStartingBefore(entries, time + tolerance), looked = 0; i >= 0 && looked < 8; i--, looked++) {
            Entry entry = entries.get(i);
            long distance = time < entry.start() ? entry.start() - time : Math.max(0, time - entry.end());
            if (distance < bestDistance) {
                best = entry;
                bestDistance = distance;
            }
            if (entry.end() + tolerance < time) {
                break;
            }
        }
        return best;
    }

    private static Entry closestWithin(List<Entry> samples, long from, long to, long target) {
        if (samples == null) {
            return null;
        }
        int before = lastStartingBefore(samples, target);
        Entry best = null;
        for (int i = Math.max(0, before); i <= before + 1 && i < samples.size(); i++) {
            Entry candidate = samples.get(i);
            if (candidate.start() >= from && candidate.start() <= to
                    && (best == null || Math.abs(candidate.start() - target) < Math.abs(best.start() - target))) {
                best = candidate;
            }
        }
        return best;
    }
}
