package io.blkflight.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One block request as a recording holds it, read by either the report command (jdk.jfr.consumer) or the
 * Mission Control plugin (JMC's item API). Times are nanoseconds since the epoch; spans are nanoseconds,
 * {@link #NOT_AVAILABLE} where the stage did not happen or was not seen.
 */
public final class BlockRequest {
    public static final long NOT_AVAILABLE = Long.MIN_VALUE;

    private final long start;
    private final long duration;
    private final String device;
    private final String deviceNumber;
    private final String operation;
    private final String flags;
    private final long sector;
    private final long bytes;
    private final long allocationTime;
    private final long insertTime;
    private final long queueTime;
    private final long serviceTime;
    private final String status;
    private final long osThreadId;
    private final int pid;
    private final String comm;
    private final String javaThreadName;
    private final long javaThreadId;
    private final boolean virtualThread;
    private final String carrierThreadName;
    private final String syscall;
    private final long syscallStart;
    private final long requestAddress;
    private final int generation;
    private final Map<Stage, List<String>> kernelStacks;
    private final Set<Stage> stagesInIssuer;
    private final List<FunctionHit> functionPath;
    private final int functionHitsLost;
    private final int sampleKind;
    private final int stackWeight;
    private final String file;
    private final String fileKind;
    private final long inode;
    private final int otherFiles;
    private final String writeback;
    private final String credit;
    private final int dirtiers;
    private final long dirtiedTime;
    private final String otherDirtier;
    private final String origin;
    private final int requeues;
    private final int merges;
    private final int hostPid;
    private final long hostThreadId;
    private final String cgroup;
    private JavaLink javaLink = JavaLink.NONE;

    private BlockRequest(Builder b) {
        start = b.start;
        duration = b.duration;
        device = b.device;
        deviceNumber = b.deviceNumber;
        operation = b.operation;
        flags = b.flags;
        sector = b.sector;
        bytes = b.bytes;
        allocationTime = b.allocationTime;
        insertTime = b.insertTime;
        queueTime = b.queueTime;
        serviceTime = b.serviceTime;
        status = b.status;
        osThreadId = b.osThreadId;
        pid = b.pid;
        comm = b.comm;
        javaThreadName = b.javaThreadName;
        javaThreadId = b.javaThreadId;
        virtualThread = b.virtualThread;
        carrierThreadName = b.carrierThreadName;
        syscall = b.syscall;
        syscallStart = b.syscallStart;
        requestAddress = b.requestAddress;
        generation = b.generation;
        kernelStacks = Collections.unmodifiableMap(new EnumMap<>(b.kernelStacks));
        stagesInIssuer = Collections.unmodifiableSet(b.stagesInIssuer.isEmpty() ? EnumSet.noneOf(Stage.class)
                : EnumSet.copyOf(b.stagesInIssuer));
        functionPath = List.copyOf(b.functionPath);
        functionHitsLost = b.functionHitsLost;
        sampleKind = b.sampleKind;
        stackWeight = b.stackWeight;
        file = b.file;
        fileKind = b.fileKind;
        inode = b.inode;
        otherFiles = b.otherFiles;
        writeback = b.writeback;
        credit = b.credit;
        dirtiers = b.dirtiers;
        dirtiedTime = b.dirtiedTime;
        otherDirtier = b.otherDirtier;
        origin = b.origin;
        requeues = b.requeues;
        merges = b.merges;
        hostPid = b.hostPid;
        hostThreadId = b.hostThreadId;
        cgroup = b.cgroup;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** When the first bio was queued (or the request first seen). */
    public long start() {
        return start;
    }

    /** Submission to completion. */
    public long duration() {
        return duration;
    }

    public long end() {
        return start + duration;
    }

    public String device() {
        return device;
    }

    /** major:minor. */
    public String deviceNumber() {
        return deviceNumber;
    }

    public String operation() {
        return operation;
    }

    public String flags() {
        return flags;
    }

    public long sector() {
        return sector;
    }

    public long bytes() {
        return bytes;
    }

    /**
     * Whether the request's bytes are data that moved (read, write, zone-append); a discard, write-zeroes or
     * secure-erase only names a range of the disk, often hundreds of MiB, which totals must keep apart.
     */
    public boolean movesData() {
        return operation.equals("read") || operation.equals("write") || operation.equals("zone-append");
    }

    public long allocationTime() {
        return allocationTime;
    }

    public long insertTime() {
        return insertTime;
    }

    public long queueTime() {
        return queueTime;
    }

    public long serviceTime() {
        return serviceTime;
    }

    public String status() {
        return status;
    }

    public long osThreadId() {
        return osThreadId;
    }

    public int pid() {
        return pid;
    }

    public String comm() {
        return comm;
    }

    /** The issuing Java thread's name, or null when the issuer is not a Java thread of the JVM. */
    public String javaThreadName() {
        return javaThreadName;
    }

    /** The issuing Java thread's id, -1 when there is none. */
    public long javaThreadId() {
        return javaThreadId;
    }

    /**
     * Whether the Java thread is a virtual thread: the request was issued (or its pages dirtied) while it was mounted
     * on a carrier thread, {@link #carrierThreadName()}.
     */
    public boolean virtualThread() {
        return virtualThread;
    }

    /** The platform thread that carried the virtual thread when it issued the request; null when none is known. */
    public String carrierThreadName() {
        return carrierThreadName;
    }

    /**
     * How a reader names a virtual thread: by its name, or when it has none (the default for virtual threads) by its
     * id, as the JDK's own {@code VirtualThread[#id]} does.
     */
    public static String virtualThreadName(String name, long id) {
        return name == null || name.isEmpty() ? "VirtualThread#" + id : name;
    }

    /** Who issued it: the Java thread's name, else the kernel's name for the task. */
    public String issuer() {
        return javaThreadName != null ? javaThreadName : comm == null || comm.isEmpty() ? "(unknown)" : comm;
    }

    public String syscall() {
        return syscall;
    }

    /** When the issuing thread entered its system call, {@link #NOT_AVAILABLE} when it was in none. */
    public long syscallStart() {
        return syscallStart;
    }

    public long requestAddress() {
        return requestAddress;
    }

    public int generation() {
        return generation;
    }

    /** The kernel stack of a stage, innermost frame first; empty when the recording has none. */
    public List<String> kernelStack(Stage stage) {
        return kernelStacks.getOrDefault(stage, List.of());
    }

    /** Whether the recording holds a kernel stack of any of the request's stages. */
    public boolean hasKernelStacks() {
        return !kernelStacks.isEmpty();
    }

    /** The request's kind for stack sampling ({@link KindWeights}); -1 when the recording does not say. */
    public int sampleKind() {
        return sampleKind;
    }

    /**
     * With sampled stacks: how many requests of its kind this one's stacks stand for (the kernel's stride when it
     * picked it); 1 where the recording does not say (stacks=all, older agents).
     */
    public int stackWeight() {
        return stackWeight;
    }

    /** Whether the stage ran in the issuing thread itself (not a kernel thread or an interrupt). */
    public boolean inIssuer(Stage stage) {
        return stagesInIssuer.contains(stage);
    }

    /** The kernel functions the request passed through, in order (function-level mode); else empty. */
    public List<FunctionHit> functionPath() {
        return functionPath;
    }

    /** Function hits the kernel side could not keep in the path (it holds at most 32). */
    public int functionHitsLost() {
        return functionHitsLost;
    }

    /**
     * What the request's first bio read or wrote: the file's path (with a state such as " (deleted)" after it), or
     * a label in parentheses for what is not a file, "(ext4 journal)", "(no data)"...; "" when the recording does
     * not say (files=off, or an agent before files).
     */
    public String file() {
        return file;
    }

    /** Whether the recording names the request's file. */
    public boolean hasFile() {
        return !file.isEmpty();
    }

    /** file, directory, journal, metadata, ... ("" when not named). */
    public String fileKind() {
        return fileKind;
    }

    /** The file's inode number, 0 for what is not a file. */
    public long inode() {
        return inode;
    }

    /** Files other than the named one among the bios merged into the request. */
    public int otherFiles() {
        return otherFiles;
    }

    /**
     * Whether another task (a flusher kernel thread, or a process that forced them out) wrote back pages the JVM had
     * dirtied: then the issuer is that task, and the Java thread the one that dirtied most of the pages.
     */
    public boolean isWriteback() {
        return !writeback.isEmpty();
    }

    /**
     * A writeback request's reason (background, periodic, sync, vmscan, ..., other-task, or journal for the journal
     * thread's requests while it commits the JVM's changes); "" for others.
     */
    public String writeback() {
        return writeback;
    }

    /**
     * How a writeback request was credited: pages or file (its dirtier), fsync (a journal commit, to the thread that
     * waits for it in fsync), shared (a journal commit no thread of the JVM waits for), or "" (not credited, or not
     * writeback).
     */
    public String credit() {
        return credit;
    }

    /** A journal commit holding the JVM's changes that no thread of the JVM waits for. */
    public boolean sharedJournal() {
        return credit.equals("shared");
    }

    /** Writeback: how many threads dirtied the pages it writes; 0 otherwise. */
    public int dirtiers() {
        return dirtiers;
    }

    /**
     * Writeback credited to a thread that is not a Java thread of the JVM: its name ("VM Thread", "tid 123", "pid 9
     * tid 12" for another process); "" otherwise.
     */
    public String otherDirtier() {
        return otherDirtier;
    }

    /** {@link #otherDirtier()} said plainly: "VM Thread, a JVM thread" or "pid 9 tid 12, another process"; "" if none. */
    public String otherDirtierLabel() {
        return otherDirtier.isEmpty() ? "" : otherDirtier + (otherDirtier.startsWith("pid ") ? ", another process" : ", a JVM thread");
    }

    /** Writeback: when the credited thread last dirtied its pages (epoch nanoseconds); {@link #NOT_AVAILABLE} otherwise. */
    public long dirtiedTime() {
        return dirtiedTime;
    }

    /** How the collector first saw the request: bio, task, unknown ("" when the recording does not say). */
    public String origin() {
        return origin;
    }

    /** Times the driver requeued the request. */
    public int requeues() {
        return requeues;
    }

    /** Bios merged into the request after its first. */
    public int merges() {
        return merges;
    }

    /** The issuer's process id in the kernel's initial PID namespace (the host's view of a container); 0 if not said. */
    public int hostPid() {
        return hostPid;
    }

    /** The issuer's thread id in the kernel's initial PID namespace; 0 if not said. */
    public long hostThreadId() {
        return hostThreadId;
    }

    /** The issuer's cgroup (v2) as a path in the hierarchy the JVM sees; "" if not said. */
    public String cgroup() {
        return cgroup;
    }

    /** The Java stack of the call that issued the request, as linked by {@link JavaStackIndex}. */
    public JavaLink javaLink() {
        return javaLink;
    }

    public void link(JavaLink link) {
        this.javaLink = link;
    }

    /** Fills a request; every field has the value of "unknown" until set. */
    public static final class Builder {
        private long start;
        private long duration;
        private String device = "";
        private String deviceNumber = "";
        private String operation = "";
        private String flags = "";
        private long sector;
        private long bytes;
        private long allocationTime = NOT_AVAILABLE;
        private long insertTime = NOT_AVAILABLE;
        private long queueTime = NOT_AVAILABLE;
        private long serviceTime = NOT_AVAILABLE;
        private String status = "";
        private long osThreadId;
        private int pid;
        private String comm = "";
        private String javaThreadName;
        private long javaThreadId = -1;
        private boolean virtualThread;
        private String carrierThreadName;
        private String syscall = "none";
        private long syscallStart = NOT_AVAILABLE;
        private long requestAddress;
        private int generation;
        private final Map<Stage, List<String>> kernelStacks = new EnumMap<>(Stage.class);
        private final Set<Stage> stagesInIssuer = EnumSet.noneOf(Stage.class);
        private final List<FunctionHit> functionPath = new ArrayList<>();
        private int functionHitsLost;
        private int sampleKind = -1;
        private int stackWeight = 1;
        private String file = "";
        private String fileKind = "";
        private long inode;
        private int otherFiles;
        private String writeback = "";
        private String credit = "";
        private int dirtiers;
        private long dirtiedTime = NOT_AVAILABLE;
        private String otherDirtier = "";
        private String origin = "";
        private int requeues;
        private int merges;
        private int hostPid;
        private long hostThreadId;
        private String cgroup = "";

        public Builder time(long start, long duration) {
            this.start = start;
            this.duration = duration;
            return this;
        }

        public Builder where(String device, String deviceNumber, String operation, String flags, long sector, long bytes) {
            this.device = device;
            this.deviceNumber = deviceNumber;
            this.operation = operation;
            this.flags = flags;
            this.sector = sector;
            this.bytes = bytes;
            return this;
        }

        public Builder stages(long allocationTime, long insertTime, long queueTime, long serviceTime) {
            this.allocationTime = allocationTime;
            this.insertTime = insertTime;
            this.queueTime = queueTime;
            this.serviceTime = serviceTime;
            return this;
        }

        public Builder status(String status) {
            this.status = status;
            return this;
        }

        public Builder issuer(int pid, long osThreadId, String comm, String javaThreadName, long javaThreadId) {
            this.pid = pid;
            this.osThreadId = osThreadId;
            this.comm = comm;
            this.javaThreadName = javaThreadName;
            this.javaThreadId = javaThreadId;
            return this;
        }

        /** The Java thread is a virtual thread, carried by that platform thread (null when not known). */
        public Builder virtualThread(String carrierThreadName) {
            this.virtualThread = true;
            this.carrierThreadName = carrierThreadName;
            return this;
        }

        public Builder syscall(String syscall, long syscallStart) {
            this.syscall = syscall;
            this.syscallStart = syscallStart;
            return this;
        }

        public Builder lifecycle(long requestAddress, int generation) {
            this.requestAddress = requestAddress;
            this.generation = generation;
            return this;
        }

        /** A stage's kernel stack, innermost frame first, and whether it ran in the issuing thread. */
        public Builder kernelStack(Stage stage, List<String> innermostFirst, boolean inIssuer) {
            if (!innermostFirst.isEmpty()) {
                kernelStacks.put(stage, List.copyOf(innermostFirst));
            }
            if (inIssuer) {
                stagesInIssuer.add(stage);
            }
            return this;
        }

        /** The request's kind for stack sampling. */
        public Builder sampleKind(int kind) {
            this.sampleKind = kind;
            return this;
        }

        /** How many requests of its kind its stacks stand for (at least 1). */
        public Builder stackWeight(int weight) {
            this.stackWeight = Math.max(1, weight);
            return this;
        }

        /**
         * Writeback of the JVM's pages by another task: its reason, how it was credited, the dirtiers and when the
         * credited one last dirtied the pages ({@link #NOT_AVAILABLE} if unknown). A null or empty reason: no writeback.
         */
        public Builder writeback(String reason, String credit, int dirtiers, long dirtiedTime) {
            this.writeback = reason == null ? "" : reason;
            this.credit = credit == null ? "" : credit;
            this.dirtiers = dirtiers;
            this.dirtiedTime = dirtiedTime;
            return this;
        }

        /** A writeback request's dirtier when it is not a Java thread ({@link BlockRequest#otherDirtier()}). */
        public Builder otherDirtier(String name) {
            this.otherDirtier = name == null ? "" : name;
            return this;
        }

        /** What the request read or wrote ({@link BlockRequest#file()}), and the other files merged into it. */
        public Builder file(String file, String kind, long inode, int otherFiles) {
            this.file = file == null ? "" : file;
            this.fileKind = kind == null ? "" : kind;
            this.inode = inode;
            this.otherFiles = otherFiles;
            return this;
        }

        /** How the collector first saw the request (null: not said), its requeues and merged bios. */
        public Builder lifecycleCounts(String origin, int requeues, int merges) {
            this.origin = origin == null ? "" : origin;
            this.requeues = requeues;
            this.merges = merges;
            return this;
        }

        /** The issuer as the host sees it (ids in the initial PID namespace) and its cgroup (null: not said). */
        public Builder host(int hostPid, long hostThreadId, String cgroup) {
            this.hostPid = hostPid;
            this.hostThreadId = hostThreadId;
            this.cgroup = cgroup == null ? "" : cgroup;
            return this;
        }

        /** The next function of the request's path. */
        public Builder functionHit(FunctionHit hit) {
            functionPath.add(hit);
            return this;
        }

        /** Function hits not kept in the path. */
        public Builder functionHitsLost(int lost) {
            this.functionHitsLost = lost;
            return this;
        }

        public BlockRequest build() {
            return new BlockRequest(this);
        }
    }
}
