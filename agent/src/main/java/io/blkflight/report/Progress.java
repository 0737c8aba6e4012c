package io.blkflight.report;

import io.blkflight.model.Formats;

import java.io.PrintStream;

/**
 * Progress of a long read on standard error, at most one line a second, and only when reading takes
 * longer than a second: short inputs print nothing.
 */
final class Progress {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private String phase = "";
    private long total;
    private long done;
    private long started = System.nanoTime();
    private long lastPrinted = started;
    private boolean printed;

    Progress(PrintStream out) {
        this.out = out;
    }

    static Progress quiet() {
        return new Progress(null);
    }

    void phase(String name, long expected) {
        phase = name;
        total = expected;
        done = 0;
    }

    void step() {
        done++;
        if (out != null && (done & 0xfff) == 0) {
            long now = System.nanoTime();
            if (now - lastPrinted >= INTERVAL_NANOS) {
                lastPrinted = now;
                printed = true;
                out.print("\rblkflight: " + phase + ": " + Formats.count(done)
                        + (total > 0 ? " of " + Formats.count(total) + " (" + done * 100 / total + "%)" : " events") + "   ");
                out.flush();
            }
        }
    }

    void done() {
        if (out != null && printed) {
            out.println("\rblkflight: read in " + Formats.nanos(System.nanoTime() - started) + "                         ");
        }
    }
}
