package io.blkflight.resolve;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the {@link Thread} of a virtual thread that the kernel side credited a request to, by its id (a record's
 * vthread): the kernel side reads which virtual thread is mounted on the issuing carrier as the request starts
 * (bpf/vthreads.bpf.h), but only its id. Its Thread comes from two places:
 * <ul>
 * <li>the hand-over (native/mounts.c): a virtual thread that the kernel side saw start a request or dirty pages is
 * handed to the collector as it unmounts or ends, the usual case;</li>
 * <li>the carrier, for a virtual thread still mounted when its request is written (reads in a loop never unmount,
 * a file read pins the virtual thread to its carrier): HotSpot's GetVirtualThread of the carrier, checked against the
 * id.</li>
 * </ul>
 * The collector thread alone uses an instance. Threads are held while their requests may still come: {@link
 * #ISSUER_RETENTION_NANOS} after they were handed over or last named, {@link #DIRTIER_RETENTION_NANOS} for one that
 * dirtied pages (a flusher writes them back up to half a minute later); at most {@link #MAX_HELD}, the least
 * recently used then kept by name only (at most {@link #MAX_NAMED}), so that a service's millions of short-lived
 * virtual threads cost bounded memory.
 */
public final class VirtualThreads {
    /** What the kernel side saw a handed-over virtual thread do (enum bf_carrier_io, bpf/vthreads.h). */
    public static final int ISSUED = 1;
    public static final int DIRTIED = 2;

    static final long ISSUER_RETENTION_NANOS = 10_000_000_000L;
    static final long DIRTIER_RETENTION_NANOS = 120_000_000_000L;
    static final int MAX_HELD = 16_384;
    static final int MAX_NAMED = 16_384;
    private static final int TAKE_AT_ONCE = 256;

    /** Where virtual threads come from: the native hand-over queue and HotSpot's GetVirtualThread (or a test's). */
    public interface Source {
        /** Takes handed-over virtual threads into the arrays (thread, id, {@link #ISSUED}/{@link #DIRTIED} bits); how many. */
        int take(Thread[] threads, long[] ids, int[] io);

        /** The virtual thread mounted on the carrier now, or null. */
        Thread mounted(Thread carrier);
    }

    /** A virtual thread held, until its deadline (CLOCK_MONOTONIC of System.nanoTime). */
    private static final class Held {
        final Thread thread;
        long deadline;

        Held(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
        }
    }

    private final Source source;
    private final Thread[] takenThreads = new Thread[TAKE_AT_ONCE];
    private final long[] takenIds = new long[TAKE_AT_ONCE];
    private final int[] takenIo = new int[TAKE_AT_ONCE];
    /** By id, least recently used first. */
    private final LinkedHashMap<Long, Held> held = new LinkedHashMap<>(1024, 0.75f, true);
    /** Names of virtual threads no longer held, by id, least recently used first ("" for an unnamed one). */
    private final LinkedHashMap<Long, String> named = new LinkedHashMap<>(1024, 0.75f, true);
    private long now = System.nanoTime();
    private long mountedLookups;

    public VirtualThreads(Source source) {
        this.source = source;
    }

    /** Takes what was handed over and forgets what is past its retention; before each batch of requests is written. */
    public void refresh(long nowNanos) {
        now = nowNanos;
        takeHandedOver();
        for (Iterator<Map.Entry<Long, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Held> entry = it.next();
            if (entry.getValue().deadline - nowNanos < 0) {
                it.remove();
                remember(entry.getKey(), entry.getValue().thread);
            }
        }
    }

    private void takeHandedOver() {
        int count;
        do {
            count = source.take(takenThreads, takenIds, takenIo);
            for (int i = 0; i < count; i++) {
                hold(takenIds[i], takenThreads[i], (takenIo[i] & DIRTIED) != 0 ? DIRTIER_RETENTION_NANOS : ISSUER_RETENTION_NANOS);
                takenThreads[i] = null;
            }
        } while (count == TAKE_AT_ONCE);
    }

    private void hold(long id, Thread thread, long retention) {
        Held known = held.get(id);
        long deadline = now + retention;
        if (known != null) {
            known.deadline = Math.max(known.deadline, deadline);
            return;
        }
        held.put(id, new Held(thread, deadline));
        named.remove(id);
        if (held.size() > MAX_HELD) {
            Iterator<Map.Entry<Long, Held>> eldest = held.entrySet().iterator();
            Map.Entry<Long, Held> entry = eldest.next();
            eldest.remove();
            remember(entry.getKey(), entry.getValue().thread);
        }
    }

    private void remember(long id, Thread thread) {
        named.put(id, thread.getName());
        if (named.size() > MAX_NAMED) {
            Iterator<Long> eldest = named.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /**
     * The virtual thread of that id, or null when it is no longer held (then {@link #name} may still know its name).
     * carrier: the platform thread that carried it when the request started, if known: a virtual thread still mounted
     * on it is found there.
     */
    public Thread find(long id, Thread carrier) {
        Held known = held.get(id);
        if (known != null) {
            // Still issuing: held on (a virtual thread reading for minutes without unmounting is not handed over again).
            known.deadline = Math.max(known.deadline, now + ISSUER_RETENTION_NANOS);
            return known.thread;
        }
        // Known by name only (or not at all, after a look-up failed): no use asking the carrier again.
        if (carrier != null && !named.containsKey(id)) {
            mountedLookups++;
            Thread mounted = source.mounted(carrier);
            if (mounted != null && threadId(mounted) == id) {
                hold(id, mounted, ISSUER_RETENTION_NANOS);
                return mounted;
            }
            // It may have unmounted a moment ago, and been handed over as it did.
            takeHandedOver();
            known = held.get(id);
            if (known != null) {
                return known.thread;
            }
            named.put(id, "");
        }
        return null;
    }

    /** The name of a virtual thread no longer held ("" when it has none), or "" when it is not known at all. */
    public String name(long id) {
        String name = named.get(id);
        return name == null ? "" : name;
    }

    /** Virtual threads held now. */
    public int held() {
        return held.size();
    }

    /** Look-ups of a carrier's mounted virtual thread (each one a HotSpot call that pauses mounts for a moment). */
    public long mountedLookups() {
        return mountedLookups;
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19; both return the id the kernel side records.
    private static long threadId(Thread thread) {
        return thread.getId();
    }
}
