package io.blkflight.faultstacks;

import io.blkflight.decode.JavaStackRecord;
import io.blkflight.decode.StackSignalRecord;
import io.blkflight.events.EventTimes;
import io.blkflight.events.FaultStackEvent;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.VirtualThreads;
import io.blkflight.resolve.JfrClock;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Java stacks of faults and native system calls (faultStacks), joined and recorded. Two halves arrive apart: the
 * kernel side's record that it sent a thread the signal, opening an episode at the submission of the thread's
 * first bio (through the ring buffer, {@link #noteSignal}); and the stack the agent's handler took when the signal
 * was delivered, as the fault or call returned to Java (drained from the handler's buffer, {@link #accept}). A
 * stack closes its thread's latest open episode that began before it: one {@code blkflight.FaultStack} event from
 * the episode's start to the stack, to which the readers link every request the thread submitted in between.
 *
 * <p>Nothing is dropped silently: a stack that could not be taken is counted by its cause, an episode whose stack
 * never came (its thread ended, or the call did not return within the timeout) as undelivered, a stack without its
 * episode as unmatched. Bounded: at most {@link #MAX_OPEN} episodes wait at once (a thread has one open at a time,
 * a kernel-side rule), and stacks without their episode wait {@link #UNMATCHED_WAIT_NANOS}. Only the collector thread
 * uses it.
 */
public final class FaultStacks {
    static final int MAX_OPEN = 65_536;
    static final long UNMATCHED_WAIT_NANOS = 1_000_000_000L;
    private static final boolean ENDED_THREADS_UNNAMED = Runtime.version().feature() < 19;
    private static final EventTimes<FaultStackEvent> TIMES = EventTimes.of(FaultStackEvent.class);

    /** AsyncGetCallTrace's failure codes (prims/forte.cpp), by -code. */
    private static final String[] ASGCT_CAUSES = {
        "no Java frame", "no class load events", "GC active", "unknown frame outside Java", "not walkable outside Java",
        "unknown Java frame", "not walkable in Java", "unknown thread state", "thread exiting", "deoptimizing",
        "at a safepoint", "skipped",
    };

    /** A stack taken, with its frames already resolved (jmethodIDs are read while they are valid). */
    private record Stack(int tid, long nanos, int code, String frames, boolean truncated, long seen) {
    }

    /** An episode: its start, and the virtual thread mounted on its thread then (its id; 0: none). */
    private record Episode(long start, long vthread) {
    }

    private final JfrClock clock;
    private final JavaThreads threads;
    private final VirtualThreads virtualThreads;
    private final JavaMethods methods;
    private final long timeoutNanos;
    private final JavaStackRecord view = new JavaStackRecord();
    private final FaultStackEvent event = new FaultStackEvent();
    private final StringBuilder text = new StringBuilder();
    /** Open episodes by thread: their starts, oldest first. */
    private final Map<Integer, ArrayDeque<Episode>> open = new HashMap<>();
    private final List<Stack> unmatched = new ArrayList<>();
    private final Map<String, Long> unwalkableCauses = new TreeMap<>();
    private int openCount;
    private long signals;
    private long recorded;
    private long notJava;
    private long unwalkable;
    private long undelivered;
    private long unmatchedDropped;
    private long tooManyOpen;

    /**
     * @param methodInfo   what a jmethodID names (NativeCollector.methodInfo)
     * @param timeoutNanos how long an episode waits for its stack: a system call may block that long
     * @param virtualThreads the virtual threads the request writer names (null where they are not followed)
     */
    public FaultStacks(JfrClock clock, JavaThreads threads, LongFunction<String> methodInfo, long timeoutNanos,
                       VirtualThreads virtualThreads) {
        this.clock = clock;
        this.threads = threads;
        this.virtualThreads = virtualThreads;
        this.methods = new JavaMethods(methodInfo);
        this.timeoutNanos = timeoutNanos;
    }

    /** The kernel side sent a thread the signal: an episode opens. */
    public void noteSignal(StackSignalRecord signal) {
        signals++;
        if (openCount >= MAX_OPEN) {
            tooManyOpen++;
            return;
        }
        open.computeIfAbsent(signal.tid(), tid -> new ArrayDeque<>(2)).addLast(new Episode(signal.nanos(), signal.vthread()));
        openCount++;
    }

    /**
     * The handler's stacks drained into {@code buffer[0, length)}: each closes its episode and is recorded; then the
     * stacks still without an episode try again, and episodes past the timeout are given up. now: CLOCK_MONOTONIC.
     */
    public void accept(ByteBuffer buffer, int length, long now) {
        List<Stack> taken = new ArrayList<>();
        for (int position = 0; position + JavaStackRecord.HEAD <= length; ) {
            view.wrap(buffer, position);
            if (position + view.size() > length) {
                break;
            }
            taken.add(resolve(view, now));
            position += view.size();
        }
        // The handler's slots are drained in no particular order; a thread's episodes close in time order.
        taken.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        List<Stack> waiting = new ArrayList<>(unmatched);
        unmatched.clear();
        waiting.addAll(taken);
        for (Stack stack : waiting) {
            if (!close(stack)) {
                if (now - stack.seen() < UNMATCHED_WAIT_NANOS) {
                    unmatched.add(stack);
                } else {
                    unmatchedDropped++;
                }
            }
        }
        expire(now);
    }

    private Stack resolve(JavaStackRecord stack, long now) {
        int frames = stack.frames();
        if (frames <= 0) {
            return new Stack(stack.tid(), stack.nanos(), frames, null, false, now);
        }
        text.setLength(0);
        for (int i = 0; i < frames; i++) {
            JavaMethods.Method method = methods.of(stack.method(i));
            int bci = stack.bci(i);
            int line = bci == JavaStackRecord.NATIVE_BCI ? -1 : method.line(bci);
            text.append(method.frame());
            if (line > 0) {
                text.append(':').append(line);
            }
            text.append('\n');
        }
        text.setLength(text.length() - 1);
        return new Stack(stack.tid(), stack.nanos(), frames, text.toString(), stack.truncated(), now);
    }

    /** Closes the stack's episode (its thread's latest open one that began before it) and records it; false if none. */
    private boolean close(Stack stack) {
        ArrayDeque<Episode> episodes = open.get(stack.tid());
        if (episodes == null) {
            return false;
        }
        Episode start = null;
        for (Iterator<Episode> it = episodes.descendingIterator(); it.hasNext(); ) {
            Episode candidate = it.next();
            if (candidate.start() <= stack.nanos()) {
                start = candidate;
                it.remove();
                break;
            }
        }
        if (start == null) {
            return false;
        }
        openCount--;
        if (episodes.isEmpty()) {
            open.remove(stack.tid());
        }
        if (stack.code() > 0) {
            record(stack, start);
        } else if (stack.code() == 0 || stack.code() == JavaStackRecord.NOT_JAVA) {
            notJava++;
        } else {
            unwalkable++;
            unwalkableCauses.merge(cause(stack.code()), 1L, Long::sum);
        }
        return true;
    }

    private void record(Stack stack, Episode episode) {
        long start = episode.start();
        if (!event.isEnabled()) {
            return;
        }
        if (!clock.isCalibrated()) {
            unmatchedDropped++;
            return;
        }
        Thread thread = threads.find(stack.tid(), stack.nanos());
        if (thread == null) {
            notJava++;
            return;
        }
        event.carrierThread = null;
        if (episode.vthread() != 0 && virtualThreads != null) {
            // The handler ran on the carrier while the virtual thread was mounted: the stack is the virtual thread's.
            event.carrierThread = thread;
            thread = virtualThreads.find(episode.vthread(), thread);
        }
        if (thread == null) {
            // A virtual thread no longer held: by id and name, as its requests name it (readers link by that id).
            event.javaThread = null;
            event.endedThread = virtualThreads.name(episode.vthread());
            event.endedThreadId = episode.vthread();
        } else {
            Thread ended = ENDED_THREADS_UNNAMED && !thread.isAlive() ? thread : null;
            event.javaThread = thread;
            event.endedThread = ended == null ? null : ended.getName();
            event.endedThreadId = ended == null ? 0 : threadId(ended);
        }
        event.frames = stack.frames();
        event.truncated = stack.truncated();
        TIMES.set(event, clock.toTicks(start), clock.toTickSpan(stack.nanos() - start));
        event.commit();
        recorded++;
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19; both give the id JFR records.
    private static long threadId(Thread thread) {
        return thread.getId();
    }

    /** Gives up episodes whose stack has not come within the timeout. */
    private void expire(long now) {
        for (Iterator<Map.Entry<Integer, ArrayDeque<Episode>>> entries = open.entrySet().iterator(); entries.hasNext(); ) {
            ArrayDeque<Episode> episodes = entries.next().getValue();
            while (!episodes.isEmpty() && now - episodes.peekFirst().start() > timeoutNanos) {
                episodes.removeFirst();
                openCount--;
                undelivered++;
            }
            if (episodes.isEmpty()) {
                entries.remove();
            }
        }
    }

    static String cause(int code) {
        if (code == JavaStackRecord.NO_ENV) {
            return "no JNI environment";
        }
        return -code < ASGCT_CAUSES.length ? ASGCT_CAUSES[-code] : "AsyncGetCallTrace " + code;
    }

    /** Signals the kernel side reported sending (each opens an episode). */
    public long signals() {
        return signals;
    }

    /** blkflight.FaultStack events committed. */
    public long recorded() {
        return recorded;
    }

    /** Stacks of threads that are not Java threads of this JVM, or had no Java frame: nothing to link (not lost). */
    public long notJava() {
        return notJava;
    }

    /** Stacks AsyncGetCallTrace could not take, by cause in {@link #unwalkableCauses()}. */
    public long unwalkable() {
        return unwalkable;
    }

    /** "not walkable in Java 3, unknown Java frame 1", or "". */
    public String unwalkableCauses() {
        StringBuilder causes = new StringBuilder();
        unwalkableCauses.forEach((cause, count) -> causes.append(causes.length() == 0 ? "" : ", ")
                .append(cause).append(' ').append(String.format(Locale.ROOT, "%,d", count)));
        return causes.toString();
    }

    /**
     * Episodes whose stack never came: their thread ended first (the kernel drops its pending signals), or the call
     * did not return within the timeout; and signals not followed because too many episodes were open.
     */
    public long undelivered() {
        return undelivered + tooManyOpen;
    }

    /** Stacks taken but not recorded: their episode never came (its record lost), or JFR's clock was not known yet. */
    public long dropped() {
        return unmatchedDropped;
    }

    /** The collector stops: episodes still waiting for their stack will not get it. */
    public void close() {
        undelivered += openCount;
        open.clear();
        openCount = 0;
        unmatchedDropped += unmatched.size();
        unmatched.clear();
    }

    /** Episodes waiting for their stack now. */
    int openEpisodes() {
        return openCount;
    }
}
