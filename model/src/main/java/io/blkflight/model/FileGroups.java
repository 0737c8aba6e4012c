package io.blkflight.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests by the file they read or wrote and their operation: how many, their bytes and latency, for the
 * report's and the summary's "by file" tables and the JMC page's files table. Requests whose recording does
 * not name their file are counted apart.
 */
public final class FileGroups {
    /** One file and operation. */
    public static final class Row {
        private final String file;
        private final String operation;
        private final LatencyHistogram latency = new LatencyHistogram();
        private long bytes;
        private long otherFiles;

        Row(String file, String operation) {
            this.file = file;
            this.operation = operation;
        }

        public String file() {
            return file;
        }

        public String operation() {
            return operation;
        }

        public long requests() {
            return latency.count();
        }

        /** Bytes of the requests (for a discard or write-zeroes, the range it names). */
        public long bytes() {
            return bytes;
        }

        public LatencyHistogram latency() {
            return latency;
        }

        /** Requests of this row that merged bios of other files too. */
        public long mergedWithOtherFiles() {
            return otherFiles;
        }
    }

    private final Map<String, Map<String, Row>> rows = new HashMap<>();
    private long unnamed;

    public void add(BlockRequest request) {
        if (!request.hasFile()) {
            unnamed++;
            return;
        }
        Row row = rows.computeIfAbsent(request.file(), f -> new HashMap<>())
                .computeIfAbsent(request.operation(), op -> new Row(request.file(), op));
        row.latency.add(request.duration());
        row.bytes += request.bytes();
        if (request.otherFiles() > 0) {
            row.otherFiles++;
        }
    }

    /** Whether any request named its file. */
    public boolean any() {
        return !rows.isEmpty();
    }

    /** Requests whose recording does not name their file. */
    public long unnamed() {
        return unnamed;
    }

    /** Distinct files (and labels). */
    public int files() {
        return rows.size();
    }

    /** One row per file, all its operations together ("read+write"), the most requests first (then by file). */
    public List<Row> totals() {
        List<Row> all = new ArrayList<>();
        for (Map.Entry<String, Map<String, Row>> file : rows.entrySet()) {
            List<String> operations = new ArrayList<>(file.getValue().keySet());
            operations.sort(null);
            Row total = new Row(file.getKey(), String.join("+", operations));
            for (Row row : file.getValue().values()) {
                total.latency.addAll(row.latency);
                total.bytes += row.bytes;
                total.otherFiles += row.otherFiles;
            }
            all.add(total);
        }
        all.sort(Comparator.comparingLong(Row::requests).reversed().thenComparing(Row::file));
        return all;
    }

    /** Every file and operation, the most requests first (then by file and operation). */
    public List<Row> rows() {
        List<Row> all = new ArrayList<>();
        rows.values().forEach(byOperation -> all.addAll(byOperation.values()));
        all.sort(Comparator.comparingLong(Row::requests).reversed().thenComparing(Row::file).thenComparing(Row::operation));
        return all;
    }
}
