package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.DirtyExpiry;
import io.blkflight.it.Commands;
import io.blkflight.it.LoopDevice;
import io.blkflight.it.Recorded;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.EventNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads on the real kernel, JDK 25 ({@link VirtualThreadsWorkload}, two carriers for more virtual threads
 * than that): each request a virtual thread issues (O_DIRECT and buffered reads, fsync after FileChannel and
 * FileOutputStream writes, pages it dirtied and a flusher wrote back) is credited to it, named or not, with its
 * carrier beside it, and linked to its own call; platform threads' stay theirs, and so do those a carrier issues
 * between two mounts (a scheduler of one platform thread that reads its own file between turns). The dirty expiry is
 * lowered for the test (and restored), so that the flushers write the appenders' pages while the JVM runs.
 */
@ExtendWith(DirtyExpiry.class)
class VirtualThreadsIT {
    private static final Pattern COLD_ID = Pattern.compile("^cold-(\\d+) id (\\d+)$", Pattern.MULTILINE);

    @TempDir
    Path work;

    private record Run(List<BlockRequest> requests, Recorded recorded, String stdout, String root) {
        List<BlockRequest> on(String file, String operation) {
            return requests.stream().filter(r -> r.file().equals(root + file) && r.operation().equals(operation)).toList();
        }
    }

