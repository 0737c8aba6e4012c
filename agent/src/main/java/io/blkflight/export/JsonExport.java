package io.blkflight.export;

import io.blkflight.model.BlockRequest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A JSON array of one object per request, one object per line, keys the {@link Columns} (numbers as numbers, a value
 * that is not available as null); pandas' read_json, DuckDB's read_json and jq read it as it is. Written by Jackson's
 * streaming generator: nothing is held but the request being written.
 */
public final class JsonExport implements RequestExport {
    private final JsonGenerator json;

    public JsonExport(OutputStream out) {
        try {
            json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // One request per line, between "[" and "]" each on a line of their own.
            json.setPrettyPrinter(new MinimalPrettyPrinter() {
                private static final long serialVersionUID = 1L;

                @Override
                public void writeStartArray(JsonGenerator g) throws IOException {
                    g.writeRaw('[');
                }

                @Override
                public void beforeArrayValues(JsonGenerator g) throws IOException {
                    g.writeRaw('\n');
                }

                @Override
                public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
                    g.writeRaw(",\n");
                }

                @Override
                public void writeEndArray(JsonGenerator g, int values) throws IOException {
                    g.writeRaw(values > 0 ? "\n]\n" : "]\n");
                }
            });
            json.writeStartArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void add(BlockRequest request) throws IOException {
        json.writeStartObject();
        for (Columns.Column column : Columns.ALL) {
            Object value = column.value().apply(request);
            if (value == null) {
                json.writeNullField(column.name());
            } else if (value instanceof Long number) {
                json.writeNumberField(column.name(), number);
            } else {
                json.writeStringField(column.name(), value.toString());
            }
        }
        json.writeEndObject();
    }

    @Override
    public void finish() throws IOException {
        json.writeEndArray();
        json.flush();
    }
}
