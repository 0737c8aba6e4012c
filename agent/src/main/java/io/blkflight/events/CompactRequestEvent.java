package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Unsigned;

/**
 * A block request in the compact format (the agent's default, {@code format=compact}): the same request
 * as {@link BlockRequestEvent}, with what many requests share (device, operation, flags, status, issuer,
 * system call...) written once per chunk as a {@link RequestShapeEvent} and the kernel's request address
 * as a {@link RequestAddressEvent}, both named here by id. A stage that did not happen has 0 in its
 * timespan (a real one is at least 1 ns). The report command and the Mission Control plugin join them.
 */
@Name(EventNames.COMPACT_REQUEST)
@Label("Block I/O Request (compact)")
@Category({EventNames.CATEGORY, "Block I/O"})
@Description("A block I/O request from the submission of its first bio to its completion. Device, operation, issuer and the"
        + " other fields requests share are in the blkflight.RequestShape event named by shape; 0 in a time means N/A.")
@StackTrace(false)
public final class CompactRequestEvent extends jdk.jfr.Event {
    @Label("Shape")
    @Description("The shapeId of the blkflight.RequestShape event (written earlier in the same chunk) with this request's device, operation, flags, status, issuer and system call.")
    public long shape;

    @Label("Sector")
    @Description("Start sector of the request on the whole disk, in 512-byte units.")
    @Unsigned
    public long sector;

    @Label("Bytes")
    @Description("Size of the request when it was dispatched to the driver.")
    @DataAmount
    public long bytes;

    @Label("Allocation Time")
    @Description("From the submission of the first bio until a request was allocated for it; 0 when the bio was not seen.")
    @Timespan
    public long allocationTime;

    @Label("Insert Time")
    @Description("From submission until the request was inserted into the I/O scheduler; 0 when it never was.")
    @Timespan
    public long insertTime;

    @Label("Queue Time")
    @Description("From submission until the request was dispatched to the driver; 0 when it never was.")
    @Timespan
    public long queueTime;

    @Label("Service Time")
    @Description("From the last dispatch to the driver until completion; 0 when the request was never dispatched or its end was not seen.")
    @Timespan
    public long serviceTime;

    @Label("Time in System Call")
    @Description("From the issuing thread's entry into its system call until the request's start; 0 when not known (syscallStart=off, or no system call).")
    @Timespan
    public long syscallTime;

    @Label("Requeues")
    @Description("How many times the driver sent the request back to be dispatched again.")
    public int requeues;

    @Label("Merges")
    @Description("How many bios were merged into the request after the first.")
    public int merges;

    @Label("Java Thread")
    @Description("The Java thread that issued the request, when the issuer is a Java thread of this JVM: a virtual thread when one was mounted on the issuing thread (its carrier, in carrierThread) as the request started; for writeback the thread that dirtied the pages.")
    public Thread javaThread;

    @Label("Carrier Thread")
    @Description("When javaThread (or endedThread) is a virtual thread: the platform thread that carried it when the request started (or when it dirtied the pages); empty otherwise.")
    public Thread carrierThread;

    @Label("Ended Java Thread")
    @Description("A Java thread the event cannot name in javaThread: on JDK 17 to 18, whose JFR writes a Java thread that has ended as no thread, its name when it had ended before the request was recorded (a writeback request's dirtier often has); a virtual thread the agent no longer held (carrierThread is set), its name, empty when it has none; empty otherwise.")
    public String endedThread;

    @Label("Ended Java Thread Id")
    @Description("The Java thread id of endedThread; 0 when there is none.")
    public long endedThreadId;

    @Label("Dirtier")
    @Description("Writeback credited to a thread that is not a Java thread: its name (a JVM thread such as \"VM Thread\" or a GC thread, by the thread dump's name; \"tid N\" if unnamed), or \"pid P tid T\" for another process in the scope; empty otherwise (javaThread names the dirtier).")
    public String dirtier;

    @Label("Address")
    @Description("The addressId of the blkflight.RequestAddress event with the kernel's struct request address of this lifecycle.")
    public long address;

    @Label("Generation")
    @Description("How many lifecycles this request address has had since the collector started, this one included.")
    public int generation;

    @Label("Submit Stack")
    @Description("The blkflight.KernelStack where the first bio was queued; 0 when there is none (stacks off or lost).")
    public long submitStack;

    @Label("Insert Stack")
    @Description("The blkflight.KernelStack where the request was inserted into the scheduler; 0 when there is none.")
    public long insertStack;

    @Label("Issue Stack")
    @Description("The blkflight.KernelStack where the request was (last) dispatched to the driver; 0 when there is none.")
    public long issueStack;

    @Label("Complete Stack")
    @Description("The blkflight.KernelStack where the request (last) completed; 0 when there is none.")
    public long completeStack;

    @Label("Stack Weight")
    @Description("With sampled stacks (stacks=N/s): how many requests of its kind this request's stage stacks stand for (the stride the kernel side picked it at); 0 when it has none; 1 with stacks=all.")
    public int stackWeight;

    @Label("Dirtiers")
    @Description("Writeback: how many threads dirtied the pages the request writes (javaThread is the one that dirtied most); 0 otherwise.")
    public int dirtiers;

    @Label("Dirty Age")
    @Description("Writeback: from the last time the credited thread dirtied the request's pages to the request's start; 0 when N/A.")
    @Timespan
    public long dirtyAge;
    @Label("File")
    @Description("The fileId of the blkflight.File (written earlier in the same chunk) that the request's first bio read or wrote; 0 when requests do not name files (files=off).")
    public long file;

    @Label("Other Files")
    @Description("Files other than the named one among the bios merged into the request (of its first 16 bios).")
    public int otherFiles;
}
