package io.blkflight.resolve;

/**
 * Converts the kernel's CLOCK_MONOTONIC nanoseconds into JFR ticks. The two clocks differ in origin
 * and in rate (JFR counts CPU time-stamp-counter ticks where it can), so the conversion is measured:
 * pairs of (monotonic, ticks) readings give a rate over the longest baseline seen and an offset from
 * the latest reading. Not thread safe: one collector thread calibrates and converts.
 */
public final class JfrClock {
    /** Both clocks, read as close together as the caller can. */
    public interface Source {
        long monotonicNanos();

        /** JFR's current ticks, or 0 when JFR cannot tell (no recording has the event enabled). */
        long ticks();
    }

    private static final int SAMPLES = 5;
    private static final long MIN_BASELINE_NANOS = 10_000_000L;

    private final Source source;
    private long firstMonotonic;
    private long firstTicks;
    private long anchorMonotonic;
    private long anchorTicks;
    private double ticksPerNano;
    private boolean calibrated;

    public JfrClock(Source source) {
        this.source = source;
    }

    /**
     * Takes a new reading. Returns false when JFR gave no ticks; the clock then keeps its previous
     * calibration, if any.
     */
    public boolean calibrate() {
        long bestWindow = Long.MAX_VALUE;
        long monotonic = 0;
        long ticks = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long before = source.monotonicNanos();
            long t = source.ticks();
            long after = source.monotonicNanos();
            if (t == 0) {
                return false;
            }
            if (after - before < bestWindow) {
                bestWindow = after - before;
                monotonic = before + (after - before) / 2;
                ticks = t;
            }
        }
        if (!calibrated && firstTicks == 0) {
            firstMonotonic = monotonic;
            firstTicks = ticks;
            anchorMonotonic = monotonic;
            anchorTicks = ticks;
            return false;
        }
        if (monotonic - firstMonotonic < MIN_BASELINE_NANOS) {
            return calibrated;
        }
        ticksPerNano = (double) (ticks - firstTicks) / (double) (monotonic - firstMonotonic);
        anchorMonotonic = monotonic;
        anchorTicks = ticks;
        calibrated = true;
        return true;
    }

    /**
     * Calibrates until the clock has a rate, waiting out the short baseline it needs. Returns false when
     * JFR gives no ticks.
     */
    public boolean ensureCalibrated() {
        if (calibrated) {
            return true;
        }
        for (int attempt = 0; attempt < 10 && !calibrate(); attempt++) {
            if (firstTicks == 0) {
                return false;
            }
            try {
                Thread.sleep(MIN_BASELINE_NANOS / 1_000_000L + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return calibrated;
    }

    public boolean isCalibrated() {
        return calibrated;
    }

    /** The JFR ticks at the given CLOCK_MONOTONIC time. */
    public long toTicks(long monotonicNanos) {
        return anchorTicks + Math.round((monotonicNanos - anchorMonotonic) * ticksPerNano);
    }

    /** A span of CLOCK_MONOTONIC nanoseconds as JFR ticks. */
    public long toTickSpan(long nanos) {
        return Math.round(nanos * ticksPerNano);
    }

    public double ticksPerNano() {
        return ticksPerNano;
    }
}
