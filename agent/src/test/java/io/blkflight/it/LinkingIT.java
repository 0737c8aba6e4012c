package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.EventNames;

import java.nio.file.Path;
import java.util.List;

import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java linking at a busy service's rate, on both JDKs: every file read of a burst of thousands per second
 * gets its jdk.FileRead event with a stack trace in the agent's recording, the event that links its
 * request to the Java call (JDK 25's default profile throttles those events to 100 per second); with
 * linkRate= they are throttled where the JDK can (25), and an older JDK says in one line that it cannot.
 */
class LinkingIT {
    private static final int BLOCKS = 2048;

    @RegisterExtension
    static final DeviceWithFile DATA = new DeviceWithFile("linking", 32, BLOCKS);
    private static final int THREADS = 2;
    private static final int READS = 1500;

    @TempDir
    Path work;


    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void everyReadOfABurstHasItsFileEvent(String jdk) throws Exception {
        Burst burst = burst(jdk, "");
        assertThat(burst.reads()).as("jdk.FileRead events of the burst's threads (%.0f per second)", burst.perSecond())
                .isEqualTo(THREADS * READS);
        assertThat(burst.perSecond()).as("the burst's rate, far above JDK 25's default throttle").isGreaterThan(500);
        assertThat(burst.withStack()).as("file reads recorded with their stack trace").isEqualTo(burst.reads());
        assertThat(burst.requests()).as("the burst's requests with their Java thread (the reads', and a few of the file"
                + " system's metadata read while opening)").isBetween((long) THREADS * READS, THREADS * READS + 100L);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void linkRateBoundsTheFileEventsWhereTheJdkCanThrottleThem(String jdk) throws Exception {
        Burst burst = burst(jdk, ",linkRate=100/s");
        assertThat(burst.requests()).as("every request is recorded, whatever the link rate")
                .isGreaterThanOrEqualTo(THREADS * READS);
        if (jdk.equals(ChildJvm.JDK_25)) {
            // JFR's throttler samples by windows: a burst of a fraction of a second may get none at all.
            assertThat(burst.fileReadThrottle()).as("the recording's throttle of jdk.FileRead").isEqualTo("100/s");
            assertThat(burst.reads()).as("jdk.FileRead events of a burst of %d reads, throttled to about 100 per second",
                    THREADS * READS).isLessThan(THREADS * READS / 2);
        } else {
            assertThat(burst.reads()).as("JDK 17 cannot throttle file events: all are recorded").isEqualTo(THREADS * READS);
            assertThat(burst.stderr().lines().filter(l -> l.startsWith("[blkflight]") && l.contains("linkRate=100/s needs a JDK")))
                    .as("one line says so; stderr: %s", burst.stderr()).hasSize(1);
        }
    }

    private record Burst(long reads, long withStack, long requests, double perSecond, String fileReadThrottle, String stderr) {
    }

    /** Runs the burst under the agent with the options added and counts what the recording holds of it. */
    private Burst burst(String jdk, String options) throws Exception {
        Path recording = work.resolve("linking.jfr");
        // linkThreshold=0ns: every read, also one faster than the default 20 us, so that the count is exact.
        Commands.Result result = ChildJvm.of(jdk).withAgent("output=" + recording + ",devices=" + DATA.device().name()
                + ",linkThreshold=0ns" + options).run(BurstWorkload.class.getName(), DATA.file().toString(), Integer.toString(THREADS),
                Integer.toString(READS), "0", "0", Integer.toString(BLOCKS));
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();

        long reads = 0;
        long withStack = 0;
        long requests = 0;
        long firstNanos = Long.MAX_VALUE;
        long lastNanos = Long.MIN_VALUE;
        String throttle = null;
        try (RecordingFile file = new RecordingFile(recording)) {
            long fileRead = file.readEventTypes().stream().filter(t -> t.getName().equals(EventNames.FILE_READ))
                    .mapToLong(EventType::getId).findFirst().orElse(-1);
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                RecordedThread thread = event.getThread();
                String name = event.getEventType().getName();
                // The path too: the threads' first steps load classes, which JFR records as file reads as well.
                if (name.equals(EventNames.FILE_READ) && thread != null && thread.getJavaName().startsWith("burst-")
                        && DATA.file().toString().equals(event.getString("path"))) {
                    reads++;
                    withStack += event.getStackTrace() != null && !event.getStackTrace().getFrames().isEmpty() ? 1 : 0;
                    long nanos = event.getStartTime().getEpochSecond() * 1_000_000_000L + event.getStartTime().getNano();
                    firstNanos = Math.min(firstNanos, nanos);
                    lastNanos = Math.max(lastNanos, nanos);
                } else if (List.of(EventNames.COMPACT_REQUEST, EventNames.BLOCK_REQUEST).contains(name)) {
                    RecordedThread issuer = event.getThread("javaThread");
                    requests += issuer != null && issuer.getJavaName().startsWith("burst-") ? 1 : 0;
                } else if (name.equals("jdk.ActiveSetting") && event.getLong("id") == fileRead
                        && event.getString("name").equals("throttle")) {
                    throttle = event.getString("value");
                }
            }
        }
        double perSecond = reads / Math.max(1e-9, (lastNanos - firstNanos) / 1e9);
        return new Burst(reads, withStack, requests, perSecond, throttle, result.stderr());
    }
}
