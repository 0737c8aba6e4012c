package io.blkflight.faultstacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.decode.JavaStackRecord;
import io.blkflight.decode.RequestRecord;
import io.blkflight.decode.StackSignalRecord;
import io.blkflight.events.EventTimes;
import io.blkflight.events.FaultStackEvent;
import io.blkflight.model.EventNames;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.JfrClock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two halves of a fault stack, made up the way the kernel side (the signal's record) and the handler (the stack)
 * write them, joined into blkflight.FaultStack events of a real recording, and every way of not getting one counted.
 */
class FaultStacksTest {
    private static final int TID = 4242;
    private static final int OTHER_TID = 4343;
    private static final long SCAN = 0x7f00_0000_1000L;
    private static final long GET = 0x7f00_0000_2000L;
    private static final long PREAD = 0x7f00_0000_3000L;
    private static final Map<Long, String> METHODS = Map.of(
            SCAN, "Lapp/Scanner;\tscan\t0:40,4:41,12:42",
            GET, "Ljava/nio/DirectByteBuffer;\tget\t0:339",
            PREAD, "Lapp/Native;\tpread0\t");

    @TempDir
    Path directory;

    private static ByteBuffer signals(long... nanosAndTids) {
        ByteBuffer buffer = ByteBuffer.allocate(StackSignalRecord.SIZE * nanosAndTids.length / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < nanosAndTids.length; i += 2) {
            buffer.putInt(StackSignalRecord.KIND_STACK_SIGNAL).putInt(RequestRecord.LAYOUT_VERSION)
                    .putLong(nanosAndTids[i]).putInt((int) nanosAndTids[i + 1]).putInt((int) nanosAndTids[i + 1])
                    .putLong(0);
        }
        return buffer;
    }

    /** A drained buffer of stacks: each {tid, ns, frames-or-code, then method and bci pairs}. */
    private static final class Stacks {
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.nativeOrder());

        Stacks stack(int tid, long nanos, long... methodsAndBcis) {
            buffer.putLong(nanos).putInt(tid).putInt(methodsAndBcis.length / 2).putInt(0).putInt(0);
            for (int i = 0; i < methodsAndBcis.length; i += 2) {
                buffer.putLong(methodsAndBcis[i]).putInt((int) methodsAndBcis[i + 1]).putInt(0);
            }
            return this;
        }

        Stacks failure(int tid, long nanos, int code) {
            buffer.putLong(nanos).putInt(tid).putInt(code).putInt(0).putInt(0);
            return this;
        }
    }

    private static void note(FaultStacks stacks, ByteBuffer signals) {
        StackSignalRecord view = new StackSignalRecord();
        for (int position = 0; position < signals.position(); position += StackSignalRecord.SIZE) {
            stacks.noteSignal(view.wrap(signals, position));
        }
    }

    private static void accept(FaultStacks stacks, Stacks drained, long now) {
        stacks.accept(drained.buffer, drained.buffer.position(), now);
    }

    /** Runs the steps against a FaultStacks writing into a real recording; returns its FaultStack events. */
    private List<RecordedEvent> record(Consumer<FaultStacks> steps, FaultStacks[] kept) throws Exception {
        FlightRecorder.register(FaultStackEvent.class);
        Path file = directory.resolve("stacks.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(EventNames.FAULT_STACK);
            recording.start();
            EventTimes<FaultStackEvent> times = EventTimes.of(FaultStackEvent.class);
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
            assertThat(clock.ensureCalibrated()).isTrue();
            JavaThreads threads = new JavaThreads(() -> "");
            threads.threadStarted(Thread.currentThread(), TID, 0);
            FaultStacks stacks = new FaultStacks(clock, threads, METHODS::get, 1_000_000_000L, null);
            kept[0] = stacks;
            steps.accept(stacks);
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(EventNames.FAULT_STACK)).toList();
    }

    @Test
    void aStackClosesItsThreadsEpisodeIntoOneEventWithMethodsAndLines() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        FaultStacks[] kept = new FaultStacks[1];
        List<RecordedEvent> events = record(stacks -> {
            note(stacks, signals(t, TID));
            accept(stacks, new Stacks().stack(TID, t + 120_000, GET, 0, SCAN, 14, PREAD, JavaStackRecord.NATIVE_BCI), t + 200_000);
        }, kept);

        assertThat(events).hasSize(1);
        RecordedEvent event = events.get(0);
        assertThat(event.getString("frames")).isEqualTo("java.nio.DirectByteBuffer.get:339\napp.Scanner.scan:42\napp.Native.pread0");
        assertThat(event.getThread("javaThread").getJavaName()).isEqualTo(Thread.currentThread().getName());
        assertThat(event.getDuration().toNanos()).as("from the signal (its first bio) to the stack")
                .isBetween(119_000L, 121_000L);
        assertThat(kept[0].recorded()).isEqualTo(1);
        assertThat(kept[0].undelivered() + kept[0].dropped() + kept[0].unwalkable()).isZero();
    }

    @Test
    void aStackTakesItsThreadsLatestEpisodeThatBeganBeforeIt() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        FaultStacks[] kept = new FaultStacks[1];
        List<RecordedEvent> events = record(stacks -> {
            note(stacks, signals(t, TID, t + 10_000, OTHER_TID, t + 50_000, TID));
            // The other thread's stack and an older episode of this thread's that lost its stack (its start stays open).
            accept(stacks, new Stacks().stack(TID, t + 60_000, SCAN, 4).stack(OTHER_TID, t + 20_000, SCAN, 0), t + 70_000);
        }, kept);

        assertThat(events).as("the other thread is not a Java thread the writer knows: not recorded").hasSize(1);
        assertThat(events.get(0).getDuration()).isEqualTo(Duration.ofNanos(10_000));
        assertThat(events.get(0).getString("frames")).isEqualTo("app.Scanner.scan:41");
        assertThat(kept[0].notJava()).isEqualTo(1);
        assertThat(kept[0].openEpisodes()).as("this thread's first episode still waits").isEqualTo(1);
    }

    @Test
    void failuresAreCountedByCause() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        FaultStacks[] kept = new FaultStacks[1];
        List<RecordedEvent> events = record(stacks -> {
            note(stacks, signals(t, TID, t + 100_000, TID, t + 200_000, TID, t + 300_000, TID));
            accept(stacks, new Stacks().failure(TID, t + 50_000, -6).failure(TID, t + 150_000, -6)
                    .failure(TID, t + 250_000, -5).failure(TID, t + 350_000, JavaStackRecord.NOT_JAVA), t + 400_000);
        }, kept);

        assertThat(events).isEmpty();
        assertThat(kept[0].unwalkable()).isEqualTo(3);
        assertThat(kept[0].unwalkableCauses()).isEqualTo("not walkable in Java 2, unknown Java frame 1");
        assertThat(kept[0].notJava()).isEqualTo(1);
        assertThat(kept[0].openEpisodes()).isZero();
    }

    @Test
    void aStackWhoseEpisodeComesLaterWaitsForItThenIsDropped() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        FaultStacks[] kept = new FaultStacks[1];
        List<RecordedEvent> events = record(stacks -> {
            accept(stacks, new Stacks().stack(TID, t + 5_000, SCAN, 0).stack(OTHER_TID, t + 6_000, SCAN, 0), t + 10_000);
            note(stacks, signals(t, TID));
            accept(stacks, new Stacks(), t + 20_000);
            accept(stacks, new Stacks(), t + 20_000 + FaultStacks.UNMATCHED_WAIT_NANOS);
        }, kept);

        assertThat(events).as("joined at the next drain").hasSize(1);
        assertThat(kept[0].dropped()).as("the other stack never got its episode").isEqualTo(1);
    }

    @Test
    void episodesWithoutTheirStackAreCountedUndelivered() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        FaultStacks[] kept = new FaultStacks[1];
        record(stacks -> {
            note(stacks, signals(t, TID, t + 10, OTHER_TID));
            accept(stacks, new Stacks(), t + 2_000_000_000L);
            note(stacks, signals(t + 2_000_000_000L, TID));
            stacks.close();
        }, kept);

        assertThat(kept[0].undelivered()).as("two past the timeout, one when the collector closed").isEqualTo(3);
        assertThat(kept[0].openEpisodes()).isZero();
        assertThat(kept[0].signals()).isEqualTo(3);
    }

    @Test
    void methodsParseFromJvmtiAndFindLinesByBytecodeIndex() {
        JavaMethods.Method scan = JavaMethods.parse("Lapp/Scanner;\tscan\t12:42,0:40,4:41");
        assertThat(scan.frame()).isEqualTo("app.Scanner.scan");
        assertThat(scan.line(0)).isEqualTo(40);
        assertThat(scan.line(11)).isEqualTo(41);
        assertThat(scan.line(99)).isEqualTo(42);
        assertThat(scan.line(-1)).isEqualTo(-1);
        assertThat(JavaMethods.parse("Lapp/Foo$$Lambda+0x0000000800c01234;\trun\t").frame()).isEqualTo("app.Foo$$Lambda.run");
        assertThat(JavaMethods.parse(null)).isSameAs(JavaMethods.UNKNOWN);
        assertThat(JavaMethods.parse("garbage")).isSameAs(JavaMethods.UNKNOWN);
        assertThat(JavaMethods.parse("Lapp/X;\tm\t1:x,2:5").line(3)).as("a malformed entry left out").isEqualTo(5);
    }
}
