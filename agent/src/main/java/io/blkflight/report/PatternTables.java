package io.blkflight.report;

import io.blkflight.model.AccessPattern;
import io.blkflight.model.Formats;
import io.blkflight.model.RequestLabels;

import java.io.PrintStream;
import java.util.List;

/** The report's request sizes (as bitesize prints them) and sequential/random split (as biopattern counts it). */
final class PatternTables {
    private static final int TOP_THREADS = 10;
    private static final int TOP_FILES = 20;

    private PatternTables() {
    }

    static void print(AccessPattern pattern, PrintStream out) {
        if (pattern.requests() == 0) {
            return;
        }
        out.println();
        out.println("request sizes and access pattern by device and operation (reads and writes"
                + (pattern.skipped() > 0 ? "; " + Formats.count(pattern.skipped()) + " requests that move no data left out" : "")
                + "); sequential: starts where the previous request on its disk ended, in completion order, as biopattern counts");
        for (AccessPattern.Group group : pattern.byDevice()) {
            out.println();
            out.println("  " + group.name() + ": " + Formats.count(group.requests()) + " requests, " + Formats.bytes(group.bytes())
                    + ", average " + Formats.bytes(group.bytes() / group.requests()) + "; " + split(group));
            Histograms.print(group.sizes(), out, "    ", 1024, "KiB");
        }
        table(out, pattern.byThread(), "thread", TOP_THREADS, "by thread (sequential: starts where the thread's own previous"
                + " request on that disk ended; writeback counts for the thread that dirtied the pages)");
        List<AccessPattern.Group> files = pattern.byFile();
        if (files.stream().anyMatch(group -> !group.name().equals(RequestLabels.NO_FILE))) {
            table(out, files, "file", TOP_FILES, "by file (sequential: starts where the previous request of the"
                    + " same file on that disk ended)");
        }
    }

    private static String split(AccessPattern.Group group) {
        return "sequential " + Formats.count(group.sequential()) + " (" + percent(group.sequential(), group.requests())
                + "), random " + Formats.count(group.random()) + " (" + percent(group.random(), group.requests()) + ")";
    }

    private static void table(PrintStream out, List<AccessPattern.Group> groups, String what, int limit, String title) {
        out.println();
        out.println("  " + title);
        out.printf("    %10s %10s %10s %10s %10s %6s  %s%n", "requests", "bytes", "average", "sequential", "random",
                "seq%", what);
        for (AccessPattern.Group group : groups.subList(0, Math.min(limit, groups.size()))) {
            out.printf("    %10s %10s %10s %10s %10s %6s  %s%n", Formats.count(group.requests()), Formats.bytes(group.bytes()),
                    Formats.bytes(group.bytes() / group.requests()), Formats.count(group.sequential()),
                    Formats.count(group.random()), percent(group.sequential(), group.requests()), group.name());
        }
        if (groups.size() > limit) {
            out.println("    ... and " + Formats.count(groups.size() - limit) + " more " + what + "s");
        }
    }

    private static String percent(long part, long whole) {
        return Math.round(100.0 * part / whole) + "%";
    }
}
