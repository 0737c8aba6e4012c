package io.blkflight.bench;

import io.blkflight.agent.AgentSettings;
import io.blkflight.decode.RecordBatch;
import io.blkflight.decode.RequestRecord;
import io.blkflight.events.BlockRequestEvent;
import io.blkflight.events.CompactRequestEvent;
import io.blkflight.events.EventTimes;
import io.blkflight.events.KernelStackEvent;
import io.blkflight.events.RequestAddressEvent;
import io.blkflight.events.RequestShapeEvent;
import io.blkflight.model.Stage;
import io.blkflight.files.FileNames;
import io.blkflight.files.FileTable;
import io.blkflight.files.Mounts;
import io.blkflight.resolve.Devices;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.JfrClock;
import io.blkflight.resolve.KernelStacks;
import io.blkflight.resolve.RequestEventWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The collector's capacity on one core: real ring-buffer records (captured by {@link RecordCapture},
 * checked in as bench/records-10k.gz) replayed through decoding, time/thread/device/stack resolution and
 * the JFR commit, into a running recording with blkflight's settings. One operation is one request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark {
    static final int RECORDS = 10_000;

    @Param({"on", "off"})
    public String stacks;

    @Param({"compact", "full"})
    public String format;

    private ByteBuffer records;
    private int length;
    private RecordBatch batch;
    private RequestEventWriter writer;
    private JfrClock clock;
    private Recording recording;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RecordCapture.Capture capture = RecordCapture.Capture.tenThousand();
        if (capture.count() != RECORDS) {
            throw new IOException("the capture holds " + capture.count() + " records, not " + RECORDS);
        }
        records = capture.records();
        length = capture.length();
        if (stacks.equals("off")) {
            clearStacks();
        }
        FlightRecorder.register(BlockRequestEvent.class);
        FlightRecorder.register(CompactRequestEvent.class);
        FlightRecorder.register(RequestShapeEvent.class);
        FlightRecorder.register(RequestAddressEvent.class);
        FlightRecorder.register(KernelStackEvent.class);
        FlightRecorder.register(io.blkflight.events.FileEvent.class);
        recording = new Recording(AgentSettings.recordingSettings(java.util.OptionalLong.of(20_000), "off"));
        recording.setToDisk(true);
        recording.setDestination(Files.createTempFile("pipeline", ".jfr"));
        recording.start();
        RequestEventWriter.Format requestFormat = RequestEventWriter.Format.valueOf(format.toUpperCase(Locale.ROOT));
        EventTimes<?> times = EventTimes.of(requestFormat.eventClass());
        clock = new JfrClock(new JfrClock.Source() {
            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }

            @Override
            public long ticks() {
                return times.nowTicks();
            }
        });
        clock.ensureCalibrated();
        batch = new RecordBatch();
        JavaThreads threads = new JavaThreads(() -> "");
        int[] pid = new int[1];
        batch.forEach(records, length, (r, path) -> {
            pid[0] = r.tgid();
            threads.threadStarted(Thread.currentThread(), r.tid(), 0);
        });
        KernelStacks kernelStacks = new KernelStacks(capture.stackSource());
        Devices devices = new Devices();
        // Files on, as the agent's default: the capture's file paths come before the requests that name them.
        writer = new RequestEventWriter(requestFormat, clock, threads, devices, kernelStacks, pid[0], 16_384,
                new FileNames(new FileTable(8192, Mounts::ofThisProcess), devices::name), null);
    }

    /** Marks every stage as without a stack, as stacks=off records arrive. */
    private void clearStacks() {
        int position = 0;
        RequestRecord record = new RequestRecord();
        while (position < length) {
            int size = records.getInt(position);
            if (record.wrap(records, position + Integer.BYTES).kind() == RequestRecord.KIND_REQUEST) {
                for (Stage stage : Stage.values()) {
                    records.putInt(position + Integer.BYTES + RequestRecord.stackOffset(stage), RequestRecord.NO_STACK);
                }
            }
            position += Integer.BYTES + size;
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void decodeResolveAndCommit() {
        clock.calibrate();
        batch.forEach(records, length, writer::noteIssuer);
        writer.resolveIssuers(System.nanoTime());
        batch.forEach(records, length, writer::write, writer::noteFile);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        recording.stop();
        Path destination = recording.getDestination();
        recording.close();
        Files.deleteIfExists(destination);
    }
}
