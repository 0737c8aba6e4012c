package io.blkflight.agent;

import java.io.PrintStream;

/**
 * The agent's log: one line per message on standard error, prefixed {@code [blkflight]}. Logging never
 * throws into the caller.
 */
public final class Log {
    /** Levels, most severe first. */
    public enum Level { QUIET, WARN, INFO, DEBUG }

    private static volatile Level threshold = Level.INFO;
    private static final PrintStream OUT = System.err;

    private Log() {
    }

    public static void setThreshold(Level level) {
        threshold = level;
    }

    public static boolean enabled(Level level) {
        return level != Level.QUIET && level.ordinal() <= threshold.ordinal();
    }

    public static void warn(String message) {
        write(Level.WARN, message);
    }

    public static void info(String message) {
        write(Level.INFO, message);
    }

    public static void debug(String message) {
        write(Level.DEBUG, message);
    }

    private static void write(Level level, String message) {
        if (!enabled(level)) {
            return;
        }
        try {
            OUT.println("[blkflight] " + (level == Level.WARN ? "warning: " : "") + message);
        } catch (RuntimeException ignored) {
            // A broken standard error must not reach the application.
        }
    }
}
