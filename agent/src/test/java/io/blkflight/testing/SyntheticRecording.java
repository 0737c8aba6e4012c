package io.blkflight.testing;

import io.blkflight.decode.RecordBatch;
import io.blkflight.decode.RecordBuilder;
import io.blkflight.events.BlockRequestEvent;
import io.blkflight.events.CompactRequestEvent;
import io.blkflight.events.EventTimes;
import io.blkflight.events.FileEvent;
import io.blkflight.files.FileNames;
import io.blkflight.files.FileTable;
import io.blkflight.files.Mounts;
import io.blkflight.events.RequestAddressEvent;
import io.blkflight.events.RequestShapeEvent;
import io.blkflight.model.EventNames;
import io.blkflight.resolve.Devices;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.JfrClock;
import io.blkflight.resolve.KernelStacks;
import io.blkflight.resolve.RequestEventWriter;
import io.blkflight.resolve.VirtualThreads;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * Writes a real recording from request records made up the way the kernel side writes them, through the
 * agent's own event writer. Record times are CLOCK_MONOTONIC nanoseconds (System.nanoTime() on Linux).
 */
public final class SyntheticRecording {
    private SyntheticRecording() {
    }

    public static void write(Path file, RecordBuilder records, JavaThreads threads, int selfPid) throws Exception {
        write(file, records, threads, new KernelStacks((id, into) -> 0), selfPid);
    }

    /** With kernel stacks from the given source (ids as in the records). */
    public static void write(Path file, RecordBuilder records, JavaThreads threads, KernelStacks stacks, int selfPid)
            throws Exception {
        write(file, records, threads, stacks, selfPid, new String[0]);
    }

    /** With function-level paths: the records' function indexes name these functions. */
    public static void write(Path file, RecordBuilder records, JavaThreads threads, KernelStacks stacks, int selfPid,
                             String[] functionNames) throws Exception {
        write(RequestEventWriter.Format.FULL, file, records, threads, stacks, selfPid, functionNames);
    }

    /** In the given format. */
    public static void write(RequestEventWriter.Format format, Path file, RecordBuilder records, JavaThreads threads,
                             KernelStacks stacks, int selfPid, String[] functionNames) throws Exception {
        write(format, file, records.buffer(), records.length(), threads, stacks, selfPid, functionNames);
    }

    /**
     * Records as the ring buffer holds them (each after its 4-byte length), in the given format. Returns the
     * writer, for its counters.
     */
    public static RequestEventWriter write(RequestEventWriter.Format format, Path file, ByteBuffer records, int length,
                                           JavaThreads threads, KernelStacks stacks, int selfPid, String[] functionNames)
            throws Exception {
        return write(format, file, records, length, threads, stacks, selfPid, functionNames, () -> { });
    }

    /** The same, with more events committed by {@code alongside} while the recording runs (statistics, configuration). */
    public static RequestEventWriter write(RequestEventWriter.Format format, Path file, ByteBuffer records, int length,
                                           JavaThreads threads, KernelStacks stacks, int selfPid, String[] functionNames,
                                           Runnable alongside) throws Exception {
        return write(format, file, records, length, threads, null, stacks, selfPid, functionNames, alongside);
    }

    /** The same, with virtual threads named through {@code virtualThreads} (null: not followed). */
    public static RequestEventWriter write(RequestEventWriter.Format format, Path file, ByteBuffer records, int length,
                                           JavaThreads threads, VirtualThreads virtualThreads, KernelStacks stacks,
                                           int selfPid, String[] functionNames, Runnable alongside) throws Exception {
        FlightRecorder.register(BlockRequestEvent.class);
        FlightRecorder.register(CompactRequestEvent.class);
        FlightRecorder.register(RequestShapeEvent.class);
        FlightRecorder.register(RequestAddressEvent.class);
        FlightRecorder.register(FileEvent.class);
        try (Recording recording = new Recording()) {
            for (String name : List.of(EventNames.BLOCK_REQUEST, EventNames.COMPACT_REQUEST, EventNames.REQUEST_SHAPE,
                    EventNames.REQUEST_ADDRESS, EventNames.FILE, EventNames.KERNEL_STACK, EventNames.COLLECTOR_STATISTICS,
                    EventNames.COLLECTOR_CONFIGURATION)) {
                recording.enable(name);
            }
            recording.start();
            EventTimes<?> times = EventTimes.of(format.eventClass());
            JfrClock clock = new JfrClock(new JfrClock.Source() {
                @Override
                public long monotonicNanos() {
                    return System.nanoTime();
                }

                @Override
                public long ticks() {
                    return times.nowTicks();
                }
            });
            if (!clock.ensureCalibrated()) {
                throw new IllegalStateException("JFR gave no ticks while recording");
            }
            Devices devices = new Devices();
            RequestEventWriter writer = new RequestEventWriter(format, clock, threads, devices, stacks, selfPid, 16_384,
                    new FileNames(new FileTable(8192, Mounts::ofThisProcess), devices::name), virtualThreads);
            writer.functionNames(functionNames);
            RecordBatch batch = new RecordBatch();
            batch.forEach(records, length, writer::noteIssuer);
            if (virtualThreads != null) {
                virtualThreads.refresh(System.nanoTime());
            }
            batch.forEach(records, length, writer::write, writer::noteFile);
            alongside.run();
            recording.stop();
            recording.dump(file);
            return writer;
        }
    }
}
