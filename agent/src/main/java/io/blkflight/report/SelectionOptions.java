package io.blkflight.report;

import io.blkflight.model.Durations;
import io.blkflight.model.RequestFilter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongUnaryOperator;

import picocli.CommandLine;

/** Which requests a command covers: the report's filters, as a picocli mixin for the commands that take them. */
final class SelectionOptions {
    @CommandLine.Option(names = "--thread", paramLabel = "NAME", description = "Only requests issued by this thread (Java thread name, else the kernel's command name; a virtual thread by its name, VirtualThread#ID when unnamed, its name prefix such as vt-reader-*, or its carrier's name); repeatable.")
    List<String> threads = new ArrayList<>();

    @CommandLine.Option(names = "--device", paramLabel = "DISK", description = "Only requests to this disk (name or major:minor); repeatable.")
    List<String> devices = new ArrayList<>();

    @CommandLine.Option(names = "--operation", paramLabel = "OP", description = "Only this operation (read, write, flush, discard, ...); repeatable.")
    List<String> operations = new ArrayList<>();

    @CommandLine.Option(names = "--file", paramLabel = "GLOB", description = "Only requests that read or wrote a file this glob matches: with a '/' the whole path, without one the file's name (or a label such as '(ext4 journal)'); * any characters but '/', ** any, ? one; repeatable.")
    List<String> files = new ArrayList<>();

    @CommandLine.Option(names = "--min-latency", paramLabel = "DURATION", description = "Only requests at least this slow, e.g. 2ms.")
    String minLatency;

    @CommandLine.Option(names = "--from", paramLabel = "TIME", description = "Only requests submitted at or after TIME: an instant (2026-11-25T02:00:00Z) or +DURATION after the first request.")
    String from;

    @CommandLine.Option(names = "--to", paramLabel = "TIME", description = "Only requests submitted at or before TIME (as --from).")
    String to;

    /** Whether any filter was given. */
    boolean any() {
        return !threads.isEmpty() || !devices.isEmpty() || !operations.isEmpty() || !files.isEmpty() || minLatency != null
                || from != null || to != null;
    }

    /**
     * The filter, as a function of the recording's first request start (times may be relative to it); checks every
     * value first, so that a bad one is a usage error before the recording is read.
     */
    java.util.function.LongFunction<RequestFilter> parse(CommandLine commandLine) {
        long minimum = minLatency == null ? 0 : duration(commandLine, "--min-latency", minLatency);
        LongUnaryOperator fromTime = time(commandLine, "--from", from);
        LongUnaryOperator toTime = time(commandLine, "--to", to);
        return firstStart -> new RequestFilter(Set.copyOf(threads), Set.copyOf(devices), Set.copyOf(operations), minimum,
                from == null ? Long.MIN_VALUE : fromTime.applyAsLong(firstStart),
                to == null ? Long.MAX_VALUE : toTime.applyAsLong(firstStart), Set.copyOf(files));
    }

    /** A duration option's value in nanoseconds; a bad one is a usage error naming the option. */
    static long duration(CommandLine commandLine, String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, option + ": " + e.getMessage());
        }
    }

    /** A time option as a function of the first request's start (epoch nanoseconds); null when not given. */
    static LongUnaryOperator time(CommandLine commandLine, String option, String text) {
        if (text == null) {
            return null;
        }
        if (text.startsWith("+")) {
            long offset = duration(commandLine, option, text.substring(1));
            return firstStart -> firstStart + offset;
        }
        try {
            Instant instant = Instant.parse(text);
            long epochNanos = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
            return firstStart -> epochNanos;
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(commandLine, option + " " + text + " is not a time: write an"
                    + " instant such as 2026-11-25T02:00:00.5Z, or +DURATION after the first request such as +1500ms");
        }
    }
}
