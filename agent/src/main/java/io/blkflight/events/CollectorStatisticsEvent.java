package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * What the collector saw and what it lost, by cause, since it started. Counts are cumulative: the
 * difference between two events is what happened between them.
 */
@Name(EventNames.COLLECTOR_STATISTICS)
@Label("Block I/O Collector Statistics")
@Category({EventNames.CATEGORY, "Collector"})
@Description("Requests the blkflight collector followed, recorded and lost (by cause) since it started.")
@StackTrace(false)
@Period("1 s")
public final class CollectorStatisticsEvent extends jdk.jfr.Event {
    @Label("Bios Queued")
    @Description("Bios queued by an issuer within the scope and device filter.")
    public long biosQueued;

    @Label("Requests Started")
    @Description("Request lifecycles the kernel side started following.")
    public long requestsStarted;

    @Label("Requests Emitted")
    @Description("Finished requests the kernel side passed to the agent.")
    public long requestsEmitted;

    @Label("Requests Recorded")
    @Description("BlockRequest events the agent committed.")
    public long requestsRecorded;

    @Label("Below Minimum Latency")
    @Description("Finished requests left out by the minLatency option (asked for, not lost).")
    public long belowMinimumLatency;

    @Label("Merged Away")
    @Description("Requests merged into another request; their bios completed with it (not lost).")
    public long mergedAway;

    @Label("Untracked Requests")
    @Description("Requests dispatched without a followed lifecycle: outside the scope or device filter, or already in flight when the collector started.")
    public long untracked;

    @Label("Lost: Ring Buffer Full")
    @Description("Finished requests dropped because the ring buffer to the agent was full.")
    public long lostRingBufferFull;

    @Label("Lost: In-Flight Map Full")
    @Description("Requests not followed because the kernel-side map of open lifecycles was full.")
    public long lostInflightMapFull;

    @Label("Lost: Bio Map Full")
    @Description("Bios whose issuer could not be remembered because the kernel-side bio map was full.")
    public long lostBioMapFull;

    @Label("Ends Unseen")
    @Description("Lifecycles whose end the kernel side never saw (the request address started a new lifecycle first); each is recorded with status end-unseen, ending at its last stage seen.")
    public long endUnseen;

    @Label("Lost: Expired")
    @Description("Lifecycles still open after the lifecycle timeout; removed by the agent.")
    public long lostExpired;

    @Label("Lost: Not Recorded")
    @Description("Finished requests the agent received but could not record (no JFR time base or a malformed record).")
    public long lostNotRecorded;

    @Label("Stack Collisions")
    @Description("Stage stacks not kept because their stack-map bucket held another stack (the stage shows no stack, never a wrong one).")
    public long stackCollisions;

    @Label("Stacks Lost")
    @Description("Stage stacks not kept for another reason (unwinding failed, the stack could not be read back).")
    public long stacksLost;

    @Label("Function Hits Lost")
    @Description("Function-level mode: hits on kernel functions not kept because the request's path was full (it holds 32).")
    public long functionHitsLost;

    @Label("Function Paths Lost")
    @Description("Function-level mode: requests whose function path was not kept because the path map was full.")
    public long functionPathsLost;

    @Label("Writeback Started")
    @Description("Lifecycles of requests that write back pages the JVM dirtied, submitted by another task (a flusher kernel thread, or a process that forced them out), credited to the dirtier.")
    public long writebackStarted;

    @Label("Lost: Dirty Files Not Remembered")
    @Description("Dirtyings of files the kernel side could not remember (its map of the JVM's files with dirty pages was full): their writeback by flusher threads is not followed.")
    public long dirtyFilesLost;

    @Label("Dirtyings Not Tallied")
    @Description("Dirtyings (a page, or a thread's batch of up to 64 pages of one chunk) by a fifth thread in one 2 MiB chunk of a file: the kernel side tells four dirtiers apart per chunk, so these pages are not counted for their thread, and the chunk's writeback is credited among the first four.")
    public long dirtyingsUntallied;
    @Label("File Paths Sent")
    @Description("Files whose path the kernel side walked and sent (once per file, again after 10 s of use or when the agent asked).")
    public long filePathsSent;

    @Label("Lost: File Paths")
    @Description("File paths the kernel side could not send because the ring buffer was full; it walks them again at the file's next request.")
    public long filePathsLost;

    @Label("Files Renamed")
    @Description("Files found renamed while in use (their requests since name the new path, marked renamed from the old).")
    public long filesRenamed;

    @Label("Files Forgotten")
    @Description("Files the agent forgot because it held maxFiles of them (the least recently met); their paths are sent again when met.")
    public long filesForgotten;

    @Label("Requests Without Their File's Path")
    @Description("Requests recorded naming their file by inode only: the agent did not have its path (lost, or forgotten while the request was in flight); it asked for it again.")
    public long filesUnnamed;

    @Label("Fault Stack Signals")
    @Description("faultStacks: signals the kernel side sent threads of this JVM that issued block I/O in a page fault or system call, for their Java stack (one per fault or call).")
    public long faultStackSignals;

    @Label("Fault Stacks")
    @Description("faultStacks: Java stacks taken where such a fault or call returned to Java, recorded as blkflight.FaultStack events.")
    public long faultStacks;

