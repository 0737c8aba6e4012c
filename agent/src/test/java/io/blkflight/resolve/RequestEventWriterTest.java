package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.blkflight.decode.FileRecord;
import io.blkflight.decode.RecordBuilder;
import io.blkflight.decode.RequestRecord;
import io.blkflight.it.Recorded;
import io.blkflight.model.EventNames;
import io.blkflight.testing.SyntheticRecording;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records made up the way the kernel side writes them go through the writer into a real JFR recording,
 * and come back as BlockRequest events with the kernel's times, names and thread.
 */
class RequestEventWriterTest {
    private static final int PID = 4000;
    private static final int LOOP0 = Devices.dev(7, 0);

    @TempDir
    Path directory;

    private List<RecordedEvent> record(RecordBuilder input, JavaThreads threads) throws Exception {
        Path file = directory.resolve("events.jfr");
        SyntheticRecording.write(file, input, threads, PID);
        return RecordingFile.readAllEvents(file).stream()
                .sorted(Comparator.comparing(RecordedEvent::getStartTime))
                .collect(Collectors.toList());
    }

    @Test
    void givesEachEventTheKernelsTimesInJfrsTimeBase() throws Exception {
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        long submit = now - 40_000_000L;
        RecordBuilder input = new RecordBuilder()
                .begin().request(0xffff888100002000L, 1).times(submit, submit + 2_000, submit + 5_000, submit + 9_000, submit + 1_009_000)
                .where(LOOP0, 17026, 4096, 0, 1).issuer(PID, PID + 1, "reader-1", 17, submit - 3_000).end();

        List<RecordedEvent> events = record(input, new JavaThreads(() -> ""));

        assertThat(events).hasSize(1);
        RecordedEvent event = events.get(0);
        assertThat(Duration.between(event.getStartTime(), wallNow.minusMillis(40)).abs())
                .as("start is when the bio was queued, 40 ms ago, not when the event was committed")
                .isLessThan(Duration.ofMillis(2));
        // The tick rate comes from a baseline of only ~10 ms here, good to a few parts in 10^5.
        assertThat(event.getDuration().toNanos()).as("submit to complete").isCloseTo(1_009_000L, within(200L));
        assertThat(event.getDuration("allocationTime").toNanos()).isEqualTo(2_000);
        assertThat(event.getDuration("insertTime").toNanos()).isEqualTo(5_000);
        assertThat(event.getDuration("queueTime").toNanos()).isEqualTo(9_000);
        assertThat(event.getDuration("serviceTime").toNanos()).isEqualTo(1_000_000);
        assertThat(Duration.between(event.getInstant("syscallStart"), event.getStartTime()).toNanos())
                .as("the system call began 3 us before the bio").isCloseTo(3_000L, within(20L));
        assertThat(event.getString("deviceNumber")).isEqualTo("7:0");
        assertThat(event.getString("operation")).isEqualTo("read");
        assertThat(event.getString("flags")).isEqualTo("sync");
        assertThat(event.getLong("sector")).isEqualTo(17026);
        assertThat(event.getLong("bytes")).isEqualTo(4096);
        assertThat(event.getString("syscall")).isEqualTo("pread64");
        assertThat(event.getString("comm")).isEqualTo("reader-1");
        assertThat(event.getInt("pid")).isEqualTo(PID);
        assertThat(event.getLong("osThreadId")).isEqualTo(PID + 1);
        assertThat(event.getString("status")).isEqualTo("ok");
        assertThat(event.getString("origin")).isEqualTo("bio");
    }

    @Test
    void twoLifecyclesAtOneAddressStayTwoRequests() throws Exception {
        long t = System.nanoTime() - 10_000_000L;
        long address = 0xffff888100004400L;
        RecordBuilder input = new RecordBuilder()
                .begin().request(address, 7).times(t, t + 1, 0, t + 10, t + 100).where(LOOP0, 8, 4096, 1, 0).end()
                .begin().request(address, 8).times(t + 200, t + 201, 0, t + 210, t + 300).where(LOOP0, 16, 4096, 0, 0).end();

        List<RecordedEvent> events = record(input, new JavaThreads(() -> ""));

        assertThat(events).extracting(e -> e.getLong("requestAddress")).containsExactly(address, address);
        assertThat(events).extracting(e -> e.getInt("generation")).containsExactly(7, 8);
        assertThat(events).extracting(e -> e.getLong("sector")).containsExactly(8L, 16L);
        assertThat(events).extracting(e -> e.getString("operation")).containsExactly("write", "read");
    }

