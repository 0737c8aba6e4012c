package io.blkflight.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Links block requests to the Java stack of the call that issued them, from what the recording holds:
 * first a file event of the issuing thread (jdk.FileRead, jdk.FileWrite, jdk.FileForce) whose time
 * window contains the request's submission; else a jdk.NativeMethodSample, then a jdk.ExecutionSample,
 * of that thread inside the system call's window (submission to completion when it was in none).
 */
public final class JavaStackIndex {
    private record Entry(long start, long end, JavaLink link) {
    }

    private final Map<Long, List<Entry>> fileEvents = new HashMap<>();
    private final Map<Long, List<Entry>> nativeSamples = new HashMap<>();
    private final Map<Long, List<Entry>> executionSamples = new HashMap<>();
    private boolean sealed;

    /** A file event of a Java thread, from start to end (epoch nanoseconds). */
    public void addFileEvent(long threadId, long start, long end, JavaLink stack) {
        add(fileEvents, threadId, new Entry(start, end, stack));
    }

    /** A method sample of a Java thread at a time (epoch nanoseconds). */
    public void addSample(long threadId, long time, JavaLink stack) {
        add(stack.source() == JavaLink.Source.NATIVE_SAMPLE ? nativeSamples : executionSamples, threadId,
                new Entry(time, time, stack));
    }

    private void add(Map<Long, List<Entry>> index, long threadId, Entry entry) {
        if (!entry.link().frames().isEmpty()) {
            index.computeIfAbsent(threadId, id -> new ArrayList<>()).add(entry);
            sealed = false;
        }
    }

    private void seal() {
        if (!sealed) {
            for (Map<Long, List<Entry>> index : List.of(fileEvents, nativeSamples, executionSamples)) {
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
        long submitted = request.start();
        Entry fileEvent = containing(fileEvents.get(request.javaThreadId()), submitted);
        if (fileEvent != null) {
            return fileEvent.link();
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