    @Label("Fault Stacks Not Java")
    @Description("faultStacks: stacks of threads that are not Java threads of this JVM (GC, compiler or native threads) or had no Java frame: no Java stack to link, nothing lost.")
    public long faultStacksNotJava;

    @Label("Not Taken: Fault Stacks Over Budget")
    @Description("faultStacks: faults and calls given no Java stack because the budget of signals a second was spent; their requests are linked by file events or method samples, if at all.")
    public long faultStacksOverBudget;

    @Label("Not Taken: Fault Stacks Signal Blocked")
    @Description("faultStacks: faults and calls given no Java stack because their thread blocks the signal.")
    public long faultStacksSignalBlocked;

    @Label("Not Taken: Fault Stacks Signal Taken")
    @Description("faultStacks: faults and calls given no Java stack because the signal's handler was not the agent's: other code installed its own (the kernel side sends nothing while so, never a signal that could end the JVM).")
    public long faultStacksSignalTaken;

    @Label("Lost: Fault Stacks Not Sent")
    @Description("faultStacks: faults and calls given no Java stack because the kernel refused to send the signal, or its record did not fit in the ring buffer.")
    public long faultStacksNotSent;

    @Label("Not Taken: Fault Stacks Unwalkable")
    @Description("faultStacks: signals whose handler could not walk the thread's Java stack (AsyncGetCallTrace failed; causes in faultStacksUnwalkableCauses).")
    public long faultStacksUnwalkable;

    @Label("Fault Stacks Unwalkable Causes")
    @Description("faultStacks: AsyncGetCallTrace's reasons for the unwalkable stacks, with counts.")
    public String faultStacksUnwalkableCauses;

    @Label("Not Taken: Fault Stacks Undelivered")
    @Description("faultStacks: signals whose stack never came: the thread ended before its fault or call returned, or the call did not return within lifecycleTimeout (or the agent stopped first).")
    public long faultStacksUndelivered;

    @Label("Lost: Fault Stacks Dropped")
    @Description("faultStacks: stacks taken but not recorded: the handler's buffer was full (the collector did not keep up), or their signal's record was lost.")
    public long faultStacksDropped;

    @Label("Fault Stack Handler Time")
    @Description("faultStacks: time the agent's signal handler spent taking stacks, in the threads it interrupted, all together (divided by the stacks taken: what one costs there, besides the signal's delivery).")
    @Timespan
    public long faultStackHandlerTime;

    @Label("Fault Stack Signals From Elsewhere")
    @Description("faultStacks: signals of the agent's number that did not come from the kernel side (another process sent them); ignored.")
    public long faultStackForeignSignals;

    @Label("Unresolved Java Threads")
    @Description("Requests issued by a thread of this JVM recorded without their Java thread: it had ended before the agent saw it, or before the event was committed on JDK 17 (whose JFR writes an ended thread as no thread), or it is not a Java thread.")
    public long unresolvedThreads;

    @Label("Writeback Without Dirtier")
    @Description("Writeback requests of the JVM's dirty pages recorded without the thread that dirtied them: the kernel side had forgotten both the pages' and the file's dirtier by the time they were written (the file was written clean and dirtied again meanwhile, or its entry was lost).")
    public long writebackUncredited;

    @Label("Virtual Threads Named By Id")
    @Description("Requests credited to a virtual thread that the agent no longer held (it had handed it over too long ago, or could not): the event names it in endedThread and endedThreadId, not javaThread.")
    public long virtualThreadsById;

    @Label("Carriers Without Slot")
    @Description("Carrier threads that found no free slot in the kernel side's carriers map (4 probed per carrier): requests of the virtual threads they carried are credited to them.")
    public long carriersWithoutSlot;

    @Label("Virtual Threads Not Handed Over")
    @Description("Virtual threads that started a request or dirtied pages and unmounted while the hand-over queue to the collector was full (16,384): their requests are named by id only.")
    public long virtualThreadsNotHandedOver;

    @Label("Own I/O Not Followed")
    @Description("Bytes this JVM read from or wrote to block devices by the kernel's account (/proc/self/io) while the collector followed none of its requests: a scope that does not match the JVM as the kernel sees it. 0 once any request of the JVM is followed.")
    @DataAmount
    public long ownIoNotFollowed;

    @Label("Profiles Pushed")
    @Description("Profiles the agent sent to its push= receiver.")
    public long pushProfilesSent;

    @Label("Lost: Profiles Not Pushed")
    @Description("Profiles the agent made for push= but dropped: the receiver refused them for good, did not take them within the tries (retried with backoff), more waited than the agent keeps (8 profiles, 32 MiB), or they were not sent within the 2 s the exit waits for them.")
    public long pushProfilesLost;

    @Label("Lost: Requests Not Pushed")
    @Description("Requests in no profile the receiver took: those of the profiles not pushed, and those past the push's bounds (requests waiting for their Java events, samples of an interval).")
    public long pushRequestsLost;

    @Label("Ring Buffer Peak")
    @Description("The fullest the ring buffer has been.")
    @DataAmount
    public long ringBufferPeak;

    @Label("Ring Buffer Size")
    @DataAmount
    public long ringBufferSize;
}