    @Test
    void stagesThatDidNotHappenAreNotAvailable() throws Exception {
        long t = System.nanoTime() - 5_000_000L;
        RecordBuilder input = new RecordBuilder()
                // The empty request of a flush sequence: never inserted, never dispatched itself.
                .begin().request(1, 1).times(t, t + 100, 0, 0, t + 90_000).where(LOOP0, 0, 0, 1, 1 | 8).end()
                // Seen first at dispatch (scope=all, kernel flush machinery): nothing before that is known.
                .begin().request(2, 1).origin(RequestRecord.ORIGIN_UNKNOWN).times(0, 0, 0, t + 1_000, t + 50_000)
                .where(LOOP0, 0, 0, 2, 0).issuer(0, 0, "", -1, 0).end();

        List<RecordedEvent> events = record(input, new JavaThreads(() -> ""));

        RecordedEvent flushSequence = events.get(0);
        assertThat(flushSequence.getString("flags")).isEqualTo("sync,preflush");
        assertThat(flushSequence.getLong("queueTime")).isEqualTo(Long.MIN_VALUE);
        assertThat(flushSequence.getLong("serviceTime")).isEqualTo(Long.MIN_VALUE);
        assertThat(flushSequence.getLong("insertTime")).isEqualTo(Long.MIN_VALUE);
        assertThat(flushSequence.getLong("syscallStart")).isEqualTo(Long.MIN_VALUE);
        assertThat(flushSequence.getString("syscall")).isEqualTo("none");
        RecordedEvent unknown = events.get(1);
        assertThat(unknown.getString("origin")).isEqualTo("unknown");
        assertThat(unknown.getString("operation")).isEqualTo("flush");
        assertThat(unknown.getLong("allocationTime")).isEqualTo(Long.MIN_VALUE);
        assertThat(unknown.getLong("queueTime")).isEqualTo(Long.MIN_VALUE);
        assertThat(unknown.getDuration("serviceTime").toNanos()).isEqualTo(49_000);
        assertThat(unknown.getDuration().toNanos()).as("from first dispatch to completion").isCloseTo(49_000L, within(20L));
        assertThat(unknown.getThread("javaThread")).isNull();
    }

    @Test
    void aLifecycleWhoseEndWasNeverSeenEndsAtItsLastStageWithStatusEndUnseen() throws Exception {
        long t = System.nanoTime() - 5_000_000L;
        RecordBuilder input = new RecordBuilder()
                .begin().request(5, 3).times(t, t + 100, 0, t + 700, 0).where(LOOP0, 64, 4096, 0, 1)
                .counts(0, 0, RequestRecord.STATUS_END_UNSEEN).issuer(PID, PID + 2, "random-1", 17, t - 500).end();

        List<RecordedEvent> events = record(input, new JavaThreads(() -> ""));

        assertThat(events).hasSize(1);
        RecordedEvent unseen = events.get(0);
        assertThat(unseen.getString("status")).isEqualTo("end-unseen");
        assertThat(unseen.getDuration().toNanos()).as("submit to the last stage seen (issue)").isCloseTo(700L, within(20L));
        assertThat(unseen.getDuration("queueTime").toNanos()).isEqualTo(700);
        assertThat(unseen.getLong("serviceTime")).as("no completion, no service time").isEqualTo(Long.MIN_VALUE);
        assertThat(unseen.getLong("osThreadId")).isEqualTo(PID + 2);
    }

