package io.blkflight.testing;

import io.blkflight.decode.RecordBatch;
import io.blkflight.decode.RecordBuilder;
import io.blkflight.events.BlockRequestEvent;
import io.blkflight.model.EventNames;
import io.blkflight.events.EventTimes;
import io.blkflight.resolve.Devices;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.JfrClock;
import io.blkflight.resolve.KernelStacks;
import io.blkflight.resolve.RequestEventWriter;

import java.nio.file.Path;

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
        FlightRecorder.register(BlockRequestEvent.class);
        try (Recording recording = new Recording()) {
            recording.enable(EventNames.BLOCK_REQUEST);
            recording.enable(EventNames.KERNEL_STACK);
            recording.start();
            EventTimes<BlockRequestEvent> times = EventTimes.of(BlockRequestEvent.class);
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
            RequestEventWriter writer = new RequestEventWriter(clock, times, threads, new Devices(), stacks, selfPid);
            writer.functionNames(functionNames);
            RecordBatch batch = new RecordBatch();
            batch.forEach(records.buffer(), records.length(), writer::noteIssuer);
            batch.forEach(records.buffer(), records.length(), writer::write);
            recording.stop();
            recording.dump(file);
        }
    }
}
