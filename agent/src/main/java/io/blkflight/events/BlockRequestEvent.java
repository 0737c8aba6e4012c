package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;
import jdk.jfr.Unsigned;

/**
 * One block I/O request followed by the kernel through its whole life. The collector sets the event's
 * start time to the moment the request's first bio was queued and its duration to the time until the
 * request completed, both converted from the kernel's CLOCK_MONOTONIC to JFR's time base.
 *
 * <p>A stage that did not happen or could not be seen has {@link Long#MIN_VALUE} in its
 * {@code @Timespan}/{@code @Timestamp} field, which JFR tools print as N/A.
 */
@Name(EventNames.BLOCK_REQUEST)
@Label("Block I/O Request")
@Category({EventNames.CATEGORY, "Block I/O"})
@Description("A block I/O request from the submission of its first bio to its completion, with the thread whose system call issued it.")
@StackTrace(false)
public final class BlockRequestEvent extends jdk.jfr.Event {
    @Label("Device")
    @Description("The disk the request went to, as named in /sys/class/block (for example vda or loop0).")
    public String device;

    @Label("Device Number")
    @Description("The disk's device number, major:minor.")
    public String deviceNumber;

    @Label("Operation")
    @Description("What the request asks of the device: read, write, flush, discard, write-zeroes, secure-erase, zone-append, zone-management, driver-in, driver-out or other.")
    public String operation;

    @Label("Flags")
    @Description("Request flags, comma separated: sync, meta, fua, preflush, readahead, background, prio, nowait, idle, polled, nomerge.")
    public String flags;

    @Label("Sector")
    @Description("Start sector of the request on the whole disk, in 512-byte units.")
    @Unsigned
    public long sector;

    @Label("Bytes")
    @Description("Size of the request when it was dispatched to the driver.")
    @DataAmount
    public long bytes;

    @Label("Allocation Time")
    @Description("From the submission of the first bio until a request was allocated for it (waiting for a tag); N/A when the bio was not seen.")
    @Timespan
    public long allocationTime;

    @Label("Insert Time")
    @Description("From submission until the request was inserted into the I/O scheduler; N/A when it never was.")
    @Timespan
    public long insertTime;

    @Label("Queue Time")
    @Description("From submission until the request was dispatched to the driver; N/A when it never was (for example the empty request of a flush sequence).")
    @Timespan
    public long queueTime;

    @Label("Service Time")
    @Description("From the last dispatch to the driver until completion; N/A when the request was never dispatched.")
    @Timespan
    public long serviceTime;

    @Label("Requeues")
    @Description("How many times the driver sent the request back to be dispatched again.")
    public int requeues;

    @Label("Merges")
    @Description("How many bios were merged into the request after the first.")
    public int merges;

    @Label("Status")
    @Description("Completion status: ok, or the kernel's block status (for example ioerr or timeout); end-unseen when the collector never saw the request end (it ends at its last stage seen).")
    public String status;

    @Label("OS Thread Id")
    @Description("The kernel thread id of the issuer, taken when the first bio was submitted; 0 when unknown.")
    public long osThreadId;

    @Label("Process Id")
    @Description("The process of the issuer; 0 when unknown.")
    public int pid;

    @Label("Command")
    @Description("The issuer's command name as the kernel knows it (the thread's name, truncated to 15 characters).")
    public String comm;

    @Label("Host Process Id")
    @Description("The issuer's process id in the kernel's initial PID namespace; differs from the process id when the JVM runs in a container's PID namespace (where pid is the container's view, 0 for a process it does not see).")
    public int hostPid;

    @Label("Host OS Thread Id")
    @Description("The issuer's thread id in the kernel's initial PID namespace.")
    public long hostThreadId;

    @Label("Cgroup")
    @Description("The issuer's cgroup (v2), as the path of its directory in the hierarchy the JVM sees; cgroup#ID for one it cannot see.")
    public String cgroup;

    @Label("Sample Kind")
    @Description("The request's kind for stack sampling (operation class, flags and submitter's context; see the README): with stacks=N/s, readers scale the sampled requests of a kind to all requests of that kind.")
    public int sampleKind;

    @Label("Writeback")
    @Description("For a request that writes back pages the JVM dirtied, submitted by another task: the flusher's reason (background, periodic, sync, vmscan, fs-free-space, laptop-timer, forker-thread, foreign-flush), other-task when a process other than the dirtier wrote them back, or journal for the journal thread's (jbd2) requests while it commits a transaction holding the JVM's changes; empty otherwise.")
    public String writeback;

    @Label("Credit")
    @Description("How a writeback request was credited to a thread of the JVM: pages (who dirtied the 2 MiB chunks it writes, most pages first), file (its file's last dirtier, where its chunks were forgotten), fsync (a journal commit: the first thread that waits for it in fsync) or shared (a journal commit holding the JVM's changes that no thread of it waits for); empty otherwise.")
    public String credit;

    @Label("Dirtiers")
    @Description("Writeback: how many threads dirtied the pages the request writes (javaThread is the one that dirtied most); 0 otherwise.")
    public int dirtiers;

    @Label("Dirty Age")
    @Description("Writeback: from the last time the credited thread dirtied the request's pages to the request's start; N/A otherwise.")
    @Timespan
    public long dirtyAge;

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

    @Label("System Call")
    @Description("The system call the issuing thread was in when it submitted the request; none for page faults, kernel threads and writeback.")
    public String syscall;

    @Label("System Call Start")
    @Description("When the issuing thread entered that system call; N/A when there was none.")
    @Timestamp(Timestamp.TICKS)
    public long syscallStart;

    @Label("Request Address")
    @Description("The kernel's struct request address of this lifecycle; the kernel reuses it for later requests.")
    @Unsigned
    public long requestAddress;

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

    @Label("Stages in Issuer")
    @Description("The stages that ran in the issuing thread itself, comma separated (submit, insert, issue, complete); the others ran in kernel threads or interrupts.")
    public String stagesInIssuer;

    @Label("Origin")
    @Description("How the submission was seen: bio (first bio queued by the issuer), task (request allocated by the issuer, bio unseen), unknown (first seen at dispatch; earlier stages N/A) or writeback (another task, usually a flusher kernel thread, wrote back pages the JVM dirtied: see writeback and credit).")
    public String origin;

    @Label("Function Path")
    @Description("Function-level mode: the kernel functions the request passed through, one per line: offset from the start in ns (negative: work on its bio before the request existed), function, i (in the issuing thread) or - (kernel thread, interrupt), blkflight.KernelStack id or 0. Empty when the mode is off.")
    public String functionPath;

    @Label("Function Hits Lost")
    @Description("Function-level mode: functions the request passed through that the path could not keep (it holds 32).")
    public int functionHitsLost;

    @Label("File")
    @Description("What the request's first bio read or wrote: the file's path as the JVM reaches it, or a label such as (ext4 journal), (ext4 metadata), (xfs log), (no data); see blkflight.File's path. Empty when requests do not name files (files=off).")
    public String file;

    @Label("Inode")
    @Description("The file's inode number on its filesystem; 0 for what is not a file.")
    @Unsigned
    public long inode;

    @Label("Other Files")
    @Description("Files other than the named one among the bios merged into the request (of its first 16 bios).")
    public int otherFiles;
}
