package io.blkflight.model;

/**
 * The name of every event blkflight writes or reads, and the fields it reads by name, defined once and
 * shared by the agent, the report command and the Mission Control plugin.
 */
public final class EventNames {
    public static final String BLOCK_REQUEST = "blkflight.BlockRequest";
    /** The compact form of a block request (format=compact): categorical fields by id into the two below. */
    public static final String COMPACT_REQUEST = "blkflight.CompactRequest";
    public static final String REQUEST_SHAPE = "blkflight.RequestShape";
    public static final String REQUEST_ADDRESS = "blkflight.RequestAddress";
    /** What compact requests name by file id: a file, or the journal, metadata, ... */
    public static final String FILE = "blkflight.File";
    public static final String KERNEL_STACK = "blkflight.KernelStack";
    /**
     * The Java stack a thread had where a page fault or system call of its that issued block I/O returned to Java
     * (faultStacks): its requests submitted within the event's time window are linked to it.
     */
    public static final String FAULT_STACK = "blkflight.FaultStack";
    public static final String COLLECTOR_STATISTICS = "blkflight.CollectorStatistics";
    public static final String COLLECTOR_CONFIGURATION = "blkflight.CollectorConfiguration";
    /** push= at the JVM's exit: its stream has read every request recorded before it (holds nothing else). */
    public static final String PUSH_MARK = "blkflight.PushMark";

    /** Field names of {@code blkflight.CollectorConfiguration} the readers use. */
    public static final class Configuration {
        public static final String STACKS = "stacks";
        public static final String WRITEBACK = "writeback";
        public static final String FAULT_STACKS = "faultStacks";
        public static final String VIRTUAL_THREADS = "virtualThreads";

        private Configuration() {
        }
    }

    /** The category every blkflight event is filed under in JMC and {@code jfr summary}. */
    public static final String CATEGORY = "blkflight";

    /** The JDK's own events that link a request to the Java call that caused it. */
    public static final String FILE_READ = "jdk.FileRead";
    public static final String FILE_WRITE = "jdk.FileWrite";
    public static final String FILE_FORCE = "jdk.FileForce";
    /** The path field of jdk.FileRead, jdk.FileWrite and jdk.FileForce. */
    public static final String FILE_EVENT_PATH = "path";
    public static final String NATIVE_METHOD_SAMPLE = "jdk.NativeMethodSample";
    public static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

    /** Field names of {@code blkflight.BlockRequest} (checked against the event class by a test). */
    public static final class Request {
        public static final String DEVICE = "device";
        public static final String DEVICE_NUMBER = "deviceNumber";
        public static final String OPERATION = "operation";
        public static final String FLAGS = "flags";
        public static final String SECTOR = "sector";
        public static final String BYTES = "bytes";
        public static final String ALLOCATION_TIME = "allocationTime";
        public static final String INSERT_TIME = "insertTime";
        public static final String QUEUE_TIME = "queueTime";
        public static final String SERVICE_TIME = "serviceTime";
        public static final String REQUEUES = "requeues";
        public static final String MERGES = "merges";
        public static final String STATUS = "status";
        public static final String OS_THREAD_ID = "osThreadId";
        public static final String PID = "pid";
        public static final String COMM = "comm";
        /** The issuer's ids in the kernel's initial PID namespace (differ from pid/osThreadId in a container). */
        public static final String HOST_PID = "hostPid";
        public static final String HOST_THREAD_ID = "hostThreadId";
        /** The issuer's cgroup (v2) path as the JVM sees the hierarchy. */
        public static final String CGROUP = "cgroup";
        /** The request's kind for stack sampling; readers weight sampled stacks by it. */
        public static final String SAMPLE_KIND = "sampleKind";
        /** With sampled stacks: how many requests of its kind a request with stacks stands for; 0 without. */
        public static final String STACK_WEIGHT = "stackWeight";
        /**
         * Writeback of the JVM's dirty pages by another task (a flusher kernel thread): the flusher's reason, how the
         * request was credited to the thread that dirtied its pages (javaThread names it), how many threads dirtied
         * them, and how long before the request the credited thread last dirtied them.
         */
        public static final String WRITEBACK = "writeback";
        public static final String CREDIT = "credit";
        public static final String DIRTIERS = "dirtiers";
        public static final String DIRTY_AGE = "dirtyAge";
        public static final String JAVA_THREAD = "javaThread";
        /** The platform thread that carried javaThread (or endedThread) when it is a virtual thread. */
        public static final String CARRIER_THREAD = "carrierThread";
        public static final String ENDED_THREAD = "endedThread";
        public static final String ENDED_THREAD_ID = "endedThreadId";
        public static final String DIRTIER = "dirtier";
        public static final String SYSCALL = "syscall";
        public static final String SYSCALL_START = "syscallStart";
        public static final String REQUEST_ADDRESS = "requestAddress";
        public static final String GENERATION = "generation";
        public static final String ORIGIN = "origin";
        public static final String SUBMIT_STACK = "submitStack";
        public static final String INSERT_STACK = "insertStack";
        public static final String ISSUE_STACK = "issueStack";
        public static final String COMPLETE_STACK = "completeStack";
        public static final String STAGES_IN_ISSUER = "stagesInIssuer";
        /** Function-level mode; see {@link FunctionPath}. */
        public static final String FUNCTION_PATH = "functionPath";
        public static final String FUNCTION_HITS_LOST = "functionHitsLost";
        /** What the request's data belongs to: a file's path, or a label such as (ext4 journal); see {@link File}. */
        public static final String FILE = "file";
        public static final String INODE = "inode";
        /** Files other than the named one among the bios merged into the request. */
        public static final String OTHER_FILES = "otherFiles";

