package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * What the collector ran with, written at the beginning and end of every chunk so that any part of a
 * recording says what was active, or why nothing was.
 */
@Name(EventNames.COLLECTOR_CONFIGURATION)
@Label("Block I/O Collector Configuration")
@Category({EventNames.CATEGORY, "Collector"})
@Description("How the blkflight collector runs: kernel, probes, scope and options, or why it does not run.")
@StackTrace(false)
@Period("everyChunk")
public final class CollectorConfigurationEvent extends jdk.jfr.Event {
    @Label("State")
    @Description("running, or failed when the collector could not start.")
    public String state;

    @Label("Reason")
    @Description("Why the collector does not run; empty while it runs.")
    public String reason;

    @Label("Kernel Release")
    public String kernelRelease;

    @Label("BTF Source")
    @Description("Where the kernel's type information came from.")
    public String btfSource;

    @Label("Mode")
    @Description("tracepoints: the request lifecycle from block tracepoints; tracepoints+fentry or tracepoints+kprobes: with function-level paths.")
    public String mode;

    @Label("Request Format")
    @Description("compact: requests are blkflight.CompactRequest events naming blkflight.RequestShape and blkflight.RequestAddress events by id; full: blkflight.BlockRequest events.")
    public String format;

    @Label("Probes")
    @Description("The kernel tracepoints attached, comma separated.")
    public String probes;

    @Label("Scope")
    @Description("self: only I/O submitted by this JVM's process; all: every process; cgroup: every process in the JVM's cgroup.")
    public String scope;

    @Label("Scope Detail")
    @Description("Where the JVM was found: its PID namespace (pid:[inode], or initial) and, with scope=cgroup, its cgroup directory.")
    public String scopeDetail;

    @Label("Stacks")
    @Description("Which requests got their stage stacks: N/s (about N a second, spread over kinds of request: trees from them are estimates, scaled to all requests), all (exact trees) or off.")
    public String stacks;

    @Label("Writeback")
    @Description("Whether writeback of the JVM's dirty pages by other tasks is recorded: on, off (writeback=off), or refused: why (the kernel would not load or attach the dirtying programs; the rest runs on).")
    public String writeback;

    @Label("Fault Stacks")
    @Description("Whether page faults and system calls from native code that issue block I/O get their exact Java stack (blkflight.FaultStack): off, or the budget and the signal, e.g. 1000/s on signal 63 (SIGRTMAX-1), or refused: why (the rest runs on).")
    public String faultStacks;

    @Label("Virtual Threads")
    @Description("Whether requests of virtual threads are credited to them (JDK 21 and later): on, off (virtualThreads=off), none (this JDK has no virtual threads), or refused: why (the JVM would not report mounts; their requests stay their carriers').")
    public String virtualThreads;

    @Label("Devices")
    @Description("The disks followed, or all.")
    public String devices;

    @Label("Minimum Latency")
    @Timespan
    public long minimumLatency;

    @Label("Options")
    @Description("The agent options as given.")
    public String options;

    @Label("Agent Version")
    public String agentVersion;

    @Label("Function Tracing")
    @Description("Function-level mode: off, fentry, kprobes, or refused (see Function Tracing Problem).")
    public String functionTracing;

    @Label("Function Tracing Problem")
    @Description("Why function-level mode asked for does not run, or why no function matched; empty otherwise.")
    public String functionTracingProblem;

    @Label("Functions Attached")
    @Description("Function-level mode: the kernel functions followed, one per line as name(arg N).")
    public String functionsAttached;

    @Label("Functions Skipped")
    @Description("Function-level mode: functions that matched functions= but are not followed, one per line as name: reason.")
    public String functionsSkipped;

    @Label("Function Attach Time")
    @Description("How long finding and attaching the functions took.")
    @Timespan
    public long functionAttachTime;
}