    @Test
    void namesTheJavaThreadThatRanWhenTheBioWasQueued() throws Exception {
        long t = System.nanoTime() - 5_000_000L;
        JavaThreads threads = new JavaThreads(() -> "");
        Thread worker = new Thread("io-worker-7");
        threads.threadStarted(worker, PID + 7, t - 1_000_000);
        threads.threadStarted(Thread.currentThread(), PID + 8, t - 1_000_000);
        RecordBuilder input = new RecordBuilder()
                .begin().request(3, 1).times(t, t, 0, t + 10, t + 20).where(LOOP0, 0, 4096, 0, 0)
                .issuer(PID, PID + 8, "main", 17, t).end()
                .begin().request(4, 1).times(t + 30, t + 30, 0, t + 40, t + 50).where(LOOP0, 0, 4096, 0, 0)
                .issuer(PID + 1, PID + 9, "other-process", 17, t).end();

        List<RecordedEvent> events = record(input, threads);

        assertThat(events.get(0).getThread("javaThread").getJavaName()).isEqualTo(Thread.currentThread().getName());
        assertThat(events.get(1).getThread("javaThread")).as("another process has no Java thread here").isNull();
    }

    @ParameterizedTest
    @EnumSource(RequestEventWriter.Format.class)
    void countsEveryRequestWrittenWithoutItsJavaThread(RequestEventWriter.Format format) throws Exception {
        long t = System.nanoTime() - 5_000_000L;
        Thread ended = new Thread(() -> { }, "ended-issuer");
        ended.start();
        ended.join();
        JavaThreads threads = new JavaThreads(() -> "");
        threads.threadStarted(ended, PID + 7, t - 1_000_000);
        threads.threadStarted(Thread.currentThread(), PID + 8, t - 1_000_000);
        RecordBuilder input = new RecordBuilder()
                .begin().request(3, 1).times(t, t, 0, t + 10, t + 20).where(LOOP0, 0, 4096, 0, 0)
                .issuer(PID, PID + 7, "ended-issuer", 17, t).end()
                .begin().request(4, 1).times(t + 30, t + 30, 0, t + 40, t + 50).where(LOOP0, 0, 4096, 0, 0)
                .issuer(PID, PID + 8, "main", 17, t).end()
                .begin().request(5, 1).times(t + 60, t + 60, 0, t + 70, t + 80).where(LOOP0, 0, 4096, 0, 0)
                .issuer(PID, PID + 9, "unknown", 17, t).end();
        Path file = directory.resolve("threads.jfr");

        RequestEventWriter writer = SyntheticRecording.write(format, file, input.buffer(), input.length(), threads,
                new KernelStacks((id, into) -> 0), PID, new String[0]);

        List<Recorded.Request> requests = Recorded.read(file).requests;
        long withoutJavaThread = requests.stream().filter(r -> r.getThread("javaThread") == null).count();
        assertThat(withoutJavaThread).as("a thread unknown to the agent, and on JDK 17 one that had ended")
                .isEqualTo(Runtime.version().feature() < 19 ? 2 : 1);
        assertThat(requests).as("JDK 17's JFR writes an ended thread as no thread: the event names it instead")
                .filteredOn(r -> r.getThread("javaThread") == null && r.getString("endedThread") != null)
                .hasSize(Runtime.version().feature() < 19 ? 1 : 0)
                .allSatisfy(r -> {
                    assertThat(r.getString("endedThread")).isEqualTo("ended-issuer");
                    assertThat(r.getLong("endedThreadId")).isEqualTo(ended.getId());
                });
        long unnamed = requests.stream()
                .filter(r -> r.getThread("javaThread") == null && r.getString("endedThread") == null).count();
        assertThat(unnamed).as("the thread unknown to the agent").isEqualTo(1);
        assertThat(writer.unresolvedThreads()).as("every request recorded without its Java thread's name is counted")
                .isEqualTo(unnamed);
    }

