package io.blkflight.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

import jdk.jfr.Event;

/**
 * Reads and sets the start time and duration JFR keeps in an event object. JFR injects two long fields,
 * {@code startTime} and {@code duration} (in JFR ticks), into every event class on JDK 17 through 25;
 * {@code begin()} stores the current ticks and {@code commit()} keeps a duration that is already set.
 * That lets a collector give an event the kernel's times instead of the moment it was committed.
 * <p>
 * A record, so that an instance held in a {@code static final} field lets the JIT treat its var handles
 * as constants (HotSpot trusts records' final fields): a set then costs two field stores instead of two
 * generic var-handle dispatches, once per request on the collector's hot path.
 */
public record EventTimes<E extends Event>(Class<E> type, VarHandle startTime, VarHandle duration) {
    /** Fails with a message naming the JDK when its JFR stores event times differently. */
    public static <E extends Event> EventTimes<E> of(Class<E> type) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            return new EventTimes<>(type, lookup.findVarHandle(type, "startTime", long.class),
                    lookup.findVarHandle(type, "duration", long.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JDK (" + Runtime.version() + ") does not keep JFR event times in"
                    + " startTime/duration fields, so kernel times cannot be given to " + type.getName(), e);
        }
    }

    /** JFR's current ticks, or 0 when no recording has this event enabled (begin() then stores nothing). */
    public long nowTicks() {
        return ticks().getAsLong();
    }

    /**
     * JFR's current ticks as {@link #nowTicks()} reads them, through one probe event made here: for a clock
     * that calibrates on every batch, where making an event reflectively each time would cost more than the
     * reading. The supplier must not be used by two threads at once.
     */
    public LongSupplier ticks() {
        E probe;
        try {
            probe = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            return () -> 0;
        }
        return () -> {
            startTime.set(probe, 0L);
            probe.begin();
            return (long) startTime.get(probe);
        };
    }

    /** Sets the event's times; a duration under one tick becomes one, which commit() keeps as set. */
    public void set(E event, long startTicks, long durationTicks) {
        startTime.set(event, startTicks);
        duration.set(event, Math.max(1, durationTicks));
    }
}
