package io.blkflight.report;

import io.blkflight.model.Formats;
import io.blkflight.model.Timeline;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** The report's --timeline: a line per interval and device (thread, file), as iostat prints a disk's seconds. */
final class TimelineTable {
    /** Threads or files shown one by one; the others together on one line per interval. */
    static final int SHOWN = 10;

    private TimelineTable() {
    }

    static void print(Timeline timeline, PrintStream out) {
        out.println();
        out.println("timeline by " + timeline.by().label() + ", " + io.blkflight.model.Durations.format(timeline.interval())
                + " intervals from " + Report.time(timeline.origin()) + " (the first selected request's submission):"
                + " requests count in the interval they completed in, and are in flight from submission to completion"
                + (timeline.by() == Timeline.By.THREAD ? "; writeback counts for the thread that dirtied the pages" : ""));
        if (timeline.requests() == 0) {
            return;
        }
        List<Timeline.Series> series = timeline.series(SHOWN);
        if (timeline.groups() > SHOWN) {
            out.println("  the " + SHOWN + " " + timeline.by().label() + "s with the most requests, then the other "
                    + Formats.count(timeline.groups() - SHOWN) + " together");
        }
        int decimals = Math.max(0, BigDecimal.valueOf(timeline.interval()).movePointLeft(9).stripTrailingZeros().scale());
        String format = "  %-15s %10s %9s %9s %9s %9s %9s %9s %5s %10s %10s %10s  %s%n";
        out.printf(format, "time (UTC)", "+seconds", "r/s", "w/s", "other/s", "rMiB/s", "wMiB/s", "in flight", "max",
                "p50", "p99", "max", timeline.by().label());
        double seconds = timeline.interval() / 1e9;
        int count = series.get(0).intervals().size();
        for (int k = 0; k < count; k++) {
            for (Timeline.Series s : series) {
                Timeline.Interval i = s.intervals().get(k);
                out.printf(format, Formats.timeOfDay(i.start()),
                        String.format(Locale.ROOT, "+%." + decimals + "f", (i.start() - timeline.origin()) / 1e9),
                        rate(i.reads() / seconds), rate(i.writes() / seconds), rate(i.others() / seconds),
                        String.format(Locale.ROOT, "%.2f", i.readBytes() / seconds / (1 << 20)),
                        String.format(Locale.ROOT, "%.2f", i.writeBytes() / seconds / (1 << 20)),
                        String.format(Locale.ROOT, "%.2f", i.meanInFlight()), i.maxInFlight(),
                        latency(i.p50()), latency(i.p99()), latency(i.max()), s.name());
            }
        }
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.1f", perSecond);
    }

    private static String latency(long nanos) {
        return nanos == io.blkflight.model.BlockRequest.NOT_AVAILABLE ? "-" : Formats.nanos(nanos);
    }
}
