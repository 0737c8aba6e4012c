package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The collector's registry of virtual threads, fed by a stand-in for the native hand-over and HotSpot's
 * GetVirtualThread (platform threads stand in for virtual ones: the unit tests run on JDK 17).
 */
class VirtualThreadsTest {
    /** Hands over what the test queues; answers what is mounted on each carrier. */
    private static final class Source implements VirtualThreads.Source {
        final Deque<Object[]> queued = new ArrayDeque<>();
        final Map<Thread, Thread> mounted = new HashMap<>();
        int mountedCalls;

        void handOver(Thread thread, long id, int io) {
            queued.add(new Object[] {thread, id, io});
        }

        @Override
        public int take(Thread[] threads, long[] ids, int[] io) {
            int count = 0;
            while (count < threads.length && !queued.isEmpty()) {
                Object[] next = queued.poll();
                threads[count] = (Thread) next[0];
                ids[count] = (Long) next[1];
                io[count] = (Integer) next[2];
                count++;
            }
            return count;
        }

        @Override
        public Thread mounted(Thread carrier) {
            mountedCalls++;
            return mounted.get(carrier);
        }
    }

    @SuppressWarnings("deprecation")
    private static long id(Thread thread) {
        return thread.getId();
    }

    @Test
    void findsWhatWasHandedOverAndForgetsItAfterItsRetention() {
        Source source = new Source();
        VirtualThreads threads = new VirtualThreads(source);
        Thread reader = new Thread("vt-reader-0");
        Thread dirtier = new Thread("vt-appender-0");
        source.handOver(reader, 11, VirtualThreads.ISSUED);
        source.handOver(dirtier, 12, VirtualThreads.ISSUED | VirtualThreads.DIRTIED);
        long now = 1_000_000_000L;
        threads.refresh(now);
        assertThat(threads.find(11, null)).isSameAs(reader);
        assertThat(threads.find(12, null)).isSameAs(dirtier);

        threads.refresh(now + VirtualThreads.ISSUER_RETENTION_NANOS + 1);
        assertThat(threads.find(11, null)).as("an issuer past its retention").isNull();
        assertThat(threads.name(11)).as("still known by name").isEqualTo("vt-reader-0");
        assertThat(threads.find(12, null)).as("a dirtier is held longer: a flusher writes its pages back later").isSameAs(dirtier);
        threads.refresh(now + VirtualThreads.DIRTIER_RETENTION_NANOS + 1);
        assertThat(threads.find(12, null)).isNull();
        assertThat(threads.held()).isZero();
    }

    @Test
    void oneStillIssuingIsHeldOn() {
        Source source = new Source();
        VirtualThreads threads = new VirtualThreads(source);
        Thread reader = new Thread("vt-pinned");
        source.handOver(reader, 31, VirtualThreads.ISSUED);
        long now = 0;
        threads.refresh(now);
        for (int second = 1; second <= 30; second++) {
            now += 1_000_000_000L;
            threads.refresh(now);
            assertThat(threads.find(31, null)).as("named again %d s after it was handed over", second).isSameAs(reader);
        }
    }

    @Test
    void aVirtualThreadStillMountedIsFoundOnItsCarrierOnce() {
        Source source = new Source();
        VirtualThreads threads = new VirtualThreads(source);
        Thread carrier = new Thread("ForkJoinPool-1-worker-1");
        Thread reading = new Thread("vt-reader-1");
        source.mounted.put(carrier, reading);
        threads.refresh(0);

        assertThat(threads.find(id(reading), carrier)).isSameAs(reading);
        assertThat(threads.find(id(reading), carrier)).isSameAs(reading);
        assertThat(source.mountedCalls).as("held after the first look-up").isEqualTo(1);

        assertThat(threads.find(999_999, carrier)).as("another virtual thread is mounted there").isNull();
        assertThat(threads.find(999_999, carrier)).isNull();
        assertThat(source.mountedCalls).as("a failed look-up is not repeated (each pauses mounts)").isEqualTo(2);
        assertThat(threads.name(999_999)).isEmpty();
    }

    @Test
    void oneThatUnmountedDuringTheLookUpIsFoundInTheHandOver() {
        Source source = new Source();
        VirtualThreads threads = new VirtualThreads(source);
        Thread carrier = new Thread("ForkJoinPool-1-worker-2");
        Thread reader = new Thread("vt-reader-2");
        threads.refresh(0);
        source.handOver(reader, 21, VirtualThreads.ISSUED);
        assertThat(threads.find(21, carrier)).isSameAs(reader);
    }

    @Test
    void holdsABoundedNumberAndKeepsTheRestByName() {
        Source source = new Source();
        VirtualThreads threads = new VirtualThreads(source);
        for (int i = 0; i < VirtualThreads.MAX_HELD + 10; i++) {
            source.handOver(new Thread("vt-" + i), 1_000 + i, VirtualThreads.ISSUED);
        }
        threads.refresh(0);
        assertThat(threads.held()).isEqualTo(VirtualThreads.MAX_HELD);
        assertThat(threads.find(1_000, null)).as("the least recently used one").isNull();
        assertThat(threads.name(1_000)).isEqualTo("vt-0");
        assertThat(threads.find(1_000 + VirtualThreads.MAX_HELD + 9, null)).isNotNull();
    }
}
