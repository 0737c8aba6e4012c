package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The Java stack of a thread where a page fault or system call of its that issued block I/O returned to Java
 * (faultStacks): the kernel side's signal, sent at the first bio, is delivered there and the agent's handler takes
 * the stack. The event's time window runs from that first bio's submission to the moment the stack was taken; every
 * request the thread submitted within it came from this access or call. Committed by the collector thread, so JFR's
 * own stack trace and thread of the event mean nothing: the stack is in {@link #frames}, the thread in
 * {@link #javaThread}.
 */
@Name(EventNames.FAULT_STACK)
@Label("Fault Stack")
@Category({EventNames.CATEGORY, "Block I/O"})
@Description("The Java stack where a page fault or system call that issued block I/O returned to Java; the thread's requests submitted in the event's time window are linked to it.")
@StackTrace(false)
public final class FaultStackEvent extends jdk.jfr.Event {
    @Label("Java Thread")
    @Description("The thread whose page fault or system call it was: a virtual thread when one was mounted on the faulting thread (its carrier, in carrierThread).")
    public Thread javaThread;

    @Label("Carrier Thread")
    @Description("When javaThread (or endedThread) is a virtual thread, the platform thread that carried it; empty otherwise.")
    public Thread carrierThread;

    @Label("Ended Java Thread")
    @Description("A Java thread the event cannot name in javaThread: on JDK 17 to 18, whose JFR writes a Java thread that has ended as no thread, its name when it had ended before the stack was recorded; a virtual thread the agent no longer held (carrierThread is set), its name, empty when it has none; empty otherwise.")
    public String endedThread;

    @Label("Ended Java Thread Id")
    @Description("The Java thread id of endedThread; 0 when it is empty.")
    public long endedThreadId;

    @Label("Frames")
    @Description("One frame per line, innermost first, as package.Class.method:line (without :line where unknown: a native method, a class without line numbers).")
    public String frames;

    @Label("Truncated")
    @Description("The stack was deeper than the 64 frames kept: its outermost frames are missing.")
    public boolean truncated;
}
