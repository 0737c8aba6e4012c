package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * What compact block requests of one issuer and kind share, written once per chunk before the first
 * {@link CompactRequestEvent} that names it. The fields mean what they mean in {@link BlockRequestEvent}.
 */
@Name(EventNames.REQUEST_SHAPE)
@Label("Block I/O Request Shape")
@Category({EventNames.CATEGORY, "Block I/O"})
@Description("The device, operation, flags, status, issuer and system call that blkflight.CompactRequest events name by shape.")
@StackTrace(false)
public final class RequestShapeEvent extends jdk.jfr.Event {
    @Label("Shape Id")
    @Description("The id blkflight.CompactRequest events use for this shape (never 0).")
    public long shapeId;

    @Label("Device")
    @Description("The disk the requests went to, as named in /sys/class/block.")
    public String device;

    @Label("Device Number")
    @Description("The disk's device number, major:minor.")
    public String deviceNumber;

    @Label("Operation")
    public String operation;

    @Label("Flags")
    public String flags;

    @Label("Status")
    @Description("Completion status: ok, the kernel's block status, or end-unseen (the collector never saw the request end).")
    public String status;

    @Label("Origin")
    @Description("How the submission was seen: bio, task, unknown or writeback (another task wrote back pages the JVM dirtied).")
    public String origin;

    @Label("Stages in Issuer")
    @Description("The stages that ran in the issuing thread itself, comma separated (submit, insert, issue, complete).")
    public String stagesInIssuer;

    @Label("System Call")
    @Description("The system call the issuing thread was in; none for page faults, kernel threads and writeback.")
    public String syscall;

    @Label("OS Thread Id")
    @Description("The kernel thread id of the issuer; 0 when unknown.")
    public long osThreadId;

    @Label("Process Id")
    public int pid;

    @Label("Command")
    @Description("The issuer's command name as the kernel knows it.")
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
}
