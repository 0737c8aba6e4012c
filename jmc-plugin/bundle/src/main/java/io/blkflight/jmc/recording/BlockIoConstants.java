package io.blkflight.jmc.recording;

import static org.openjdk.jmc.common.item.Attribute.attr;

import io.blkflight.model.EventNames;
import io.blkflight.model.EventNames.Address;
import io.blkflight.model.EventNames.Compact;
import io.blkflight.model.EventNames.Request;
import io.blkflight.model.EventNames.Shape;
import io.blkflight.model.EventNames.Stack;
import io.blkflight.model.Stage;

import java.util.List;

import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItemFilter;
import org.openjdk.jmc.common.item.ItemFilters;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;

/**
 * The blkflight fields as JMC attributes and the event types the plugin reads as JMC filters, built from
 * {@link EventNames}. JMC finds a field by identifier and content type together, so each content type is
 * the one JMC's parser gives the event class's field: {@code @Unsigned long} is a raw number,
 * {@code @DataAmount} memory, {@code @Timespan} a timespan, {@code @Timestamp} a timestamp, {@code int} a number.
 */
public final class BlockIoConstants {
    /** Requests of either format. */
    public static final IItemFilter BLOCK_REQUESTS = ItemFilters.type(EventNames.BLOCK_REQUEST, EventNames.COMPACT_REQUEST);
    /** What compact requests name by id. */
    public static final IItemFilter REQUEST_SHAPES = ItemFilters.type(EventNames.REQUEST_SHAPE);
    public static final IItemFilter REQUEST_ADDRESSES = ItemFilters.type(EventNames.REQUEST_ADDRESS);
    public static final IItemFilter KERNEL_STACKS = ItemFilters.type(EventNames.KERNEL_STACK);
    /** The collector's configuration: how its stacks were taken (stacks=N/s: a sample, whose trees are estimates). */
    public static final IItemFilter CONFIGURATIONS = ItemFilters.type(EventNames.COLLECTOR_CONFIGURATION);
    /** What compact requests name by file id. */
    public static final IItemFilter BLOCK_FILES = ItemFilters.type(EventNames.FILE);
    /** The JDK's file events, whose stack traces link a request to the call that issued it. */
    public static final IItemFilter FILE_EVENTS = ItemFilters.type(EventNames.FILE_READ, EventNames.FILE_WRITE,
            EventNames.FILE_FORCE);
    /** The Java stacks of page faults and system calls (faultStacks), which link the requests submitted in their window. */
    public static final IItemFilter FAULT_STACKS = ItemFilters.type(EventNames.FAULT_STACK);
    /** Method samples, which link a request when no file event covers it. */
    public static final IItemFilter METHOD_SAMPLES = ItemFilters.type(EventNames.NATIVE_METHOD_SAMPLE,
            EventNames.EXECUTION_SAMPLE);
    /** Everything the page and the rule read. */
    public static final IItemFilter BLOCK_IO_AND_LINKS = ItemFilters.or(BLOCK_REQUESTS, REQUEST_SHAPES, REQUEST_ADDRESSES,
            BLOCK_FILES, KERNEL_STACKS, FILE_EVENTS, FAULT_STACKS, METHOD_SAMPLES, CONFIGURATIONS);