        /** The stack field of each stage. */
        public static String stack(Stage stage) {
            switch (stage) {
                case SUBMIT: return SUBMIT_STACK;
                case INSERT: return INSERT_STACK;
                case ISSUE: return ISSUE_STACK;
                default: return COMPLETE_STACK;
            }
        }

        private Request() {
        }
    }

    /**
     * Field names of {@code blkflight.CompactRequest}. Its timespans hold 0 where the full event holds N/A
     * (a real span is never 0 ns: the agent writes at least 1).
     */
    public static final class Compact {
        public static final String SHAPE = "shape";
        public static final String ADDRESS = "address";
        public static final String GENERATION = Request.GENERATION;
        public static final String SECTOR = Request.SECTOR;
        public static final String BYTES = Request.BYTES;
        public static final String ALLOCATION_TIME = Request.ALLOCATION_TIME;
        public static final String INSERT_TIME = Request.INSERT_TIME;
        public static final String QUEUE_TIME = Request.QUEUE_TIME;
        public static final String SERVICE_TIME = Request.SERVICE_TIME;
        public static final String SYSCALL_TIME = "syscallTime";
        public static final String REQUEUES = Request.REQUEUES;
        public static final String MERGES = Request.MERGES;
        public static final String JAVA_THREAD = Request.JAVA_THREAD;
        public static final String CARRIER_THREAD = Request.CARRIER_THREAD;
        public static final String ENDED_THREAD = Request.ENDED_THREAD;
        public static final String ENDED_THREAD_ID = Request.ENDED_THREAD_ID;
        public static final String DIRTIER = Request.DIRTIER;
        public static final String SUBMIT_STACK = Request.SUBMIT_STACK;
        public static final String INSERT_STACK = Request.INSERT_STACK;
        public static final String ISSUE_STACK = Request.ISSUE_STACK;
        public static final String COMPLETE_STACK = Request.COMPLETE_STACK;
        public static final String STACK_WEIGHT = Request.STACK_WEIGHT;
        public static final String DIRTIERS = Request.DIRTIERS;
        public static final String DIRTY_AGE = Request.DIRTY_AGE;
        /** The fileId of the request's {@code blkflight.File}; 0 when requests do not name files. */
        public static final String FILE = Request.FILE;
        public static final String OTHER_FILES = Request.OTHER_FILES;

        private Compact() {
        }
    }

    /** Field names of {@code blkflight.RequestShape}: what requests of one issuer and kind share. */
    public static final class Shape {
        public static final String SHAPE_ID = "shapeId";
        public static final String DEVICE = Request.DEVICE;
        public static final String DEVICE_NUMBER = Request.DEVICE_NUMBER;
        public static final String OPERATION = Request.OPERATION;
        public static final String FLAGS = Request.FLAGS;
        public static final String STATUS = Request.STATUS;
        public static final String ORIGIN = Request.ORIGIN;
        public static final String STAGES_IN_ISSUER = Request.STAGES_IN_ISSUER;
        public static final String SYSCALL = Request.SYSCALL;
        public static final String OS_THREAD_ID = Request.OS_THREAD_ID;
        public static final String PID = Request.PID;
        public static final String COMM = Request.COMM;
        public static final String HOST_PID = Request.HOST_PID;
        public static final String HOST_THREAD_ID = Request.HOST_THREAD_ID;
        public static final String CGROUP = Request.CGROUP;
        public static final String SAMPLE_KIND = Request.SAMPLE_KIND;
        public static final String WRITEBACK = Request.WRITEBACK;
        public static final String CREDIT = Request.CREDIT;

        private Shape() {
        }
    }

    /** Field names of {@code blkflight.RequestAddress}. */
    public static final class Address {
        public static final String ADDRESS_ID = "addressId";
        public static final String REQUEST_ADDRESS = Request.REQUEST_ADDRESS;

        private Address() {
        }
    }

    /** Field names of {@code blkflight.File}: what compact requests name by id. */
    public static final class File {
        public static final String FILE_ID = "fileId";
        /** The file's filesystem device, or for the other kinds the partition, major:minor. */
        public static final String DEVICE = "device";
        public static final String INODE = Request.INODE;
        /** The path, or a label in parentheses for what is not a file; a state such as (deleted) after it. */
        public static final String PATH = "path";
        /** file, directory, symlink, journal, metadata, swap, block device, direct I/O, kernel buffer, no data. */
        public static final String KIND = "kind";
        /** For a file renamed while in use, the path it had before; empty otherwise (absent before blkflight knew renames). */
        public static final String RENAMED_FROM = "renamedFrom";

        private File() {
        }
    }

    /**
     * Field names of {@code blkflight.FaultStack}. Its frames are {@code package.Class.method:line}, one per line,
     * innermost first, without {@code :line} where the line is unknown (a native method, a class without line numbers).
     */
    public static final class FaultStack {
        public static final String JAVA_THREAD = Request.JAVA_THREAD;
        public static final String CARRIER_THREAD = Request.CARRIER_THREAD;
        public static final String ENDED_THREAD = Request.ENDED_THREAD;
        public static final String ENDED_THREAD_ID = Request.ENDED_THREAD_ID;
        public static final String FRAMES = "frames";
        public static final String TRUNCATED = "truncated";

        private FaultStack() {
        }
    }

    /** Field names of {@code blkflight.KernelStack}. */
    public static final class Stack {
        public static final String STACK_ID = "stackId";
        public static final String FRAMES = "frames";
        public static final String DEPTH = "depth";
        public static final String TRUNCATED = "truncated";

        private Stack() {
        }
    }

    private EventNames() {
    }
}
