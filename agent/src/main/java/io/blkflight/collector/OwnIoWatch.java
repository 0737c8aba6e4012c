package io.blkflight.collector;

import io.blkflight.agent.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Notices when the collector follows none of the JVM's own requests while the kernel says the JVM does block
 * I/O, so that a scope that cannot match (a PID namespace or cgroup the kernel side does not see as the JVM's)
 * is never a silent empty recording. The kernel's own account is /proc/self/io: {@code read_bytes} grows when
 * the process submits reads to a block device, {@code write_bytes} when it dirties page-cache pages or writes
 * directly. Until the first request of the JVM is recorded, their growth is what the collector missed;
 * the warning comes once, when reads grew by {@link #READ_EVIDENCE} (reads are submitted by the reading thread
 * itself) or all of it by {@link #ANY_EVIDENCE} over {@link #WRITEBACK_GRACE_NANOS} (buffered writes reach the
 * disk only when the kernel writes them back).
 */
public final class OwnIoWatch {
    static final long READ_EVIDENCE = 256 << 10;
    static final long ANY_EVIDENCE = 1 << 20;
    static final long WRITEBACK_GRACE_NANOS = 60_000_000_000L;

    /** read_bytes and write_bytes of /proc/self/io, or -1 when it cannot be read. */
    interface Source {
        long[] readAndWrittenBytes();
    }

    private final Source source;
    private final LongSupplier ownRequests;
    private final String scopeDescription;
    private final long startNanos;
    private final long[] start;
    private volatile long missedBytes;
    private boolean done;
    private boolean warned;

    /**
     * @param ownRequests      requests of this JVM recorded so far
     * @param scopeDescription how the agent was told to find the JVM's requests, for the warning
     */
    public OwnIoWatch(LongSupplier ownRequests, String scopeDescription, long nowNanos) {
        this(OwnIoWatch::procSelfIo, ownRequests, scopeDescription, nowNanos);
    }

    OwnIoWatch(Source source, LongSupplier ownRequests, String scopeDescription, long nowNanos) {
        this.source = source;
        this.ownRequests = ownRequests;
        this.scopeDescription = scopeDescription;
        this.startNanos = nowNanos;
        this.start = source.readAndWrittenBytes();
        this.done = start == null;
    }

    /** Compares the kernel's account with what the collector followed; the collector thread calls it. */
    public synchronized void check(long nowNanos) {
        if (done) {
            return;
        }
        if (ownRequests.getAsLong() > 0) {
            done = true;
            return;
        }
        long[] now = source.readAndWrittenBytes();
        if (now == null) {
            return;
        }
        long read = now[0] - start[0];
        long written = now[1] - start[1];
        missedBytes = Math.max(0, read) + Math.max(0, written);
        boolean evidence = read >= READ_EVIDENCE
                || (missedBytes >= ANY_EVIDENCE && nowNanos - startNanos >= WRITEBACK_GRACE_NANOS);
        if (evidence && !warned) {
            warned = true;
            Log.warn("this JVM did block I/O (its /proc/self/io: " + read + " bytes read, " + written + " written since"
                    + " the agent started) but the collector followed none of its requests: " + scopeDescription
                    + " does not match the JVM as the kernel sees it. Counted as ownIoNotFollowed; scope=all or"
                    + " scope=cgroup may see it");
        }
    }

    /** Bytes the JVM read or wrote by the kernel's account while the collector followed none of its requests. */
    public long missedBytes() {
        return missedBytes;
    }

    private static long[] procSelfIo() {
        try {
            long read = -1;
            long written = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("read_bytes:")) {
                    read = Long.parseLong(line.substring(11).trim());
                } else if (line.startsWith("write_bytes:")) {
                    written = Long.parseLong(line.substring(12).trim());
                }
            }
            return read < 0 || written < 0 ? null : new long[] {read, written};
        } catch (IOException | RuntimeException e) {
            // Without task I/O accounting (CONFIG_TASK_IO_ACCOUNTING) the check cannot run.
            return null;
        }
    }
}