    @Test
    void compactFormatNamesWhatRequestsShareByIdAndWritesZeroForStagesThatDidNotHappen() throws Exception {
        long t = System.nanoTime() - 5_000_000L;
        RecordBuilder input = new RecordBuilder()
                .begin().request(0xffff888100002000L, 1).times(t, t + 100, 0, t + 700, t + 5_700).where(LOOP0, 64, 4096, 0, 1)
                .issuer(PID, PID + 1, "writer-1", 17, t - 3_000).end()
                .begin().request(0xffff888100002000L, 2).times(t + 9_000, t + 9_100, 0, t + 9_700, t + 14_700).where(LOOP0, 72, 4096, 0, 1)
                .issuer(PID, PID + 1, "writer-1", 17, t + 8_000).end()
                .begin().request(0xffff888100004400L, 1).times(t + 20_000, t + 20_100, 0, t + 20_900, 0).where(LOOP0, 80, 8192, 1, 1)
                .counts(0, 2, RequestRecord.STATUS_END_UNSEEN).issuer(PID, PID + 1, "writer-1", 18, 0).end();
        Path file = directory.resolve("compact.jfr");
        SyntheticRecording.write(RequestEventWriter.Format.COMPACT, file, input, new JavaThreads(() -> ""),
                new KernelStacks((id, into) -> 0), PID, new String[0]);
        List<RecordedEvent> all = RecordingFile.readAllEvents(file);
        List<RecordedEvent> requests = all.stream().filter(e -> e.getEventType().getName().equals(EventNames.COMPACT_REQUEST))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).collect(Collectors.toList());
        List<RecordedEvent> shapes = all.stream().filter(e -> e.getEventType().getName().equals(EventNames.REQUEST_SHAPE))
                .sorted(Comparator.comparing(e -> e.getLong("shapeId"))).collect(Collectors.toList());
        List<RecordedEvent> addresses = all.stream().filter(e -> e.getEventType().getName().equals(EventNames.REQUEST_ADDRESS))
                .collect(Collectors.toList());

        assertThat(all).noneMatch(e -> e.getEventType().getName().equals(EventNames.BLOCK_REQUEST));
        assertThat(requests).hasSize(3);
        assertThat(shapes).as("two reads alike, one write that did not end as seen").hasSize(2);
        assertThat(requests).extracting(e -> e.getLong("shape")).containsExactly(1L, 1L, 2L);
        assertThat(shapes).extracting(e -> e.getString("operation")).containsExactly("read", "write");
        assertThat(shapes).extracting(e -> e.getString("status")).containsExactly("ok", "end-unseen");
        RecordedEvent read = shapes.get(0);
        assertThat(read.getString("device")).isNotEmpty();
        assertThat(read.getString("deviceNumber")).isEqualTo("7:0");
        assertThat(read.getString("flags")).isEqualTo("sync");
        assertThat(read.getString("syscall")).isEqualTo("pread64");
        assertThat(shapes.get(1).getString("syscall")).isEqualTo("pwrite64");
        assertThat(read.getString("comm")).isEqualTo("writer-1");
        assertThat(read.getString("origin")).isEqualTo("bio");
        assertThat(read.getInt("pid")).isEqualTo(PID);
        assertThat(read.getLong("osThreadId")).isEqualTo(PID + 1);
        assertThat(addresses).extracting(e -> e.getLong("requestAddress")).containsExactlyInAnyOrder(0xffff888100002000L, 0xffff888100004400L);
        assertThat(requests).extracting(e -> e.getLong("address")).containsExactly(1L, 1L, 2L);
        assertThat(requests).extracting(e -> e.getInt("generation")).containsExactly(1, 2, 1);

