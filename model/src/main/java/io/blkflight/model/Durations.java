package io.blkflight.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: a whole number and a unit, ns, us, ms, s or m ("500us", "2ms"). */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ns|us|ms|s|m)");

    private Durations() {
    }

    /** The duration in nanoseconds; throws IllegalArgumentException saying what is accepted. */
    public static long parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write a whole number and a unit: ns, us, ms, s or m (e.g. 500us, 2ms, 10s)");
        }
        long amount = Long.parseLong(m.group(1));
        long unit;
        switch (m.group(2)) {
            case "ns": unit = 1L; break;
            case "us": unit = 1_000L; break;
            case "ms": unit = 1_000_000L; break;
            case "s": unit = 1_000_000_000L; break;
            default: unit = 60_000_000_000L; break;
        }
        if (amount > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return amount * unit;
    }

    /** The shortest exact form: 0, 250ns, 500us, 2ms, 10s, 2m. */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        long[] units = {60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] names = {"m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            if (nanos % units[i] == 0) {
                return nanos / units[i] + names[i];
            }
        }
        return nanos + "ns";
    }
}
