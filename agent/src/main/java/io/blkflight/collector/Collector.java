package io.blkflight.collector;

import io.blkflight.agent.Log;
import io.blkflight.decode.FileRecord;
import io.blkflight.decode.JavaStackRecord;
import io.blkflight.decode.PathRecord;
import io.blkflight.decode.RecordBatch;
import io.blkflight.decode.RequestRecord;
import io.blkflight.events.CollectorStatisticsEvent;
import io.blkflight.faultstacks.FaultStacks;
import io.blkflight.resolve.JfrClock;
import io.blkflight.resolve.RequestEventWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The collector thread: waits for the kernel side's batches, drains the ring buffer into a direct
 * buffer, and turns each record into a JFR event. JFR's chunk-end hook drains too (see
 * {@link #drainNow}), so a recording that ends, also at JVM exit, holds every request that
 * finished before it.
 */
public final class Collector implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;
    /** The longest ring-buffer sample: a request with its function path, or a file's path. */
    private static final int MAX_SAMPLE = Math.max(RequestRecord.SIZE + PathRecord.SIZE, FileRecord.HEAD + FileRecord.PATH_BYTES);
    private static final long EXPIRY_PERIOD_NANOS = 10_000_000_000L;

    private final NativeCollector kernel;
    private final RequestEventWriter writer;
    private final JfrClock clock;
    private final long pollIntervalNanos;
    private final long lifecycleTimeoutNanos;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.nativeOrder());
    private final RecordBatch batch = new RecordBatch();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean closed;
    private volatile long expired;
    /** The kernel side's counters and ring-buffer peak as they were when it closed, for the last statistics. */
    private volatile long[] finalCounters;
    private volatile long finalRingPeak;
    private long lastExpiry = NativeCollector.monotonicNanos();
    /** Null when the JVM's own I/O is not expected to be followed (a devices filter may leave it out). */
    private volatile OwnIoWatch ownIo;
    /** faultStacks: the Java stacks of faults and native calls; null when off. */
    private volatile FaultStacks faultStacks;
    private ByteBuffer stackBuffer;
    private long lastOwnIoCheck;

    public Collector(NativeCollector kernel, RequestEventWriter writer, JfrClock clock, long pollIntervalNanos,
                     long lifecycleTimeoutNanos) {
        this.kernel = kernel;
        this.writer = writer;
        this.clock = clock;
        this.pollIntervalNanos = pollIntervalNanos;
        this.lifecycleTimeoutNanos = lifecycleTimeoutNanos;
        this.thread = new Thread(this::run, "blkflight collector");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public NativeCollector kernel() {
        return kernel;
    }

    private void run() {
        int timeoutMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(pollIntervalNanos));
        while (running) {
            try {
                kernel.await(timeoutMillis);
                drain();
                expireStaleLifecycles();
                checkOwnIo();
                checkStackSignal();
            } catch (CollectorException | RuntimeException e) {
                Log.warn("the collector thread stops: " + e.getMessage());
                running = false;
            }
        }
    }

    /** Drains everything waiting; returns false when another drain held the lock for too long. */
    private boolean drain() throws CollectorException {
        try {
            if (!drainLock.tryLock(2, TimeUnit.SECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            drainLocked();
            return true;
        } finally {
            drainLock.unlock();
        }
    }

    /** Requests of batches whose writing failed part-way (a defect: said once, counted in lostNotRecorded). */
    private long failedRecords;
    private boolean failureSaid;

    private void drainLocked() throws CollectorException {
        if (closed) {
            return;
        }
        FaultStacks stacks = faultStacks;
        while (true) {
            buffer.clear();
            int length = kernel.drain(buffer);
            if (length == 0) {
                break;
            }
            if (clock.ensureCalibrated()) {
                clock.calibrate();
            }
            int requests = batch.forEach(buffer, length, writer::noteIssuer, null, stacks == null ? null : stacks::noteSignal);
            long handled = writer.recorded() + writer.notRecorded();
            try {
                writer.resolveIssuers(System.nanoTime());
                // Files' paths in the order they came: a path names the requests after it, not those before (a
                // deleted file's inode number taken by a new file in the same batch).
                batch.forEach(buffer, length, writer::write, writer::noteFile);
            } catch (RuntimeException e) {
                // The batch has left the ring buffer: what it did not write is counted, never silently gone.
                failedRecords += requests - (writer.recorded() + writer.notRecorded() - handled);
                if (!failureSaid) {
                    failureSaid = true;
                    Log.warn("requests could not be written and are counted in lostNotRecorded: " + e);
                }
                throw e;
            }
            kernel.forgetFiles(writer.filesToSendAgain());
            if (length < BUFFER_BYTES - 2 * (Integer.BYTES + MAX_SAMPLE)) {
                break;
            }
        }
        if (stacks != null) {
            drainStacks(stacks);
        }
    }

    /**
     * The handler's stacks, after the ring buffer: a stack's episode record was written before its signal was sent,
     * so it is in the ring buffer drained just now (or waits for the next drain, and the stack with it).
     */
    private void drainStacks(FaultStacks stacks) throws CollectorException {
        while (true) {
            stackBuffer.clear();
            int length = NativeCollector.drainJavaStacks(stackBuffer);
            if (length > 0) {
                clock.ensureCalibrated();
            }
            stacks.accept(stackBuffer, length, NativeCollector.monotonicNanos());
            if (length < STACK_BUFFER_BYTES - JavaStackRecord.HEAD - JavaStackRecord.MAX_DEPTH * JavaStackRecord.FRAME) {
                return;
            }
        }
    }

    private static final int STACK_BUFFER_BYTES = 256 << 10;

    /** faultStacks: records the Java stacks of faults and native calls the handler takes; set before {@link #start}. */
    public void recordFaultStacks(FaultStacks stacks) {
        this.stackBuffer = ByteBuffer.allocateDirect(STACK_BUFFER_BYTES).order(ByteOrder.nativeOrder());
        this.faultStacks = stacks;
    }

    /** Watches the JVM's own I/O against what is followed (see {@link OwnIoWatch}); set before {@link #start}. */
    public void watchOwnIo(OwnIoWatch watch) {
        this.ownIo = watch;
    }

    private void checkOwnIo() {
        OwnIoWatch watch = ownIo;
        long now = System.nanoTime();
        if (watch != null && now - lastOwnIoCheck >= 1_000_000_000L) {
            lastOwnIoCheck = now;
            watch.check(now);
        }
    }

    /**
     * faultStacks: once a second, whether other code has installed its own handler on the agent's signal (the kernel
     * side then sends none and counts each fault); says so in one line, once.
     */
    private void checkStackSignal() throws CollectorException {
        long now = System.nanoTime();
        if (faultStacks == null || signalTakenSaid || now - lastSignalCheck < 1_000_000_000L) {
            return;
        }
        lastSignalCheck = now;
        if (kernel.counters()[Counter.STACK_SIGNALS_NO_HANDLER.ordinal()] > 0) {
            signalTakenSaid = true;
            Log.warn("other code installed its own handler on the signal blkflight takes Java stacks on: page faults and"
                    + " native calls get no fault stack from now on (counted as faultStacksSignalTaken); the rest runs on");
        }
    }

    private long lastSignalCheck;
    private boolean signalTakenSaid;

    private void expireStaleLifecycles() throws CollectorException {
        long now = NativeCollector.monotonicNanos();
        if (now - lastExpiry < EXPIRY_PERIOD_NANOS) {
            return;
        }
        lastExpiry = now;
        long cutoff = expiryCutoff(now, lifecycleTimeoutNanos);
        if (cutoff == 0) {
            return;
        }
        long removed = kernel.expire(cutoff);
        if (removed > 0) {
            expired += removed;
            Log.debug(removed + " request lifecycles were open longer than the lifecycle timeout and are counted lost");
        }
    }

    /**
     * The CLOCK_MONOTONIC time before which an open lifecycle counts as expired, or 0 when nothing can be
     * that old yet: within the first lifecycleTimeout after boot (a fresh VM or container host) the
     * difference is negative, and unsigned in the kernel side's terms it would expire every open lifecycle.
     */
    static long expiryCutoff(long nowNanos, long lifecycleTimeoutNanos) {
        return Math.max(0, nowNanos - lifecycleTimeoutNanos);
    }

    /**
     * Drains now, from the calling thread, never blocking it for long. JFR calls this at every chunk
     * boundary (recording stop, rotation, dump at exit) so a chunk holds every request that finished
     * before it ends. On JDK 17 each ending Java thread calls it too (JVMTI ThreadEnd): JDK 17's JFR
     * writes a Thread field as "no thread" once the thread has terminated, so a thread's last requests
     * must be committed while it still runs; JDK 19 and later record ended threads as they are.
     */
    public void drainNow() {
        try {
            drain();
        } catch (CollectorException | RuntimeException e) {
            Log.debug("draining failed: " + e.getMessage());
        }
    }

    /**
     * JDK 17's thread-end drain: drains, waits a moment and drains again. A request's record is written at
     * its final block_rq_complete, on the completing CPU, just before its bios wake the waiting thread; a
     * thread that ends right after its I/O can still reach the first drain before the record is committed
     * to the ring buffer; the second drain, 200 us later, takes it while the thread is still there to be
     * named. Only the ending thread waits.
     */
    public void drainAtThreadEnd() {
        drainNow();
        java.util.concurrent.locks.LockSupport.parkNanos(THREAD_END_GRACE_NANOS);
        drainNow();
    }

    private static final long THREAD_END_GRACE_NANOS = 200_000;
    private static final long CHUNK_END_GRACE_NANOS = 50_000_000;

    /**
     * The chunk-end drain (a recording stops, rotates, or is dumped at exit): drains, and while lifecycles
     * are open waits for them, up to 50 ms, draining each millisecond. A request whose record is being written
     * on another CPU at that moment (or whose completion is still in flight) is waited for; at exit the
     * application's last I/O is exactly that.
     */
    public void drainAtChunkEnd() {
        drainNow();
        long deadline = System.nanoTime() + CHUNK_END_GRACE_NANOS;
        try {
            while (openLifecycles() > 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                drainNow();
            }
        } catch (CollectorException | RuntimeException e) {
            Log.debug("waiting for open lifecycles failed: " + e.getMessage());
        }
    }

    /** Lifecycles started and not yet ended in any way, by the kernel side's counters. */
    long openLifecycles() throws CollectorException {
        if (closed) {
            return 0;
        }
        long[] c = kernel.counters();
        return c[Counter.REQUESTS_STARTED.ordinal()] - c[Counter.REQUESTS_EMITTED.ordinal()]
                - c[Counter.BELOW_MIN_LATENCY.ordinal()] - c[Counter.MERGED_AWAY.ordinal()]
                - c[Counter.LOST_RINGBUF_FULL.ordinal()] - expired;
    }

    /** Fills a statistics event with the counts so far. */
    public void fill(CollectorStatisticsEvent event) throws CollectorException {
        fill(event, kernelCounters());
    }

    /**
     * Fills the statistics that end a chunk: the kernel side's counters are read first, then drained once
     * more, so every record they count as emitted is in the chunk. The kernel side counts a record emitted
     * only once it is in the ring buffer; the application's I/O does not stop while a chunk ends (at exit the
     * recording's own writing causes some), and a record emitted between the chunk-end drain and the reading
     * of the counters would otherwise be counted and never recorded.
     */
    public void fillAtChunkEnd(CollectorStatisticsEvent event) throws CollectorException {
        long[] counters = kernelCounters();
        drainNow();
        fill(event, counters);
    }

    /**
     * The kernel side's counters, or those read last before it closed. The chunk-end statistics at exit (JFR's
     * shutdown hook) race the agent's own close: counters read while it runs may come from a closed collector,
     * as zeros, and then the ones close() kept (read before the kernel side closed) are the last.
     */
    private long[] kernelCounters() throws CollectorException {
        long[] closed = finalCounters;
        if (closed != null) {
            return closed;
        }
        long[] live = kernel.counters();
        if (kernel.closed()) {
            long[] last = finalCounters;
            return last != null ? last : live;
        }
        return live;
    }

    /** The ring buffer's peak, or the one read last before the kernel side closed (see kernelCounters). */
    private long ringBufferPeak() {
        if (finalCounters == null) {
            long live = kernel.ringBufferPeak();
            if (!kernel.closed()) {
                return live;
            }
        }
        return finalRingPeak;
    }

    private void fill(CollectorStatisticsEvent event, long[] counters) throws CollectorException {
        event.biosQueued = counters[Counter.BIOS_QUEUED.ordinal()];
        event.requestsStarted = counters[Counter.REQUESTS_STARTED.ordinal()];
        event.requestsEmitted = counters[Counter.REQUESTS_EMITTED.ordinal()];
        event.belowMinimumLatency = counters[Counter.BELOW_MIN_LATENCY.ordinal()];
        event.mergedAway = counters[Counter.MERGED_AWAY.ordinal()];
        event.untracked = counters[Counter.UNTRACKED.ordinal()];
        event.lostRingBufferFull = counters[Counter.LOST_RINGBUF_FULL.ordinal()];
        event.lostInflightMapFull = counters[Counter.LOST_INFLIGHT_FULL.ordinal()];
        event.lostBioMapFull = counters[Counter.LOST_BIO_MAP_FULL.ordinal()];
        event.endUnseen = counters[Counter.END_UNSEEN.ordinal()];
        event.stackCollisions = counters[Counter.STACK_COLLISIONS.ordinal()];
        event.stacksLost = counters[Counter.STACKS_LOST.ordinal()] + writer.unreadableStacks();
        event.functionHitsLost = counters[Counter.PATH_HITS_LOST.ordinal()];
        event.functionPathsLost = counters[Counter.PATHS_LOST.ordinal()];
        event.writebackStarted = counters[Counter.WRITEBACK_STARTED.ordinal()];
        event.dirtyFilesLost = counters[Counter.DIRTY_FILES_LOST.ordinal()];
        event.dirtyingsUntallied = counters[Counter.DIRTIERS_UNTALLIED.ordinal()];
        event.filePathsSent = counters[Counter.FILE_PATHS.ordinal()];
        event.filePathsLost = counters[Counter.FILE_PATHS_LOST.ordinal()];
        event.filesForgotten = writer.filesForgotten();
        event.filesRenamed = writer.filesRenamed();
        event.filesUnnamed = writer.filesUnnamed();
        event.lostExpired = expired;
        event.requestsRecorded = writer.recorded();
        event.lostNotRecorded = writer.notRecorded() + batch.malformed() + failedRecords;
        event.unresolvedThreads = writer.unresolvedThreads();
        FaultStacks stacks = faultStacks;
        if (stacks != null) {
            long[] handler = NativeCollector.javaStackCounters();
            event.faultStackSignals = counters[Counter.STACK_SIGNALS_SENT.ordinal()];
            event.faultStacks = stacks.recorded();
            event.faultStacksNotJava = stacks.notJava();
            event.faultStacksOverBudget = counters[Counter.STACK_SIGNALS_OVER_BUDGET.ordinal()];
            event.faultStacksSignalBlocked = counters[Counter.STACK_SIGNALS_BLOCKED.ordinal()];
            event.faultStacksSignalTaken = counters[Counter.STACK_SIGNALS_NO_HANDLER.ordinal()];
            event.faultStacksNotSent = counters[Counter.STACK_SIGNALS_FAILED.ordinal()]
                    + counters[Counter.STACK_SIGNALS_RING_FULL.ordinal()];
            event.faultStacksUnwalkable = stacks.unwalkable();
            event.faultStacksUnwalkableCauses = stacks.unwalkableCauses();
            event.faultStacksUndelivered = stacks.undelivered();
            event.faultStacksDropped = stacks.dropped() + handler[NativeCollector.JAVA_STACKS_BUFFER_FULL];
            event.faultStackForeignSignals = handler[NativeCollector.JAVA_STACKS_FOREIGN_SIGNALS];
            event.faultStackHandlerTime = handler[NativeCollector.JAVA_STACKS_HANDLER_NANOS];
        }
        event.writebackUncredited = writer.writebackUncredited();
        event.virtualThreadsById = writer.virtualThreadsById();
        long[] virtual = NativeCollector.virtualThreadCounters();
        event.carriersWithoutSlot = virtual[0];
        event.virtualThreadsNotHandedOver = virtual[1];
        OwnIoWatch watch = ownIo;
        if (watch != null) {
            watch.check(System.nanoTime());
            event.ownIoNotFollowed = watch.missedBytes();
        }
        event.ringBufferPeak = ringBufferPeak();
        event.ringBufferSize = kernel.ringBufferBytes();
    }

    /** Stops the thread, drains what is left and detaches every BPF program. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(pollIntervalNanos) + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainLock.lock();
        try {
            if (!closed) {
                // The programs first, so that no request finishes between the last drain and the last counters
                // (at exit the application's threads may still be in the middle of I/O); then the counters, then
                // the drain, which takes every record they count as emitted.
                kernel.detach();
                try {
                    finalRingPeak = kernel.ringBufferPeak();
                    finalCounters = kernel.counters();
                } catch (CollectorException | RuntimeException e) {
                    Log.debug("the last counters could not be read: " + e.getMessage());
                }
                try {
                    drainLocked();
                } catch (CollectorException | RuntimeException e) {
                    Log.debug("the last drain failed: " + e.getMessage());
                }
                FaultStacks stacks = faultStacks;
                if (stacks != null) {
                    // No signal is sent any more; one still pending in a thread is ignored from here on.
                    NativeCollector.stopJavaStacks();
                    stacks.close();
                }
                closed = true;
                kernel.close();
            }
        } finally {
            drainLock.unlock();
        }
    }
}