        RecordedEvent first = requests.get(0);
        assertThat(first.getDuration("allocationTime").toNanos()).isEqualTo(100);
        assertThat(first.getLong("insertTime")).as("never inserted: 0, not N/A").isZero();
        assertThat(first.getDuration("queueTime").toNanos()).isEqualTo(700);
        assertThat(first.getDuration("serviceTime").toNanos()).isEqualTo(5_000);
        assertThat(first.getDuration("syscallTime").toNanos()).as("the system call began 3 us before the bio").isEqualTo(3_000);
        RecordedEvent unseen = requests.get(2);
        assertThat(unseen.getLong("serviceTime")).isZero();
        assertThat(unseen.getLong("syscallTime")).isZero();
        assertThat(unseen.getInt("merges")).isEqualTo(2);
        assertThat(unseen.getLong("bytes")).isEqualTo(8192);
    }

    /** A filesystem device no machine mounts: its files are named by the device, as the kernel side sends them. */
    private static final int UNMOUNTED = Devices.dev(250, 999_999);

    @ParameterizedTest
    @EnumSource(RequestEventWriter.Format.class)
    void eachRequestNamesItsFileInEitherFormat(RequestEventWriter.Format format) throws Exception {
        long t = System.nanoTime() - 5_000_000L;
        RecordBuilder input = new RecordBuilder()
                .filePath(UNMOUNTED, 12, 0, "wal.log", "db")
                .begin().request(1, 1).times(t, t, 0, t + 10, t + 20).where(LOOP0, 0, 4096, 1, 0)
                .issuer(PID, PID + 1, "writer", 18, 0).file(FileRecord.KIND_DATA, UNMOUNTED, 12, 0, 2).end()
                .begin().request(2, 1).times(t + 30, t + 30, 0, t + 40, t + 50).where(LOOP0, 8, 4096, 1, 0)
                .issuer(PID, PID + 1, "writer", 18, 0).file(FileRecord.KIND_DATA, UNMOUNTED, 12, FileRecord.REQUEST_DELETED, 0).end()
                .begin().request(3, 1).times(t + 60, t + 60, 0, t + 70, t + 80).where(LOOP0, 16, 4096, 1, 0)
                .issuer(PID, PID + 1, "writer", 18, 0).file(FileRecord.KIND_DATA, UNMOUNTED, 99, 0, 0).end()
                .begin().request(4, 1).times(t + 90, t + 90, 0, t + 100, t + 110).where(LOOP0, 0, 0, 1, 0)
                .issuer(PID, PID + 1, "writer", 74, 0).file(FileRecord.KIND_NO_DATA, 0, 0, 0, 0).end();
        Path file = directory.resolve("files.jfr");

        RequestEventWriter writer = SyntheticRecording.write(format, file, input.buffer(), input.length(),
                new JavaThreads(() -> ""), new KernelStacks((id, into) -> 0), PID, new String[0]);

        List<Recorded.Request> requests = Recorded.read(file).requests;
        assertThat(requests).extracting(r -> r.getString(EventNames.Request.FILE)).containsExactly(
                "(250:999999)/db/wal.log", "(250:999999)/db/wal.log (deleted)", "(inode 99 on 250:999999, path not known)",
                "(no data)");
        assertThat(requests).extracting(r -> r.getLong(EventNames.Request.INODE)).containsExactly(12L, 12L, 99L, 0L);
        assertThat(requests).extracting(r -> r.getInt(EventNames.Request.OTHER_FILES)).containsExactly(2, 0, 0, 0);
        assertThat(writer.filesUnnamed()).as("the request whose file's path the agent did not have").isEqualTo(1);
        assertThat(writer.filesToSendAgain()).as("its path is asked for again").containsExactly(UNMOUNTED, 99);
        if (format == RequestEventWriter.Format.COMPACT) {
            List<RecordedEvent> files = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(EventNames.FILE)).collect(Collectors.toList());
            assertThat(files).as("one blkflight.File per name, each once in the chunk").hasSize(4)
                    .extracting(e -> e.getString(EventNames.File.KIND)).containsExactlyInAnyOrder("file", "file", "file", "no data");
            assertThat(files).extracting(e -> e.getString(EventNames.File.DEVICE)).contains("250:999999");
        }
    }

    /**
     * A request whose record names a virtual thread (the one mounted on the issuing carrier) is credited to it, its
     * carrier beside it; one the agent no longer holds is named by id and name in the endedThread fields; a writeback
     * request's virtual dirtier the same way. The unit tests run on JDK 17: platform threads stand in for the virtual
     * ones, which the writer does not tell apart.
     */
    @ParameterizedTest
    @EnumSource(RequestEventWriter.Format.class)
    void requestsOfVirtualThreadsAreCreditedToThemWithTheirCarrier(RequestEventWriter.Format format) throws Exception {
        long t = System.nanoTime() - 5_000_000L;
        // Alive while the recording runs: JDK 17's JFR writes a thread that has not started, or has ended, as none.
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread carrier = alive("ForkJoinPool-1-worker-1", done);
        Thread virtual = alive("vt-reader-0", done);
        JavaThreads threads = new JavaThreads(() -> "");
        threads.threadStarted(carrier, PID + 3, t - 1_000_000);
        VirtualThreads virtualThreads = new VirtualThreads(new VirtualThreads.Source() {
            private boolean handedOver;

            @Override
            public int take(Thread[] taken, long[] ids, int[] io) {
                if (handedOver) {
                    return 0;
                }
                handedOver = true;
                taken[0] = virtual;
                ids[0] = 901;
                io[0] = VirtualThreads.ISSUED;
                return 1;
            }

            @Override
            public Thread mounted(Thread on) {
                return null;
            }
        });
        RecordBuilder input = new RecordBuilder()
                .begin().request(1, 1).times(t, t, 0, t + 10, t + 20).where(LOOP0, 0, 4096, 0, 0)
                .issuer(PID, PID + 3, "ForkJoinPool-1-", 17, 0).vthread(901).end()
                .begin().request(2, 1).times(t + 30, t + 30, 0, t + 40, t + 50).where(LOOP0, 8, 4096, 0, 0)
                .issuer(PID, PID + 3, "ForkJoinPool-1-", 17, 0).vthread(902).end()
                .begin().request(3, 1).times(t + 60, t + 60, 0, t + 70, t + 80).where(LOOP0, 16, 4096, 0, 0)
                .issuer(PID, PID + 3, "ForkJoinPool-1-", 17, 0).end()
                .begin().request(4, 1).times(t + 90, t + 90, 0, t + 100, t + 110).where(LOOP0, 24, 4096, 1, 0)
                .issuer(PID, 77, "kworker/u4:1", -1, 0).dirtier(2, RequestRecord.CREDIT_PAGES, PID, PID + 3, 901, t - 500).end();
        Path file = directory.resolve("virtual.jfr");

        RequestEventWriter writer = SyntheticRecording.write(format, file, input.buffer(), input.length(), threads,
                virtualThreads, new KernelStacks((id, into) -> 0), PID, new String[0], () -> { });

        List<Recorded.Request> requests = Recorded.read(file).requests;
        assertThat(requests).hasSize(4);
        Recorded.Request issued = requests.get(0);
        assertThat(issued.getThread(EventNames.Request.JAVA_THREAD).getJavaName()).isEqualTo("vt-reader-0");
        assertThat(issued.getThread(EventNames.Request.CARRIER_THREAD).getJavaName()).isEqualTo("ForkJoinPool-1-worker-1");
        Recorded.Request byId = requests.get(1);
        assertThat(byId.getThread(EventNames.Request.JAVA_THREAD)).as("a virtual thread the agent does not hold").isNull();
        assertThat(byId.getString(EventNames.Request.ENDED_THREAD)).as("its name, not known").isEmpty();
        assertThat(byId.getLong(EventNames.Request.ENDED_THREAD_ID)).isEqualTo(902);
        assertThat(byId.getThread(EventNames.Request.CARRIER_THREAD).getJavaName()).isEqualTo("ForkJoinPool-1-worker-1");
        Recorded.Request carrierOwn = requests.get(2);
        assertThat(carrierOwn.getThread(EventNames.Request.JAVA_THREAD).getJavaName()).as("between mounts: the carrier's")
                .isEqualTo("ForkJoinPool-1-worker-1");
        assertThat(carrierOwn.getThread(EventNames.Request.CARRIER_THREAD)).isNull();
        Recorded.Request writeback = requests.get(3);
        assertThat(writeback.getThread(EventNames.Request.JAVA_THREAD).getJavaName()).as("the virtual thread that dirtied the pages")
                .isEqualTo("vt-reader-0");
        assertThat(writeback.getThread(EventNames.Request.CARRIER_THREAD).getJavaName()).isEqualTo("ForkJoinPool-1-worker-1");
        assertThat(writer.virtualThreadsById()).as("requests named by id only").isEqualTo(1);
        assertThat(writer.unresolvedThreads()).isZero();
        done.countDown();
    }

    private static Thread alive(String name, java.util.concurrent.CountDownLatch done) {
        Thread thread = new Thread(() -> {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
