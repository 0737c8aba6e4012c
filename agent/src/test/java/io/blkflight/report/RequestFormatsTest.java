package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.blkflight.bench.RecordCapture;
import io.blkflight.decode.RecordBatch;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.EventNames;
import io.blkflight.model.Stage;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.KernelStacks;
import io.blkflight.resolve.RequestEventWriter.Format;
import io.blkflight.testing.SyntheticRecording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same 10,000 real ring-buffer records (captured from the kernel side, bench/records-10k.gz, with
 * their kernel stacks) written in the compact and the full format read back as the same requests, field
 * by field, and the compact recording is the smaller by far.
 */
class RequestFormatsTest {
    @TempDir
    static Path directory;
    private static Path compact;
    private static Path full;
    private static RecordCapture.Capture capture;

    @BeforeAll
    static void writeBothFormats() throws Exception {
        capture = RecordCapture.Capture.tenThousand();
        compact = write(Format.COMPACT);
        full = write(Format.FULL);
    }

    private static Path write(Format format) throws Exception {
        JavaThreads threads = new JavaThreads(() -> "");
        int[] pid = new int[1];
        new RecordBatch().forEach(capture.records(), capture.length(), (r, path) -> {
            pid[0] = r.tgid();
            if (r.tid() % 2 == 0) {
                threads.threadStarted(Thread.currentThread(), r.tid(), 0);
            }
        });
        Path file = directory.resolve(format.label() + ".jfr");
        SyntheticRecording.write(format, file, capture.records(), capture.length(), threads,
                new KernelStacks(capture.stackSource()), pid[0], new String[0]);
        return file;
    }

    /** The requests, by request address and generation (JFR does not keep the order events were committed in). */
    private static List<BlockRequest> requests(Path file) throws ReportException {
        List<BlockRequest> out = new ArrayList<>();
        try (RecordedRequests recorded = RecordedRequests.open(file, Progress.quiet())) {
            recorded.forEach(out::add);
            assertThat(recorded.malformed()).isZero();
        }
        out.sort(Comparator.comparingLong(BlockRequest::requestAddress).thenComparingInt(BlockRequest::generation));
        return out;
    }

    /**
     * Every field but the absolute times, which each recording converts through its own clock calibration
     * (one offset per recording, and rounding of a nanosecond).
     */
    private static String describe(BlockRequest r) {
        StringBuilder s = new StringBuilder(String.join(" ", List.of(r.device(), r.deviceNumber(), r.operation(), r.flags(), String.valueOf(r.sector()), String.valueOf(r.bytes()),
                String.valueOf(r.allocationTime()), String.valueOf(r.insertTime()), String.valueOf(r.queueTime()),
                String.valueOf(r.serviceTime()), r.status(), String.valueOf(r.osThreadId()), String.valueOf(r.pid()), r.comm(),
                String.valueOf(r.javaThreadName()), String.valueOf(r.javaThreadId()), r.syscall(), String.valueOf(r.syscallStart() == BlockRequest.NOT_AVAILABLE),
                Long.toHexString(r.requestAddress()), String.valueOf(r.generation()), "file=" + r.file(),
                String.valueOf(r.inode()), String.valueOf(r.otherFiles()))));
        for (Stage stage : Stage.values()) {
            s.append(' ').append(stage.label()).append(r.inIssuer(stage) ? "(i)" : "").append('=')
                    .append(r.kernelStack(stage).size() > 0 ? r.kernelStack(stage).get(0) + "/" + r.kernelStack(stage).size() : "-");
        }
        return s.toString();
    }

    @Test
    void bothFormatsReadAsTheSameRequests() throws Exception {
        List<BlockRequest> fromCompact = requests(compact);
        List<BlockRequest> fromFull = requests(full);

        assertThat(fromCompact).hasSize(capture.count());
        assertThat(fromCompact.stream().map(RequestFormatsTest::describe))
                .containsExactlyElementsOf(fromFull.stream().map(RequestFormatsTest::describe).toList());
        // Times converted to JFR ticks differ by each recording's calibration: an offset and a rate good to 10^-4.
        long firstCompact = fromCompact.stream().mapToLong(BlockRequest::start).min().orElseThrow();
        long firstFull = fromFull.stream().mapToLong(BlockRequest::start).min().orElseThrow();
        for (int i = 0; i < fromCompact.size(); i++) {
            BlockRequest c = fromCompact.get(i);
            BlockRequest f = fromFull.get(i);
            assertCloseTo(c.start() - firstCompact, f.start() - firstFull, "start of " + describe(c));
            assertCloseTo(c.duration(), f.duration(), "duration of " + describe(c));
            if (c.syscallStart() != BlockRequest.NOT_AVAILABLE) {
                assertCloseTo(c.start() - c.syscallStart(), f.start() - f.syscallStart(), "time in the system call of " + describe(c));
            }
        }
        assertThat(fromCompact.stream().map(RequestFormatsTest::describe)).as("the capture has requests with and without a Java thread, stacks and system calls")
                .anyMatch(r -> r.contains(" null -1 ")).anyMatch(r -> !r.contains(" null -1 "))
                .anyMatch(r -> r.contains("submit(i)=")).anyMatch(r -> r.contains(" pwrite64 ") || r.contains(" pread64 "));
        assertThat(fromCompact).as("the capture's requests name the file they read or wrote")
                .allMatch(BlockRequest::hasFile).anyMatch(r -> r.file().endsWith("/bench/data.bin") && r.inode() > 0);
    }

    private static void assertCloseTo(long actual, long expected, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(2 + Math.abs(expected) / 1000));
    }

    @Test
    void compactRecordingNamesEachShapeAndAddressOncePerChunk() throws Exception {
        List<RecordedEvent> events = RecordingFile.readAllEvents(compact);
        Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(e -> e.getEventType().getName(), Collectors.counting()));
        long shapes = counts.getOrDefault(EventNames.REQUEST_SHAPE, 0L);
        long addresses = counts.getOrDefault(EventNames.REQUEST_ADDRESS, 0L);

        assertThat(counts.get(EventNames.COMPACT_REQUEST)).isEqualTo(capture.count());
        assertThat(counts).doesNotContainKey(EventNames.BLOCK_REQUEST);
        assertThat(shapes).isPositive().isLessThan(capture.count() / 20);
        assertThat(addresses).isPositive().isLessThan(capture.count() / 5);
        assertThat(events.stream().filter(e -> e.getEventType().getName().equals(EventNames.REQUEST_SHAPE))
                .map(e -> e.getLong(EventNames.Shape.SHAPE_ID)).distinct().count()).as("one recording, one chunk").isEqualTo(shapes);
    }

    @Test
    void compactRecordingIsLessThanHalfTheSize() throws Exception {
        assertThat(Files.size(compact)).isLessThan(Files.size(full) / 2);
    }
}
