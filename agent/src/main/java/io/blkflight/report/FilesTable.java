package io.blkflight.report;

import io.blkflight.model.FileGroups;
import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;

import java.io.PrintStream;
import java.util.List;

/**
 * The "by file" table of the summary and the report: requests, bytes and latency per file and operation, the
 * most requests first. The file comes last on its line, where a long path has room.
 */
final class FilesTable {
    private FilesTable() {
    }

    /**
     * Prints the table after a blank line and the title (if not null), at most limit rows; nothing when the
     * recording names no request's file.
     */
    static void print(FileGroups groups, PrintStream out, int limit, String title) {
        if (!groups.any()) {
            return;
        }
        List<FileGroups.Row> rows = groups.rows();
        int operationWidth = Math.max("operation".length(), rows.stream().mapToInt(r -> r.operation().length()).max().orElse(0));
        out.println();
        if (title != null) {
            out.println(title);
        }
        out.printf("  %10s %10s %10s %10s %10s  %-" + operationWidth + "s  %s%n", "requests", "bytes", "p50", "p99", "max",
                "operation", "file" + (groups.files() > 1 ? " (" + Formats.count(groups.files()) + " files)" : ""));
        for (FileGroups.Row row : rows.subList(0, Math.min(limit, rows.size()))) {
            LatencyHistogram h = row.latency();
            out.printf("  %10s %10s %10s %10s %10s  %-" + operationWidth + "s  %s%s%n", Formats.count(row.requests()),
                    Formats.bytes(row.bytes()), Formats.nanos(h.percentile(50)), Formats.nanos(h.percentile(99)),
                    Formats.nanos(h.max()), row.operation(), row.file(), row.mergedWithOtherFiles() > 0
                            ? "  [" + Formats.count(row.mergedWithOtherFiles()) + " merged with other files]" : "");
        }
        if (rows.size() > limit) {
            out.println("  ... and " + Formats.count(rows.size() - limit) + " more (--file GLOB selects files)");
        }
        if (groups.unnamed() > 0) {
            out.println("  " + Formats.count(groups.unnamed()) + " requests do not name their file (recorded with files=off)");
        }
    }
}