    /**
     * Runs the workload under the agent; linkThreshold=0ns records every file call, as LinkingIT does: a read from this
     * loop device in /dev/shm is often faster than the default threshold of 20 us, and then links by samples alone, a
     * virtual thread's as a platform thread's.
     */
    private Run run(String jdk, LoopDevice device, String options) throws Exception {
        Path recording = work.resolve("virtual.jfr");
        Commands.Result result = ChildJvm.of(jdk).withAgent("output=" + recording + ",devices=" + device.name()
                        + ",linkThreshold=0ns" + options)
                .jvmOption("-Djdk.virtualThreadScheduler.parallelism=2")
                .jvmOption("--add-opens=java.base/java.lang=ALL-UNNAMED")
                .run(VirtualThreadsWorkload.class.getName(), device.mountPoint().toString(), "wait", "4");
        assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).contains("virtual threads done");
        List<BlockRequest> requests = new ArrayList<>();
        try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
            recorded.forEach(requests::add);
        }
        return new Run(requests, Recorded.read(recording), result.stdout(), device.mountPoint() + "/");
    }

    private static boolean linkedTo(BlockRequest request, String method) {
        return request.javaLink().frames().stream().anyMatch(frame -> frame.contains("VirtualThreadsWorkload." + method));
    }

    private static String describe(List<BlockRequest> requests) {
        return requests.stream().limit(30).map(r -> r.operation() + " " + r.bytes() + " " + r.file() + " by " + r.comm()
                + " thread " + r.javaThreadName() + (r.virtualThread() ? " (virtual on " + r.carrierThreadName() + ")" : "")
                + " wb " + r.writeback() + " link " + r.javaLink().source() + " "
                + r.javaLink().frames().stream().limit(3).toList()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /**
     * Of the requests, at least 95% credited to the virtual thread of that name, with a carrier, and at least 95% of
     * them linked to the workload's method.
     */
    private static void creditedAndLinked(List<BlockRequest> requests, String thread, Predicate<String> carrier,
                                          String method) {
        assertThat(requests).as("requests of %s", thread).isNotEmpty();
        List<BlockRequest> credited = requests.stream().filter(r -> thread.equals(r.javaThreadName())).toList();
        assertThat(credited.size()).as("requests credited to %s, of %d:%s", thread, requests.size(), describe(requests))
                .isGreaterThanOrEqualTo(requests.size() * 95 / 100);
        assertThat(credited).as("%s is a virtual thread, its carrier beside it", thread).allSatisfy(r -> {
            assertThat(r.virtualThread()).isTrue();
            assertThat(r.carrierThreadName()).matches(carrier);
        });
        assertThat(credited.stream().filter(r -> linkedTo(r, method)).count())
                .as("requests of %s linked to its call %s:%s", thread, method, describe(credited))
                .isGreaterThanOrEqualTo(credited.size() * 95L / 100);
    }

    private static final Predicate<String> POOL = name -> name != null && name.startsWith("ForkJoinPool-");

    @Test
    void requestsOfVirtualThreadsAreCreditedToThemAndLinkedToTheirCalls() throws Exception {
        try (LoopDevice device = LoopDevice.create("virtual", 256)) {
            Run run = run(ChildJvm.JDK_25, device, "");
            List<BlockRequest> direct = run.on(VirtualThreadsWorkload.DIRECT, "read");

            for (int i = 0; i < VirtualThreadsWorkload.READERS; i++) {
                String reader = "vt-reader-" + i;
                List<BlockRequest> mine = direct.stream().filter(r -> reader.equals(r.javaThreadName())).toList();
                assertThat(mine).as("O_DIRECT reads credited to %s", reader).hasSize(VirtualThreadsWorkload.READS);
                creditedAndLinked(mine, reader, POOL, "readDirect");
            }
            // More virtual threads than carriers, reading at once: none of their requests is left with a carrier.
            List<BlockRequest> ofCarriers = run.requests.stream().filter(r -> POOL.test(r.javaThreadName())).toList();
            assertThat(ofCarriers).as("requests credited to a carrier of the default scheduler:%s", describe(ofCarriers))
                    .isEmpty();

            // Unnamed virtual threads reading through the page cache: named by their ids.
            Matcher ids = COLD_ID.matcher(run.stdout);
            int unnamed = 0;
            while (ids.find()) {
                unnamed++;
                List<BlockRequest> cold = run.on("cold-" + ids.group(1) + ".bin", "read");
                creditedAndLinked(cold, "VirtualThread#" + ids.group(2), POOL, "readBuffered");
            }
            assertThat(unnamed).as("unnamed readers the workload printed").isEqualTo(VirtualThreadsWorkload.COLD_FILES);

            // Platform threads among them stay platform threads.
            for (int i = 0; i < 2; i++) {
                String reader = "pt-reader-" + i;
                List<BlockRequest> mine = direct.stream().filter(r -> reader.equals(r.javaThreadName())).toList();
                assertThat(mine).as("O_DIRECT reads of platform thread %s", reader).hasSize(VirtualThreadsWorkload.READS)
                        .allSatisfy(r -> {
                            assertThat(r.virtualThread()).isFalse();
                            assertThat(r.carrierThreadName()).isNull();
                        });
            }

            // fsync after FileChannel writes, and after FileOutputStream writes.
            for (int i = 0; i < VirtualThreadsWorkload.SYNCERS; i++) {
                creditedAndLinked(run.on("synced-" + i + ".bin", "write"), "vt-syncer-" + i, POOL, "writeAndForce");
            }
            for (int i = 0; i < VirtualThreadsWorkload.STREAMS; i++) {
                creditedAndLinked(run.on("stream-" + i + ".bin", "write"), "vt-stream-" + i, POOL, "streamAndForce");
            }
            // The journal commits their fsyncs waited for: credited to the virtual thread that waited, linked to its force.
            List<BlockRequest> commits = run.requests.stream().filter(r -> "fsync".equals(r.credit())).toList();
            assertThat(commits).as("journal commits a virtual thread's fsync waited for").isNotEmpty().allSatisfy(r -> {
                assertThat(r.javaThreadName()).matches("vt-(syncer|stream)-\\d+");
                assertThat(r.virtualThread()).isTrue();
                assertThat(r.carrierThreadName()).matches(POOL);
            });
            assertThat(commits.stream().filter(r -> linkedTo(r, "writeAndForce") || linkedTo(r, "streamAndForce")).count())
                    .as("journal commits linked to the force call:%s", describe(commits))
                    .isGreaterThanOrEqualTo(commits.size() * 95L / 100);
            // Pages a virtual thread dirtied, written back by a flusher: credited to it (its carrier then beside it).
            for (int i = 0; i < VirtualThreadsWorkload.APPENDERS; i++) {
                List<BlockRequest> appended = run.on("appended-" + i + ".bin", "write");
                long size = (long) VirtualThreadsWorkload.APPENDED_BLOCKS * LoopDevice.BLOCK_SIZE;
                String appender = "vt-appender-" + i;
                assertThat(appended.stream().filter(r -> r.isWriteback() && appender.equals(r.javaThreadName()))
                        .mapToLong(BlockRequest::bytes).sum())
                        .as("bytes of appended-%d.bin written back and credited to %s (of %d):%s", i, appender, size,
                                describe(appended))
                        .isGreaterThanOrEqualTo(size * 95 / 100);
                creditedAndLinked(appended, appender, POOL, "append");
            }

            // A scheduler of one platform thread: its turns' requests are the virtual threads', its own between them its.
            for (int i = 0; i < VirtualThreadsWorkload.CUSTOM; i++) {
                String custom = "vt-custom-" + i;
                List<BlockRequest> mine = direct.stream().filter(r -> custom.equals(r.javaThreadName())).toList();
                assertThat(mine).as("reads credited to %s", custom).hasSize(VirtualThreadsWorkload.CUSTOM_READS);
                creditedAndLinked(mine, custom, "custom-carrier"::equals, "readDirect");
            }
            List<BlockRequest> carrierOwn = run.on(VirtualThreadsWorkload.CARRIER, "read");
            assertThat(carrierOwn).as("the carrier's own reads between two mounts:%s", describe(carrierOwn))
                    .hasSize(VirtualThreadsWorkload.CARRIER_READS)
                    .allSatisfy(r -> {
                        assertThat(r.javaThreadName()).isEqualTo("custom-carrier");
                        assertThat(r.virtualThread()).isFalse();
                    });

            // Reading while holding a monitor, sleeping in it.
            List<BlockRequest> pinned = direct.stream().filter(r -> "vt-pinned".equals(r.javaThreadName())).toList();
            assertThat(pinned).as("reads of vt-pinned").hasSize(20);
            creditedAndLinked(pinned, "vt-pinned", POOL, "readDirect");

            RecordedEvent configuration = run.recorded.configurations.get(run.recorded.configurations.size() - 1);
            assertThat(configuration.getString(EventNames.Configuration.VIRTUAL_THREADS)).isEqualTo("on");
            RecordedEvent statistics = run.recorded.lastStatistics();
            for (String count : List.of("virtualThreadsById", "carriersWithoutSlot", "virtualThreadsNotHandedOver",
                    "unresolvedThreads", "writebackUncredited")) {
                assertThat(statistics.getLong(count)).as(count).isZero();
            }
        }
    }

    /**
     * A service's way: many short-lived virtual threads, each reading one block (thread i block i). Each request goes
     * to its own virtual thread, none to a carrier, within the agent's bounds.
     */
    @Test
    void manyShortLivedVirtualThreadsEachGetTheirOwnRequest() throws Exception {
        int count = 20_000;
        try (LoopDevice device = LoopDevice.create("virtual-many", 256)) {
            Path recording = work.resolve("many.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_25).withAgent("output=" + recording + ",devices=" + device.name()
                            + ",linkThreshold=0ns")
                    .jvmOption("-Djdk.virtualThreadScheduler.parallelism=2")
                    .run(VirtualThreadsWorkload.class.getName(), device.mountPoint().toString(), "many", Integer.toString(count));
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            List<BlockRequest> requests = new ArrayList<>();
            try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
                recorded.forEach(requests::add);
            }
            String file = device.mountPoint() + "/" + VirtualThreadsWorkload.MANY;
            List<BlockRequest> reads = requests.stream().filter(r -> r.file().equals(file) && r.operation().equals("read")).toList();
            assertThat(reads).as("one read per virtual thread").hasSize(count);
            List<BlockRequest> credited = reads.stream().filter(BlockRequest::virtualThread).toList();
            assertThat(credited.size()).as("reads credited to a virtual thread").isGreaterThanOrEqualTo(count * 95 / 100);
            assertThat(credited.stream().map(BlockRequest::javaThreadId).distinct().count())
                    .as("each to its own").isEqualTo(credited.size());
            assertThat(credited.stream().filter(r -> r.javaLink().linked()).count()).as("linked to their calls")
                    .isGreaterThanOrEqualTo(credited.size() * 95L / 100);
            assertThat(reads).noneMatch(r -> POOL.test(r.javaThreadName()));
            RecordedEvent statistics = Recorded.read(recording).lastStatistics();
            assertThat(statistics.getLong("virtualThreadsNotHandedOver")).as("hand-overs lost").isZero();
            assertThat(statistics.getLong("virtualThreadsById")).as("named by id only").isLessThanOrEqualTo(count / 100);
        }
    }

    @Test
    void withVirtualThreadsOffTheirRequestsStayTheCarriers() throws Exception {
        try (LoopDevice device = LoopDevice.create("virtual-off", 256)) {
            Run run = run(ChildJvm.JDK_25, device, ",virtualThreads=off");
            List<BlockRequest> direct = run.on(VirtualThreadsWorkload.DIRECT, "read");
            assertThat(direct).as("no request credited to a virtual thread").noneMatch(BlockRequest::virtualThread);
            assertThat(direct.stream().filter(r -> POOL.test(r.javaThreadName())).count())
                    .as("the readers' requests are their carriers'")
                    .isGreaterThanOrEqualTo((long) VirtualThreadsWorkload.READERS * VirtualThreadsWorkload.READS);
            RecordedEvent configuration = run.recorded.configurations.get(run.recorded.configurations.size() - 1);
            assertThat(configuration.getString(EventNames.Configuration.VIRTUAL_THREADS)).isEqualTo("off");
        }
    }

    @Test
    void jdk17IsUnaffected() throws Exception {
        try (LoopDevice device = LoopDevice.create("virtual-17", 64)) {
            Path file = device.zeroFile("data.bin", 256);
            Path recording = work.resolve("jdk17.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17).withAgent("output=" + recording + ",devices=" + device.name())
                    .run(io.blkflight.it.BurstWorkload.class.getName(), file.toString(), "2", "100", "0", "0", "256");
            assertThat(result.exitCode()).as("stderr: %s", result.stderr()).isZero();
            assertThat(result.stderr()).as("no line about virtual threads on JDK 17").doesNotContain("virtual");
            List<BlockRequest> requests = new ArrayList<>();
            try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
                recorded.forEach(requests::add);
            }
            Map<String, Long> byThread = requests.stream().filter(r -> r.file().equals(file.toString()))
                    .collect(Collectors.groupingBy(r -> String.valueOf(r.javaThreadName()), Collectors.counting()));
            assertThat(byThread).as("the burst's reads by thread").containsEntry("burst-1", 100L).containsEntry("burst-2", 100L);
            assertThat(requests).noneMatch(BlockRequest::virtualThread);
            Recorded recorded = Recorded.read(recording);
            assertThat(recorded.configurations.get(recorded.configurations.size() - 1)
                    .getString(EventNames.Configuration.VIRTUAL_THREADS)).isEqualTo("none (JDK 17 has no virtual threads)");
        }
    }
}
