package io.blkflight.report;

import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.StageBreakdown;

import java.io.PrintStream;

/** Latency histograms as biolatency prints them, and btt-style stage breakdowns. */
final class Histograms {
    private static final int BAR = 40;

    private Histograms() {
    }

    /** Power-of-two buckets in microseconds with a bar per bucket. */
    static void print(LatencyHistogram histogram, PrintStream out, String indent) {
        print(histogram, out, indent, 1_000, "usecs");
    }

    /** Power-of-two buckets of a unit (1,024 bytes: "KiB", as bitesize prints request sizes) with a bar per bucket. */
    static void print(LatencyHistogram histogram, PrintStream out, String indent, long unit, String unitLabel) {
        long[] counts = histogram.powersOfTwo(unit);
        long highest = 0;
        for (long count : counts) {
            highest = Math.max(highest, count);
        }
        out.printf("%s%20s : %-9s %s%n", indent, unitLabel, "count", "distribution");
        for (int k = 0; k < counts.length; k++) {
            long low = k == 0 ? 0 : 1L << k;
            long high = (1L << (k + 1)) - 1;
            int stars = highest == 0 ? 0 : (int) Math.round((double) counts[k] * BAR / highest);
            out.printf("%s%9d -> %-7d : %-9d |%-" + BAR + "s|%n", indent, low, high, counts[k], "*".repeat(stars));
        }
    }

    static void printBreakdown(StageBreakdown breakdown, PrintStream out, String indent) {
        out.printf("%s%-4s %-26s %10s %10s %10s %10s %10s%n", indent, "", "stage", "n", "avg", "p50", "p99", "max");
        for (StageBreakdown.Interval interval : StageBreakdown.Interval.values()) {
            LatencyHistogram h = breakdown.get(interval);
            if (h.count() == 0) {
                continue;
            }
            out.printf("%s%-4s %-26s %10s %10s %10s %10s %10s%n", indent, interval.name(), interval.meaning(),
                    Formats.count(h.count()), Formats.nanos(h.mean()), Formats.nanos(h.percentile(50)),
                    Formats.nanos(h.percentile(99)), Formats.nanos(h.max()));
        }
    }
}
