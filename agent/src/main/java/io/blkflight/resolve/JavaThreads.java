package io.blkflight.resolve;

import io.blkflight.agent.Log;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Finds the {@link Thread} that a kernel thread id of this JVM belonged to at a given moment. Java has
 * no API from a native thread id to a thread, so two sources fill the table:
 * <ul>
 * <li>JVMTI ThreadStart/ThreadEnd callbacks (native/jni.c), which run inside each thread as it starts
 * and ends, with the CLOCK_MONOTONIC time: exact for every thread started after the agent;</li>
 * <li>HotSpot's thread dump (the DiagnosticCommand MBean's threadPrint, as {@code jcmd Thread.print}),
 * which lists each thread's Java id next to its native id (nid): for threads that existed before the
 * agent, and as a fallback for a still unknown thread (at most once per {@link #MIN_DUMP_INTERVAL_NANOS}).</li>
 * </ul>
 * One native thread can carry several Java threads in turn (the launcher's main thread becomes
 * "DestroyJavaVM" when main returns), so each id keeps the lives it had and a lookup names a time.
 * An ended life stays for {@link #ENDED_RETENTION_NANOS}, long enough for its last requests to be
 * recorded; at most {@link #MAX_ENDED} ended lives are kept.
 */
public final class JavaThreads {
    static final long MIN_DUMP_INTERVAL_NANOS = 200_000_000L;
    static final long ENDED_RETENTION_NANOS = 10_000_000_000L;
    static final int MAX_ENDED = 65_536;

    // JDK 17 prints nid=0x1a2b, JDK 19 and later nid=6699. Threads without "#id" are not Java threads.
    private static final Pattern THREAD_LINE =
            Pattern.compile("^\"(.*)\" (?:#(\\d+) )?.*\\bnid=(0x[0-9a-fA-F]+|\\d+)");

    private static volatile JavaThreads tracking;

    /** A Java thread on a native thread from start to end (CLOCK_MONOTONIC; unknown start: MIN_VALUE). */
    private static final class Life {
        final Thread thread;
        final long start;
        volatile long end = Long.MAX_VALUE;

        Life(Thread thread, long start) {
            this.thread = thread;
            this.start = start;
        }

        boolean contains(long monotonicNanos) {
            return start <= monotonicNanos && monotonicNanos <= end;
        }
    }

    /** A life found by {@link #find}, kept for the next lookups of its native thread (immutable, so shared safely). */
    private record Found(int nativeId, Life life) {
    }

    private static final int FOUND_SLOTS = 256;

    private final Supplier<String> dumper;
    /**
     * Lives found lately, by native id modulo the slots: most lookups name a thread that issued I/O a moment
     * ago, and this answers them without boxing the id, locking its history or walking it. A life leaves its
     * slot when it is forgotten.
     */
    private final Found[] found = new Found[FOUND_SLOTS];
    private final Map<Integer, Deque<Life>> lives = new ConcurrentHashMap<>();
    private final AtomicInteger ended = new AtomicInteger();
    /** Threads of the JVM that are not Java threads (GC, compiler, VM threads), by native id, with their dump names. */
    private final Map<Integer, String> notJava = new ConcurrentHashMap<>();
    private final Set<Integer> missing = ConcurrentHashMap.newKeySet();
    private volatile Runnable endListener = () -> { };
    private volatile java.util.function.IntConsumer dumpListener = nativeId -> { };
    private long lastDump = Long.MIN_VALUE;

    public JavaThreads() {
        this(JavaThreads::threadPrint);
    }

    /** With another source of HotSpot-format thread dumps (tests, or a dump taken elsewhere). */
    public JavaThreads(Supplier<String> dumper) {
        this.dumper = dumper;
    }

    /** Makes this instance the receiver of the JVMTI callbacks. */
    public void receiveThreadEvents() {
        tracking = this;
    }

    /** Told each live Java thread a thread dump finds (by native id), one the JVMTI callbacks may not have reported. */
    public void onJavaThreadInDump(java.util.function.IntConsumer listener) {
        dumpListener = listener;
    }

    /** Runs inside each ending Java thread, after its end is noted. */
    public void onThreadEnd(Runnable listener) {
        endListener = listener;
    }

    /** JVMTI ThreadStart, called by native/jni.c inside the new thread. */
    static void started(Thread thread, int nativeId, long monotonicNanos) {
        JavaThreads receiver = tracking;
        if (receiver != null) {
            receiver.threadStarted(thread, nativeId, monotonicNanos);
        }
    }

    /** JVMTI ThreadEnd, called by native/jni.c inside the ending thread. */
    static void ended(int nativeId, long monotonicNanos) {
        JavaThreads receiver = tracking;
        if (receiver != null) {
            receiver.threadEnded(nativeId, monotonicNanos);
            receiver.endListener.run();
        }
    }

    /** A Java thread began to run on the native thread at the CLOCK_MONOTONIC time. */
    public void threadStarted(Thread thread, int nativeId, long monotonicNanos) {
        Deque<Life> history = lives.computeIfAbsent(nativeId, id -> new ArrayDeque<>(2));
        synchronized (history) {
            Life previous = history.peekLast();
            if (previous != null && previous.end == Long.MAX_VALUE) {
                previous.end = monotonicNanos;
                ended.incrementAndGet();
            }
            history.addLast(new Life(thread, monotonicNanos));
        }
        notJava.remove(nativeId);
    }

    /** The Java thread on the native thread ended at the CLOCK_MONOTONIC time. */
    public void threadEnded(int nativeId, long monotonicNanos) {
        Deque<Life> history = lives.get(nativeId);
        if (history == null) {
            return;
        }
        synchronized (history) {
            Life current = history.peekLast();
            if (current != null && current.end == Long.MAX_VALUE) {
                current.end = monotonicNanos;
                ended.incrementAndGet();
            }
        }
    }

    /**
     * The Java thread that ran on this native thread at the CLOCK_MONOTONIC time, or null when none is
     * known; a miss is remembered for the next {@link #refreshIfNeeded}.
     */
    public Thread find(int nativeId, long monotonicNanos) {
        int slot = nativeId & (FOUND_SLOTS - 1);
        Found recent = found[slot];
        if (recent != null && recent.nativeId() == nativeId && recent.life().contains(monotonicNanos)) {
            return recent.life().thread;
        }
        Deque<Life> history = lives.get(nativeId);
        if (history != null) {
            synchronized (history) {
                for (Iterator<Life> it = history.descendingIterator(); it.hasNext(); ) {
                    Life life = it.next();
                    if (life.contains(monotonicNanos)) {
                        found[slot] = new Found(nativeId, life);
                        return life.thread;
                    }
                }
            }
        }
        if (!notJava.containsKey(nativeId)) {
            missing.add(nativeId);
        }
        return null;
    }

    /**
     * The name of a thread of this JVM that is not a Java thread (a GC, compiler or VM thread, as a thread dump names
     * it), once a dump has listed it; null otherwise.
     */
    public String notJavaName(int nativeId) {
        return notJava.get(nativeId);
    }

    /**
     * A thread of this process by its kernel name (/proc/self/task/TID/comm: "C2 CompilerThre", cut at 15 bytes),
     * for threads no dump lists; null once it has ended. Remembered, at most {@link #MAX_TASK_NAMES} of them.
     */
    public String taskName(int nativeId) {
        String known = taskNames.get(nativeId);
        if (known != null) {
            return known.isEmpty() ? null : known;
        }
        String name;
        try {
            name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task/" + nativeId + "/comm")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            name = "";
        }
        if (taskNames.size() >= MAX_TASK_NAMES) {
            taskNames.clear();
        }
        taskNames.put(nativeId, name);
        return name.isEmpty() ? null : name;
    }

    static final int MAX_TASK_NAMES = 1024;
    private final Map<Integer, String> taskNames = new ConcurrentHashMap<>();

    /** Re-reads the thread dump if threads were missed and the last dump is old enough. */
    public void refreshIfNeeded(long nowNanos) {
        if (!missing.isEmpty() && (lastDump == Long.MIN_VALUE || nowNanos - lastDump >= MIN_DUMP_INTERVAL_NANOS)) {
            refresh(nowNanos);
        }
    }

    /**
     * Reads the thread dump now. A live Java thread that no callback reported gets a life with an
     * unknown start; threads without a Java id are remembered as not Java.
     */
    public void refresh(long nowNanos) {
        lastDump = nowNanos;
        String dump;
        try {
            dump = dumper.get();
        } catch (RuntimeException e) {
            Log.debug("thread dump failed: " + e.getMessage());
            missing.clear();
            return;
        }
        Map<Long, Thread> byJavaId = liveThreadsById();
        for (String line : dump.split("\n")) {
            Matcher m = THREAD_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String nid = m.group(3);
            int nativeId = nid.startsWith("0x") ? Integer.parseUnsignedInt(nid.substring(2), 16) : Integer.parseInt(nid);
            if (m.group(2) == null) {
                notJava.put(nativeId, m.group(1));
                continue;
            }
            Thread thread = byJavaId.get(Long.parseLong(m.group(2)));
            if (thread == null) {
                continue;
            }
            Deque<Life> history = lives.computeIfAbsent(nativeId, id -> new ArrayDeque<>(2));
            synchronized (history) {
                if (history.stream().noneMatch(life -> life.thread == thread)) {
                    history.addLast(new Life(thread, Long.MIN_VALUE));
                }
            }
            if (thread.isAlive()) {
                dumpListener.accept(nativeId);
            }
        }
        missing.clear();
    }

    /** Forgets lives that ended long enough ago for their requests to have been recorded. */
    public void forgetEnded(long nowNanos) {
        if (ended.get() == 0) {
            return;
        }
        boolean overfull = ended.get() > MAX_ENDED;
        for (Iterator<Map.Entry<Integer, Deque<Life>>> entries = lives.entrySet().iterator(); entries.hasNext(); ) {
            Map.Entry<Integer, Deque<Life>> entry = entries.next();
            Deque<Life> history = entry.getValue();
            synchronized (history) {
                for (Iterator<Life> it = history.iterator(); it.hasNext(); ) {
                    Life life = it.next();
                    if (life.end != Long.MAX_VALUE && (overfull || nowNanos - life.end > ENDED_RETENTION_NANOS)) {
                        it.remove();
                        ended.decrementAndGet();
                        int slot = entry.getKey() & (FOUND_SLOTS - 1);
                        Found recent = found[slot];
                        if (recent != null && recent.life() == life) {
                            found[slot] = null;
                        }
                    }
                }
                if (history.isEmpty()) {
                    entries.remove();
                }
            }
        }
    }

    /** Native thread ids with at least one known life. */
    public int size() {
        return lives.size();
    }

    /**
     * The system thread group, found once from the thread that loads the agent: a thread that is ending (JDK 17 drains
     * in each ending thread, the main thread's too at exit) has no group any more, so it cannot be found from there.
     */
    private static final ThreadGroup ROOT = rootGroup();

    private static ThreadGroup rootGroup() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root;
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19; both return the id the dump prints.
    private static Map<Long, Thread> liveThreadsById() {
        ThreadGroup root = ROOT;
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int count = root.enumerate(threads, true);
        Map<Long, Thread> byId = new HashMap<>();
        for (int i = 0; i < count; i++) {
            byId.put(threads[i].getId(), threads[i]);
        }
        return byId;
    }

    private static String threadPrint() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new IllegalStateException("HotSpot's threadPrint diagnostic command failed: " + e, e);
        }
    }
}
