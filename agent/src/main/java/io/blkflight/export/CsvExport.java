package io.blkflight.export;

import io.blkflight.model.BlockRequest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * One CSV row per request, every field of {@link Columns}, the first line naming the columns (RFC 4180: comma
 * separated, CRLF line ends, a field with a comma, quote or line break in double quotes with its quotes doubled; UTF-8).
 * A value that is not available is an empty field, which pandas and DuckDB read as missing.
 */
public final class CsvExport implements RequestExport {
    private final Writer out;

    public CsvExport(OutputStream stream) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    private boolean headerWritten;

    @Override
    public void add(BlockRequest request) throws IOException {
        if (!headerWritten) {
            header();
        }
        boolean first = true;
        for (Columns.Column column : Columns.ALL) {
            if (!first) {
                out.write(',');
            }
            first = false;
            Object value = column.value().apply(request);
            if (value != null) {
                field(value.toString());
            }
        }
        out.write("\r\n");
    }

    @Override
    public void finish() throws IOException {
        if (!headerWritten) {
            header();
        }
        out.flush();
    }

    private void header() throws IOException {
        headerWritten = true;
        boolean first = true;
        for (Columns.Column column : Columns.ALL) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write(column.name());
        }
        out.write("\r\n");
    }

    private void field(String text) throws IOException {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.write(text);
            return;
        }
        out.write('"');
        out.write(text.replace("\"", "\"\""));
        out.write('"');
    }
}
