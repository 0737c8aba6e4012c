package io.blkflight.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * Numbers as the report command, the JMC page and its rule show them (counts with separators, bytes in
 * binary units with three digits, times in the unit that keeps them short), so that they all read alike.
 */
public final class Formats {
    private static final char[] STAGE_LETTERS = {'Q', 'I', 'D', 'C'};
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    /** A duration; "n/a" for {@link BlockRequest#NOT_AVAILABLE}. */
    public static String nanos(long nanos) {
        if (nanos == BlockRequest.NOT_AVAILABLE) {
            return "n/a";
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        // Thresholds below the next unit so that rounding never prints "1000.0 us".
        if (nanos < 999_950) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 999_995_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** A time of day in UTC to the microsecond, as the table lists requests. */
    public static String timeOfDay(long epochNanos) {
        return TIME_OF_DAY.format(Instant.ofEpochSecond(0, epochNanos));
    }

    /** The report's stage column: blktrace's letters Q submit, I insert, D issue, C complete, '.' where absent. */
    public static String stages(Set<Stage> stages) {
        char[] mask = {'.', '.', '.', '.'};
        for (Stage stage : stages) {
            mask[stage.ordinal()] = STAGE_LETTERS[stage.ordinal()];
        }
        return new String(mask);
    }
}