    public static final IAttribute<String> DEVICE = attr(Request.DEVICE, "Device", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<String> DEVICE_NUMBER = attr(Request.DEVICE_NUMBER, "Device Number", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<String> OPERATION = attr(Request.OPERATION, "Operation", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<String> FLAGS = attr(Request.FLAGS, "Flags", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<Number> SECTOR = attr(Request.SECTOR, "Sector", UnitLookup.RAW_NUMBER);
    public static final IAttribute<IQuantity> BYTES = attr(Request.BYTES, "Bytes", UnitLookup.MEMORY);
    public static final IAttribute<IQuantity> ALLOCATION_TIME = attr(Request.ALLOCATION_TIME, "Allocation Time", UnitLookup.TIMESPAN);
    public static final IAttribute<IQuantity> INSERT_TIME = attr(Request.INSERT_TIME, "Insert Time", UnitLookup.TIMESPAN);
    public static final IAttribute<IQuantity> QUEUE_TIME = attr(Request.QUEUE_TIME, "Queue Time", UnitLookup.TIMESPAN);
    public static final IAttribute<IQuantity> SERVICE_TIME = attr(Request.SERVICE_TIME, "Service Time", UnitLookup.TIMESPAN);
    public static final IAttribute<String> STATUS = attr(Request.STATUS, "Status", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<Number> OS_THREAD_ID = attr(Request.OS_THREAD_ID, "OS Thread Id", UnitLookup.RAW_NUMBER);
    public static final IAttribute<IQuantity> PID = attr(Request.PID, "Process Id", UnitLookup.NUMBER);
    public static final IAttribute<String> COMM = attr(Request.COMM, "Command", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<IMCThread> JAVA_THREAD = attr(Request.JAVA_THREAD, "Java Thread", UnitLookup.THREAD);
    /** The carrier of a virtual thread; set only when javaThread (or endedThread) is one. */
    public static final IAttribute<IMCThread> CARRIER_THREAD = attr(Request.CARRIER_THREAD, "Carrier Thread", UnitLookup.THREAD);
    public static final IAttribute<String> SYSCALL = attr(Request.SYSCALL, "System Call", UnitLookup.PLAIN_TEXT);
    /** Optional (agents since stack sampling): a request's kind, and how many of its kind its stacks stand for. */
    public static final IAttribute<IQuantity> SAMPLE_KIND = attr(Request.SAMPLE_KIND, "Sample Kind", UnitLookup.NUMBER);
    public static final IAttribute<IQuantity> STACK_WEIGHT = attr(Request.STACK_WEIGHT, "Stack Weight", UnitLookup.NUMBER);
    public static final IAttribute<String> STACKS = attr(EventNames.Configuration.STACKS, "Stacks", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<IQuantity> SYSCALL_START = attr(Request.SYSCALL_START, "System Call Start", UnitLookup.TIMESTAMP);
    public static final IAttribute<Number> REQUEST_ADDRESS = attr(Request.REQUEST_ADDRESS, "Request Address", UnitLookup.RAW_NUMBER);
    public static final IAttribute<IQuantity> GENERATION = attr(Request.GENERATION, "Generation", UnitLookup.NUMBER);
    public static final IAttribute<Number> SUBMIT_STACK = attr(Request.SUBMIT_STACK, "Submit Stack", UnitLookup.RAW_NUMBER);
    public static final IAttribute<Number> INSERT_STACK = attr(Request.INSERT_STACK, "Insert Stack", UnitLookup.RAW_NUMBER);
    public static final IAttribute<Number> ISSUE_STACK = attr(Request.ISSUE_STACK, "Issue Stack", UnitLookup.RAW_NUMBER);
    public static final IAttribute<Number> COMPLETE_STACK = attr(Request.COMPLETE_STACK, "Complete Stack", UnitLookup.RAW_NUMBER);
    public static final IAttribute<String> STAGES_IN_ISSUER = attr(Request.STAGES_IN_ISSUER, "Stages in Issuer", UnitLookup.PLAIN_TEXT);

    /** Writeback of the JVM's dirty pages (optional: recordings before it lack the fields). */
    public static final IAttribute<String> WRITEBACK = attr(Request.WRITEBACK, "Writeback", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<String> CREDIT = attr(Request.CREDIT, "Credit", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<IQuantity> DIRTIERS = attr(Request.DIRTIERS, "Dirtiers", UnitLookup.NUMBER);
    public static final IAttribute<IQuantity> DIRTY_AGE = attr(Request.DIRTY_AGE, "Dirty Age", UnitLookup.TIMESPAN);
    public static final IAttribute<String> DIRTIER = attr(Request.DIRTIER, "Dirtier", UnitLookup.PLAIN_TEXT);
    /** JDK 17's ended threads, named by the agent (optional). */
    public static final IAttribute<String> ENDED_THREAD = attr(Request.ENDED_THREAD, "Ended Java Thread", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<Number> ENDED_THREAD_ID = attr(Request.ENDED_THREAD_ID, "Ended Java Thread Id", UnitLookup.RAW_NUMBER);
    /** The path of jdk.FileRead, jdk.FileWrite and jdk.FileForce. */
    public static final IAttribute<String> FILE_EVENT_PATH = attr(EventNames.FILE_EVENT_PATH, "Path", UnitLookup.PLAIN_TEXT);

    /** Function-level mode (optional: recordings without it lack the fields); see FunctionPath. */
    public static final IAttribute<String> FUNCTION_PATH = attr(Request.FUNCTION_PATH, "Function Path", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<IQuantity> FUNCTION_HITS_LOST = attr(Request.FUNCTION_HITS_LOST, "Function Hits Lost", UnitLookup.NUMBER);

    /** What the request read or wrote (files=on): a full request's path or label, a compact one's blkflight.File id; the
     * File event's fields. */
    public static final IAttribute<String> FILE = attr(Request.FILE, "File", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<Number> FILE_REFERENCE = attr(Compact.FILE, "File", UnitLookup.RAW_NUMBER);
    public static final IAttribute<Number> INODE = attr(Request.INODE, "Inode", UnitLookup.RAW_NUMBER);
    public static final IAttribute<IQuantity> OTHER_FILES = attr(Request.OTHER_FILES, "Other Files", UnitLookup.NUMBER);
    public static final IAttribute<Number> FILE_ID = attr(EventNames.File.FILE_ID, "File Id", UnitLookup.RAW_NUMBER);
    public static final IAttribute<String> FILE_PATH = attr(EventNames.File.PATH, "Path", UnitLookup.PLAIN_TEXT);
    public static final IAttribute<String> FILE_KIND = attr(EventNames.File.KIND, "Kind", UnitLookup.PLAIN_TEXT);

    /** Compact format: {@code blkflight.CompactRequest} fields the full event does not have, and its two dictionaries. */
    public static final IAttribute<Number> SHAPE = attr(Compact.SHAPE, "Shape", UnitLookup.RAW_NUMBER);
    public static final IAttribute<Number> ADDRESS = attr(Compact.ADDRESS, "Address", UnitLookup.RAW_NUMBER);
    public static final IAttribute<IQuantity> SYSCALL_TIME = attr(Compact.SYSCALL_TIME, "Time in System Call", UnitLookup.TIMESPAN);
    public static final IAttribute<Number> SHAPE_ID = attr(Shape.SHAPE_ID, "Shape Id", UnitLookup.RAW_NUMBER);
    public static final IAttribute<Number> ADDRESS_ID = attr(Address.ADDRESS_ID, "Address Id", UnitLookup.RAW_NUMBER);

    /** blkflight.FaultStack's frames, package.Class.method:line one per line (its thread is {@link #JAVA_THREAD}). */
    public static final IAttribute<String> FAULT_STACK_FRAMES = attr(EventNames.FaultStack.FRAMES, "Frames", UnitLookup.PLAIN_TEXT);

    public static final IAttribute<Number> STACK_ID = attr(Stack.STACK_ID, "Stack Id", UnitLookup.RAW_NUMBER);
    public static final IAttribute<String> STACK_FRAMES = attr(Stack.FRAMES, "Frames", UnitLookup.PLAIN_TEXT);

    /** The stack field of each stage. */
    public static IAttribute<Number> stack(Stage stage) {
        switch (stage) {
            case SUBMIT: return SUBMIT_STACK;
            case INSERT: return INSERT_STACK;
            case ISSUE: return ISSUE_STACK;
            default: return COMPLETE_STACK;
        }
    }

    /** Every field a request must have to be read (a type without one of them is not blkflight's, or too old). */
    static final List<IAttribute<?>> REQUIRED = List.of(DEVICE, DEVICE_NUMBER, OPERATION, FLAGS, SECTOR, BYTES,
            ALLOCATION_TIME, INSERT_TIME, QUEUE_TIME, SERVICE_TIME, STATUS, OS_THREAD_ID, PID, COMM, JAVA_THREAD, SYSCALL,
            SYSCALL_START, REQUEST_ADDRESS, GENERATION, SUBMIT_STACK, INSERT_STACK, ISSUE_STACK, COMPLETE_STACK,
            STAGES_IN_ISSUER);

    /** Every field a compact request must have to be read. */
    static final List<IAttribute<?>> COMPACT_REQUIRED = List.of(SHAPE, SECTOR, BYTES, ALLOCATION_TIME, INSERT_TIME,
            QUEUE_TIME, SERVICE_TIME, SYSCALL_TIME, JAVA_THREAD, ADDRESS, GENERATION, SUBMIT_STACK, INSERT_STACK,
            ISSUE_STACK, COMPLETE_STACK);

    /** Every field a request shape must have to be read. */
    static final List<IAttribute<?>> SHAPE_REQUIRED = List.of(SHAPE_ID, DEVICE, DEVICE_NUMBER, OPERATION, FLAGS, STATUS,
            SYSCALL, PID, OS_THREAD_ID, COMM, STAGES_IN_ISSUER);

    private BlockIoConstants() {
    }
}
