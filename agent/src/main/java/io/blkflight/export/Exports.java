package io.blkflight.export;

import java.io.OutputStream;
import java.util.List;

/** The export formats by name: one class per format. */
public final class Exports {
    /** The names --format accepts, in the order the help lists them. */
    public static final List<String> FORMATS = List.of("csv", "json");

    private Exports() {
    }

    /** The format's writer onto out; IllegalArgumentException naming the formats for a name not among them. */
    public static RequestExport create(String format, OutputStream out, ExportSource source) {
        switch (format) {
            case "csv":
                return new CsvExport(out);
            case "json":
                return new JsonExport(out);
            default:
                throw new IllegalArgumentException("'" + format + "' is not an export format; accepted: " + String.join(", ", FORMATS));
        }
    }
}
