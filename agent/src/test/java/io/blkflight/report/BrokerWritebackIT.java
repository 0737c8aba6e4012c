package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.demo.BrokerWorkload;
import io.blkflight.it.ChildJvm;
import io.blkflight.it.DirtyExpiry;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.Recorded;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.JavaLink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writeback of a real message broker (Kafka, in KRaft mode, in the child JVM under the agent with its defaults): a
 * producer sends records, the broker's request handler threads append them to the partition's segment file through
 * the page cache (Kafka never fsyncs a segment by default) and the kernel's flusher threads write them to the loop
 * device (vm.dirty_expire and dirty_writeback lowered for the test, and restored). The segment file's bytes must be
 * recorded, credited to the broker's Java threads and linked to Kafka's log append call.
 */
@ExtendWith(DirtyExpiry.class)
class BrokerWritebackIT {
    private static final int MEBIBYTES = 128;

    @TempDir
    Path work;

    /** Bytes the device has written so far (its stat's sectors written, field 7). */
    private static long deviceWritten(LoopDevice device) throws IOException {
        String[] fields = Files.readString(Path.of("/sys/block", device.name(), "stat")).trim().split("\\s+");
        return Long.parseLong(fields[6]) * 512;
    }

    private static boolean inAppendPath(BlockRequest request) {
        return request.javaLink().frames().stream()
                .anyMatch(frame -> frame.contains(".FileRecords.append") || frame.contains(".LogSegment.append"));
    }

