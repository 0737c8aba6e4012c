package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class JavaThreadsTest {
    @Test
    void aNativeThreadCarriesSeveralJavaThreadsOneAfterAnother() {
        JavaThreads threads = new JavaThreads(() -> "");
        Thread main = new Thread("main");
        Thread destroyJavaVm = new Thread("DestroyJavaVM");
        threads.threadStarted(main, 4242, 1_000);
        threads.threadEnded(4242, 5_000);
        threads.threadStarted(destroyJavaVm, 4242, 5_100);

        assertThat(threads.find(4242, 4_999)).as("a request submitted while main ran").isSameAs(main);
        assertThat(threads.find(4242, 6_000)).as("a request submitted after main returned").isSameAs(destroyJavaVm);
        assertThat(threads.find(4242, 900)).as("before any Java thread ran there").isNull();
    }

    @Test
    void aThreadFoundBeforeItEndedIsNotReturnedForTimesAfterItsEnd() {
        JavaThreads threads = new JavaThreads(() -> "");
        Thread main = new Thread("main");
        Thread destroyJavaVm = new Thread("DestroyJavaVM");
        threads.threadStarted(main, 4242, 1_000);
        assertThat(threads.find(4242, 3_000)).as("found while main still ran").isSameAs(main);

        threads.threadEnded(4242, 5_000);
        threads.threadStarted(destroyJavaVm, 4242, 5_100);

        assertThat(threads.find(4242, 6_000)).as("after main ended, the next Java thread on that native thread")
                .isSameAs(destroyJavaVm);
        assertThat(threads.find(4242, 4_000)).as("main, for a request submitted while it ran").isSameAs(main);
        assertThat(threads.find(4242, 5_050)).as("between the two lives").isNull();
    }

    @Test
    void readsJdk17ThreadDumps() {
        Thread current = Thread.currentThread();
        @SuppressWarnings("deprecation")
        long id = current.getId();
        String dump = "2026-11-25 01:50:00\nFull thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode):\n\n"
                + "\"" + current.getName() + "\" #" + id + " prio=5 os_prio=0 cpu=105.32ms elapsed=0.12s tid=0x00007f0960017ea0 nid=0xd77 waiting on condition  [0x00007f09679fe000]\n"
                + "   java.lang.Thread.State: RUNNABLE\n\n"
                + "\"VM Thread\" os_prio=0 cpu=0.25ms elapsed=0.21s tid=0x00007f30080affc0 nid=0xd76 runnable  \n";
        JavaThreads threads = new JavaThreads(() -> dump);
        assertThat(threads.find(0xd77, 10)).as("unknown before the dump").isNull();

        threads.refreshIfNeeded(System.nanoTime());

        assertThat(threads.find(0xd77, 10)).isSameAs(current);
        assertThat(threads.find(0xd76, 10)).as("the VM thread is not a Java thread").isNull();
    }

    @Test
    void readsJdk25ThreadDumpsAndQuotedNames() {
        Thread current = Thread.currentThread();
        @SuppressWarnings("deprecation")
        long id = current.getId();
        String dump = "\"a \"quoted\" name\" #999999 [1] daemon prio=5 os_prio=0 tid=0x1 nid=1 runnable\n"
                + "\"" + current.getName() + "\" #" + id + " [3468] prio=5 os_prio=0 cpu=195.77ms elapsed=0.27s tid=0x00007f300802a810 nid=3468 waiting on condition  [0x00007f300e31e000]\n";
        JavaThreads threads = new JavaThreads(() -> dump);

        threads.refresh(System.nanoTime());

        assertThat(threads.find(3468, 123)).isSameAs(current);
        assertThat(threads.find(1, 123)).as("a Java id with no live thread stays unknown").isNull();
    }

    @Test
    void dumpsAtMostOncePerIntervalAndOnlyForMisses() {
        AtomicInteger dumps = new AtomicInteger();
        JavaThreads threads = new JavaThreads(() -> {
            dumps.incrementAndGet();
            return "";
        });
        long now = 1_000_000_000_000L;
        threads.refreshIfNeeded(now);
        assertThat(dumps).as("no miss, no dump").hasValue(0);

        threads.find(77, 0);
        threads.refreshIfNeeded(now);
        threads.find(77, 0);
        threads.refreshIfNeeded(now + JavaThreads.MIN_DUMP_INTERVAL_NANOS / 2);
        assertThat(dumps).hasValue(1);

        threads.refreshIfNeeded(now + JavaThreads.MIN_DUMP_INTERVAL_NANOS);
        assertThat(dumps).hasValue(2);
    }

    @Test
    void forgetsEndedThreadsAfterTheRetention() {
        JavaThreads threads = new JavaThreads(() -> "");
        Thread worker = new Thread("worker");
        threads.threadStarted(worker, 10, 0);
        threads.threadEnded(10, 1_000);
        threads.threadStarted(new Thread("alive"), 11, 0);

        threads.forgetEnded(1_000 + JavaThreads.ENDED_RETENTION_NANOS);
        assertThat(threads.find(10, 500)).as("still within the retention").isSameAs(worker);

        threads.forgetEnded(1_001 + JavaThreads.ENDED_RETENTION_NANOS);
        assertThat(threads.find(10, 500)).isNull();
        assertThat(threads.find(11, 500)).as("a running thread is never forgotten").isNotNull();
        assertThat(threads.size()).isEqualTo(1);
    }
}
