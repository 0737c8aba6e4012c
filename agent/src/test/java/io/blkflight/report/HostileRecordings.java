package io.blkflight.report;

import io.blkflight.events.BlockRequestEvent;
import io.blkflight.events.CompactRequestEvent;
import io.blkflight.events.EventTimes;
import io.blkflight.events.FileEvent;
import io.blkflight.events.KernelStackEvent;
import io.blkflight.events.RequestShapeEvent;
import io.blkflight.model.EventNames;

import java.nio.file.Path;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;

/**
 * Writes recordings meant to break a reader, in a JVM of their own (two event classes may not share a
 * name in one JVM): "forged.jfr" has events with blkflight's names but fields of other types, and
 * "hostile.jfr" has real blkflight events whose strings are huge and full of control characters and
 * format directives (file paths too), and compact requests naming a shape the recording does not hold. Argument:
 * the directory.
 */
public final class HostileRecordings {
    @Name(EventNames.BLOCK_REQUEST)
    @StackTrace(false)
    static final class ForgedRequest extends jdk.jfr.Event {
        String sector;
        long device;
        String javaThread;
        int comm;
    }

    @Name(EventNames.COMPACT_REQUEST)
    @StackTrace(false)
    static final class ForgedCompactRequest extends jdk.jfr.Event {
        String shape;
        String sector;
    }

    @Name(EventNames.REQUEST_SHAPE)
    @StackTrace(false)
    static final class ForgedShape extends jdk.jfr.Event {
        String shapeId;
        long device;
    }

    @Name(EventNames.KERNEL_STACK)
    @StackTrace(false)
    static final class ForgedStack extends jdk.jfr.Event {
        String stackId;
        long frames;
    }

    @Name(EventNames.COLLECTOR_STATISTICS)
    @StackTrace(false)
    static final class ForgedStatistics extends jdk.jfr.Event {
        String lostRingBufferFull;
        String untracked;
    }

    private HostileRecordings() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("forged")) {
            try (Recording recording = new Recording()) {
                recording.enable(ForgedRequest.class);
                recording.enable(ForgedStack.class);
                recording.enable(ForgedStatistics.class);
                recording.enable(ForgedCompactRequest.class);
                recording.enable(ForgedShape.class);
                recording.start();
                for (int i = 0; i < 10; i++) {
                    ForgedRequest request = new ForgedRequest();
                    request.sector = "not a number";
                    request.device = 42;
                    request.javaThread = "main";
                    request.commit();
                    ForgedStack stack = new ForgedStack();
                    stack.stackId = "one";
                    stack.commit();
                    ForgedStatistics statistics = new ForgedStatistics();
                    statistics.lostRingBufferFull = "lots";
                    statistics.commit();
                    ForgedShape shape = new ForgedShape();
                    shape.shapeId = "1";
                    shape.commit();
                    ForgedCompactRequest compact = new ForgedCompactRequest();
                    compact.shape = "1";
                    compact.sector = "not a number";
                    compact.commit();
                }
                recording.stop();
                recording.dump(directory.resolve("forged.jfr"));
            }
            return;
        }
        FlightRecorder.register(BlockRequestEvent.class);
        FlightRecorder.register(KernelStackEvent.class);
        FlightRecorder.register(CompactRequestEvent.class);
        FlightRecorder.register(RequestShapeEvent.class);
        FlightRecorder.register(FileEvent.class);
        String huge = "\u001b[2J\r\n[blkflight] forged line %s %n".repeat(40_000);
        Thread evil = new Thread(() -> { }, "\u001b[31mred thread\n[blkflight] forged %n");
        evil.start();
        try (Recording recording = new Recording()) {
            recording.enable(EventNames.BLOCK_REQUEST);
            recording.enable(EventNames.KERNEL_STACK);
            recording.enable(EventNames.COMPACT_REQUEST);
            recording.enable(EventNames.REQUEST_SHAPE);
            recording.enable(EventNames.FILE);
            recording.start();
            EventTimes<BlockRequestEvent> times = EventTimes.of(BlockRequestEvent.class);
            KernelStackEvent stack = new KernelStackEvent();
            stack.stackId = 1;
            stack.frames = "fn+0x1\n" + huge + "\nentry_SYSCALL_64+0x2";
            stack.depth = 3;
            stack.commit();
            for (int i = 0; i < 5; i++) {
                BlockRequestEvent event = new BlockRequestEvent();
                long now = times.nowTicks();
                times.set(event, now - 1_000_000, 500_000);
                event.device = "evil\n[blkflight] forged %s%n";
                event.deviceNumber = huge;
                event.operation = "read%n";
                event.flags = huge;
                event.sector = -1;
                event.bytes = Long.MAX_VALUE;
                event.allocationTime = Long.MIN_VALUE;
                event.insertTime = -5;
                event.queueTime = Long.MAX_VALUE;
                event.serviceTime = Long.MIN_VALUE;
                event.status = huge;
                event.comm = huge;
                event.javaThread = evil;
                event.syscall = huge;
                event.syscallStart = Long.MIN_VALUE;
                event.submitStack = 1;
                event.issueStack = 999;
                event.stagesInIssuer = "submit,nonsense," + huge;
                event.file = "/data/evil\n[blkflight] forged %s%n" + huge;
                event.inode = -1;
                event.commit();
            }
            EventTimes<CompactRequestEvent> compactTimes = EventTimes.of(CompactRequestEvent.class);
            RequestShapeEvent shape = new RequestShapeEvent();
            shape.shapeId = 1;
            shape.device = "compact\n[blkflight] forged %s%n";
            shape.deviceNumber = huge;
            shape.operation = huge;
            shape.flags = huge;
            shape.status = huge;
            shape.stagesInIssuer = "nonsense," + huge;
            shape.syscall = huge;
            shape.comm = huge;
            shape.commit();
            FileEvent file = new FileEvent();
            file.fileId = 1;
            file.device = huge;
            file.inode = -1;
            file.path = "/compact/evil\n[blkflight] forged %s%n" + huge;
            file.kind = huge;
            file.commit();
            for (long shapeId : new long[] {1, 1, 999, 999, 999}) {
                CompactRequestEvent event = new CompactRequestEvent();
                long now = compactTimes.nowTicks();
                compactTimes.set(event, now - 1_000_000, 500_000);
                event.shape = shapeId;
                event.sector = -1;
                event.bytes = Long.MAX_VALUE;
                event.queueTime = -5;
                event.syscallTime = Long.MIN_VALUE;
                event.address = 12345;
                event.javaThread = evil;
                event.submitStack = 1;
                event.file = 1;
                event.commit();
            }
            recording.stop();
            recording.dump(directory.resolve("hostile.jfr"));
        }
    }
}