    private static boolean creditedToJavaThread(BlockRequest request) {
        return request.javaThreadName() != null && !request.javaThreadName().isEmpty();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    /** Bytes of the requests grouped, largest first, as lines for a failure message or the test's output. */
    private static String table(List<BlockRequest> requests, Function<BlockRequest, String> key) {
        Map<String, Long> bytes = new TreeMap<>();
        requests.forEach(r -> bytes.merge(key.apply(r), r.bytes(), Long::sum));
        return bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .map(e -> "    " + mib(e.getValue()) + "  " + e.getKey()).collect(Collectors.joining("\n"));
    }

    private static String kind(String file, String root) {
        if (!file.startsWith(root)) {
            return file;
        }
        String name = file.substring(root.length());
        String partition = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
        String suffix = name.contains(".") ? name.substring(name.lastIndexOf('.')) : name;
        return partition + "/*" + suffix;
    }

    private static String callSite(BlockRequest request) {
        List<String> frames = request.javaLink().frames();
        return request.javaLink().source().label() + ": " + frames.stream()
                .filter(f -> !f.startsWith("java.") && !f.startsWith("sun.") && !f.startsWith("jdk."))
                .limit(2).collect(Collectors.joining(" < "));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void segmentWritesOfTheFlushersAreCreditedToTheBrokersThreadsAndItsAppendCall(String jdk) throws Exception {
        try (LoopDevice device = LoopDevice.create("broker", MEBIBYTES * 3)) {
            Path recording = work.resolve("broker.jfr");
            Path logDir = device.mountPoint().resolve("kafka-logs");
            long writtenBefore = deviceWritten(device);
            Commands.Result result = ChildJvm.of(jdk).withTestDependencies()
                    .withAgent("output=" + recording + ",devices=" + device.name())
                    .run(BrokerWorkload.class.getName(), logDir.toString(), Integer.toString(MEBIBYTES), "6");
            long deviceBytes = deviceWritten(device) - writtenBefore;
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).contains("stopped");

            Path partition = logDir.resolve(BrokerWorkload.TOPIC + "-0");
            long segmentBytes;
            try (Stream<Path> files = Files.list(partition)) {
                segmentBytes = files.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
            }
            assertThat(segmentBytes).as("the records are in the segment files").isGreaterThanOrEqualTo((long) MEBIBYTES << 20);

            List<BlockRequest> requests = new ArrayList<>();
            try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
                recorded.forEach(requests::add);
            }
            List<BlockRequest> writes = requests.stream()
                    .filter(r -> r.device().equals(device.name()) && r.operation().equals("write")).toList();
            String root = logDir + "/";
            Predicate<BlockRequest> segment = r -> r.file().startsWith(partition + "/") && r.file().endsWith(".log");
            List<BlockRequest> segmentWrites = writes.stream().filter(segment).toList();
            List<BlockRequest> credited = segmentWrites.stream().filter(BrokerWritebackIT::creditedToJavaThread).toList();
            long creditedBytes = credited.stream().mapToLong(BlockRequest::bytes).sum();
            long linkedBytes = credited.stream().filter(BrokerWritebackIT::inAppendPath).mapToLong(BlockRequest::bytes).sum();
            RecordedEvent statistics = Recorded.read(recording).lastStatistics();

            String measured = String.format("""
                    device wrote %s; the recording holds %s of writes on it, %s of them writeback; segment files %s on \
                    disk, %s of their writes recorded, %s credited to Java threads, %s of those linked to the append path
                      by origin, thread and reason:
                    %s
                      by file:
                    %s
                      segment writes by call site:
                    %s
                      statistics: writebackStarted %d, writebackUncredited %d, dirtyFilesLost %d""",
                    mib(deviceBytes), mib(writes.stream().mapToLong(BlockRequest::bytes).sum()),
                    mib(writes.stream().filter(BlockRequest::isWriteback).mapToLong(BlockRequest::bytes).sum()),
                    mib(segmentBytes), mib(segmentWrites.stream().mapToLong(BlockRequest::bytes).sum()), mib(creditedBytes),
                    mib(linkedBytes),
                    table(writes, r -> (r.isWriteback() ? "writeback " + r.writeback() + " credit " + r.credit() : "own " + r.syscall())
                            + " by " + r.comm().replaceAll("[0-9:]+$", "N") + " for " + (creditedToJavaThread(r)
                            ? r.javaThreadName().replaceAll("-[0-9]+$", "-N") : r.otherDirtier().isEmpty() ? "(no thread)" : r.otherDirtier())),
                    table(writes, r -> kind(r.file(), root)),
                    table(credited, BrokerWritebackIT::callSite),
                    statistics.getLong("writebackStarted"), statistics.getLong("writebackUncredited"),
                    statistics.getLong("dirtyFilesLost"));
            System.out.println("BrokerWritebackIT, Kafka, " + MEBIBYTES + " MiB, " + jdk + ": " + measured);

            assertThat(creditedBytes).as("segment bytes recorded and credited to the broker's Java threads (of %s on disk):%n%s",
                    mib(segmentBytes), measured).isGreaterThanOrEqualTo(segmentBytes * 9 / 10);
            assertThat(credited).as("the flushers wrote the segments back, for the request handler threads:%n%s", measured)
                    .filteredOn(BlockRequest::isWriteback)
                    .extracting(BlockRequest::javaThreadName).isNotEmpty()
                    .allMatch(name -> name.startsWith("data-plane-kafka-request-handler-"));
            assertThat(linkedBytes).as("credited segment bytes linked to Kafka's log append call:%n%s", measured)
                    .isGreaterThanOrEqualTo(creditedBytes * 8 / 10);
            // Eight handlers append by turns into the same 2 MiB chunks: a request's dirtying time must be its credited
            // thread's own, so that the append containing it links the request (not another thread's nearby one).
            long ownAppendBytes = credited.stream().filter(r -> r.javaLink().source() == JavaLink.Source.FILE_EVENT)
                    .mapToLong(BlockRequest::bytes).sum();
            assertThat(ownAppendBytes).as("credited segment bytes linked by the append that contains the credited thread's"
                    + " dirtying:%n%s", measured).isGreaterThanOrEqualTo(creditedBytes * 8 / 10);
            // Journal commits the broker's fsyncs wait for: credited to the waiting thread and linked to its call (Kafka
            // forces its checkpoint files with FileDescriptor.sync, which leaves no file event: by the fault stack).
            List<BlockRequest> commits = writes.stream().filter(r -> r.credit().equals("fsync")).toList();
            assertThat(commits).as("journal commits credited to an fsync").isNotEmpty()
                    .allMatch(r -> r.writeback().equals("journal") && creditedToJavaThread(r));
            assertThat(commits.stream().filter(r -> r.javaLink().linked()).count())
                    .as("journal commits linked to the fsync's call:%n%s", table(commits, BrokerWritebackIT::callSite))
                    .isGreaterThanOrEqualTo(commits.size() * 9L / 10);
            assertThat(statistics.getLong("dirtyFilesLost")).as("dirty files lost").isZero();
            // Eight handlers append by turns into the same 2 MiB chunks, which tell four dirtiers apart: the others'
            // dirtyings are counted, not silently left out.
            assertThat(statistics.getLong("dirtyingsUntallied")).as("dirtyings of a fifth thread in a chunk, counted")
                    .isPositive();
        }
    }
}
