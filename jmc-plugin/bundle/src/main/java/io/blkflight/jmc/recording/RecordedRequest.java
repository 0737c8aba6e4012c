package io.blkflight.jmc.recording;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.Stage;

import org.openjdk.jmc.common.item.IItem;

/**
 * A block request of a recording, linked to its Java stack, with the JMC items it came from: its own
 * {@code blkflight.BlockRequest} event, and the JDK event (file event or method sample) whose stack trace
 * linked it. Handing both to JMC's selection lets JMC's stack trace and flame graph views show the Java
 * stacks of the selected requests: the request events themselves carry none.
 */
public final class RecordedRequest {
    private final BlockRequest request;
    private final IItem event;
    private final IItem javaEvent;
    private final boolean stacksSampled;
    private BlockRequest kernelOnly;
    private BlockRequest javaOnly;

    RecordedRequest(BlockRequest request, IItem event, IItem javaEvent, boolean stacksSampled) {
        this.request = request;
        this.event = event;
        this.javaEvent = javaEvent;
        this.stacksSampled = stacksSampled;
    }

    /** Whether the recording's kernel stacks are a sample (stacks=N/s): trees of its requests are estimates. */
    public boolean stacksSampled() {
        return stacksSampled;
    }

    /** The request as the report command sees it, Java stack linked. */
    public BlockRequest request() {
        return request;
    }

    /** The blkflight.BlockRequest event. */
    public IItem event() {
        return event;
    }

    /** The JDK event whose stack trace linked the request, or null when none did. */
    public IItem javaEvent() {
        return javaEvent;
    }

    /**
     * The request as the kernel tree sees it: with its Java stack (the report's tree, Java frames on top of the
     * stages that ran in the issuing thread), or without (kernel frames only, rooted where the kernel was entered).
     */
    BlockRequest kernelView(boolean javaOnTop) {
        if (javaOnTop) {
            return request;
        }
        if (kernelOnly == null) {
            kernelOnly = copy(request, true);
        }
        return kernelOnly;
    }

    /** The request as the Java tree sees it: its Java stack and no kernel stacks. */
    BlockRequest javaView() {
        if (javaOnly == null) {
            javaOnly = copy(request, false);
            javaOnly.link(request.javaLink());
        }
        return javaOnly;
    }

    // CallTree puts a request's Java stack on top of the stages that ran in the issuing thread; a tree of one
    // kind of frame is built from copies that have only that kind (a CallTree option would make them unnecessary).
    private static BlockRequest copy(BlockRequest r, boolean kernelStacks) {
        BlockRequest.Builder b = BlockRequest.builder()
                .time(r.start(), r.duration())
                .where(r.device(), r.deviceNumber(), r.operation(), r.flags(), r.sector(), r.bytes())
                .stages(r.allocationTime(), r.insertTime(), r.queueTime(), r.serviceTime())
                .status(r.status())
                .issuer(r.pid(), r.osThreadId(), r.comm(), r.javaThreadName(), r.javaThreadId())
                .syscall(r.syscall(), r.syscallStart())
                .lifecycle(r.requestAddress(), r.generation())
                .sampleKind(r.sampleKind())
                .stackWeight(r.stackWeight())
                .file(r.file(), r.fileKind(), r.inode(), r.otherFiles())
                .writeback(r.writeback(), r.credit(), r.dirtiers(), r.dirtiedTime())
                .otherDirtier(r.otherDirtier());
        if (r.virtualThread()) {
            b.virtualThread(r.carrierThreadName());
        }
        if (kernelStacks) {
            // No stage in the issuer: kernel frames alone, with no node saying why a Java stack is missing above them.
            for (Stage stage : Stage.values()) {
                b.kernelStack(stage, r.kernelStack(stage), false);
            }
            r.functionPath().forEach(b::functionHit);
            b.functionHitsLost(r.functionHitsLost());
        }
        return b.build();
    }
}
