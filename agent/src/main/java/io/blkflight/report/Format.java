package io.blkflight.report;

import java.util.Locale;

/** How the reports print amounts and times. */
final class Format {
    private Format() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long bytes) {
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

    /** Nanoseconds in the unit that keeps three significant digits. */
    static String nanos(long nanos) {
        if (nanos == Long.MIN_VALUE) {
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
}
