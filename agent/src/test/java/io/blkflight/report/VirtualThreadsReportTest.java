package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.decode.RecordBuilder;
import io.blkflight.resolve.Devices;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.KernelStacks;
import io.blkflight.resolve.RequestEventWriter;
import io.blkflight.resolve.VirtualThreads;
import io.blkflight.testing.SyntheticRecording;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary's thread table, --thread and single requests on virtual threads: on the checked-in recording of
 * VirtualThreadsWorkload (scripts/regenerate-virtual-threads-fixture.sh; VirtualThreadsIT checks the same on a fresh
 * one), and on a synthetic one with more virtual threads than the table lists one by one.
 */
class VirtualThreadsReportTest {
    private static final Path RECORDING = Path.of("src/test/resources/recordings/virtual-threads.jfr");
    private static final int PID = 778;

    @TempDir
    Path directory;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void theThreadTableListsVirtualThreadsOneByOneOrGrouped() {
        CommandRun each = run("summary", RECORDING.toString());
        assertThat(each.exitCode()).as(each.err()).isZero();
        assertThat(each.out()).contains("  issuing thread  ").containsPattern("vt-reader-0 \\(virtual\\) +200 ")
                .containsPattern("\n  pt-reader-0 +200 ").doesNotContain("ForkJoinPool-");

        CommandRun prefix = run("summary", "--virtual-threads", "prefix", RECORDING.toString());
        assertThat(prefix.out()).contains("issuing thread, virtual ones by name prefix ")
                .containsPattern("vt-reader-\\* \\(8 virtual threads\\) +1,600 ")
                .containsPattern("vt-custom-\\* \\(4 virtual threads\\) +200 ")
                .containsPattern("custom-carrier +100 ");

        CommandRun carrier = run("summary", "--virtual-threads", "carrier", RECORDING.toString());
        assertThat(carrier.out()).contains("issuing thread, virtual ones by carrier ")
                .containsPattern("virtual threads on ForkJoinPool-1-worker-\\d+ \\(\\d virtual threads?\\)")
                .doesNotContain("vt-reader-0");

        CommandRun bad = run("summary", "--virtual-threads", "pool", RECORDING.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--virtual-threads takes each, carrier or prefix, not 'pool'");
    }

    @Test
    void threadSelectsAVirtualThreadByNameByPrefixOrByItsCarrier() {
        assertThat(run("report", "--requests", "0", "--thread", "vt-reader-3", RECORDING.toString()).out())
                .contains("selected 200 of ");
        assertThat(run("report", "--requests", "0", "--thread", "vt-reader-*", RECORDING.toString()).out())
                .contains("selected 1,600 of ");
        assertThat(run("report", "--requests", "0", "--thread", "custom-carrier", RECORDING.toString()).out())
                .as("its own 100 and the 200 of the virtual threads it carried").contains("selected 300 of ");
        CommandRun miss = run("report", "--requests", "0", "--thread", "vt-writer-0", RECORDING.toString());
        assertThat(miss.out()).contains("--thread vt-writer-0 matches no request; the recording's threads, most requests first: vt-reader-*");
    }

    @Test
    void aSingleRequestSaysItsVirtualThreadAndCarrier() {
        CommandRun run = run("report", "--requests", "1", "--order", "first", "--thread", "vt-reader-5", RECORDING.toString());
        assertThat(run.out()).containsPattern("issued by vt-reader-5, virtual thread carried by ForkJoinPool-1-worker-\\d+ \\(tid");
    }

    @Test
    void beyondAThousandVirtualThreadsTheTableGroupsThemByNamePrefix() throws Exception {
        long t = System.nanoTime() - 50_000_000L;
        JavaThreads threads = new JavaThreads(() -> "");
        CountDownLatch written = new CountDownLatch(1);
        Thread carrier = new Thread(() -> {
            try {
                written.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ForkJoinPool-1-worker-1");
        carrier.start();
        threads.threadStarted(carrier, PID + 1, t - 1_000);
        RecordBuilder records = new RecordBuilder(1 << 20);
        int virtualThreads = Summary.MAX_VIRTUAL_ROWS + 1;
        for (int i = 0; i < virtualThreads; i++) {
            // Not handed over: each is named by its id, as one the agent no longer held.
            records.begin().request(i + 1, 1).times(t + i, t + i, 0, t + i + 10, t + i + 1_000).where(Devices.dev(250, 99), i, 4096, 0, 1)
                    .issuer(PID, PID + 1, "ForkJoinPool-1-", 17, 0).vthread(10_000 + i).end();
        }
        Path file = directory.resolve("many.jfr");
        VirtualThreads none = new VirtualThreads(new VirtualThreads.Source() {
            @Override
            public int take(Thread[] taken, long[] ids, int[] io) {
                return 0;
            }

            @Override
            public Thread mounted(Thread on) {
                return null;
            }
        });
        try {
            SyntheticRecording.write(RequestEventWriter.Format.COMPACT, file, records.buffer(), records.length(), threads,
                    none, new KernelStacks((id, into) -> 0), PID, new String[0], () -> { });
        } finally {
            written.countDown();
        }
        CommandRun grouped = run("summary", file.toString());
        assertThat(grouped.out()).contains("issuing thread, virtual ones by name prefix ")
                .contains("(more than 1,000 virtual threads: grouped by name prefix; --virtual-threads each lists them one by one)")
                .containsPattern("VirtualThread#\\* \\(1,001 virtual threads\\) +1,001 ");
        assertThat(run("summary", "--virtual-threads", "each", file.toString()).out())
                .containsPattern("VirtualThread#10000 \\(virtual\\) +1 ").contains("... and 991 more");
    }
}
