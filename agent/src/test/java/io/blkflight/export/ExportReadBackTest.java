package io.blkflight.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.JavaLink;
import io.blkflight.model.RequestLabels;
import io.blkflight.model.Stage;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV and JSON exports read back by DuckDB (its JDBC driver, in process), as a user would load them: every column,
 * text that needs quoting or escaping, numbers as numbers and what is not available as missing.
 */
class ExportReadBackTest {
    @TempDir
    Path directory;

    /** Requests with every kind of field: a writeback with a comma, quote and line break in its file and comm. */
    static List<BlockRequest> requests() {
        BlockRequest read = BlockRequest.builder().time(1_796_534_978_909_150_120L, 872_382)
                .where("vda", "254:0", "read", "sync,idle", 20616, 4096)
                .stages(38_347, BlockRequest.NOT_AVAILABLE, 46_259, 826_124).status("ok")
                .issuer(100, 101, "seeker", "seeker", 20).host(4100, 4101, "/app.slice")
                .syscall("pread64", 1_796_534_978_909_000_000L).lifecycle(0xffff888102502d00L, 3)
                .lifecycleCounts("bio", 1, 2).sampleKind(2).stackWeight(5)
                .kernelStack(Stage.SUBMIT, List.of("submit_bio_noacct_nocheck+0x23f", "__x64_sys_pread64+0xa3"), true)
                .file("/data/index.dat", "file", 13, 0).build();
        read.link(new JavaLink(JavaLink.Source.FILE_EVENT, List.of("sun.nio.ch.FileChannelImpl.read", "app.Index.seek"),
                List.of(108, -1)));
        BlockRequest writeback = BlockRequest.builder().time(1_796_534_979_000_000_000L, 2_000_000)
                .where("vda", "254:0", "write", "", 8, 1 << 20).status("ok")
                .issuer(0, 55, "kworker/u8:1 \"x\"", "log, appender", 21)
                .writeback("periodic", "pages", 2, 1_796_534_978_000_000_000L)
                .file("/data/a,b \"c\"\nd.log", "file", 14, 1).build();
        BlockRequest unknown = BlockRequest.builder().time(1_796_534_979_100_000_000L, 1_000).where("vda", "254:0", "flush", "", -1, 0)
                .issuer(7, 7, "jbd2/vda1-8", null, -1).build();
        return List.of(read, writeback, unknown);
    }

    private Path export(String format, List<BlockRequest> requests) throws Exception {
        Path file = directory.resolve("requests." + format);
        try (OutputStream out = Files.newOutputStream(file)) {
            RequestExport export = Exports.create(format, out, new ExportSource("test", false, "all"));
            for (BlockRequest request : requests) {
                export.add(request);
            }
            export.finish();
        }
        return file;
    }

    static List<Map<String, Object>> query(String sql) throws Exception {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duckdb.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    /** The column names of a query's result, in order. */
    static List<String> columns(String sql) throws Exception {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duckdb.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                names.add(rows.getMetaData().getColumnName(i));
            }
            return names;
        }
    }

    @Test
    void duckDbReadsTheCsvAsEveryFieldOfEveryRequest() throws Exception {
        Path csv = export("csv", requests());
        String from = "read_csv('" + csv + "', header = true, all_varchar = true)";

        assertThat(columns("SELECT * FROM " + from)).as("the first line names every column")
                .containsExactlyElementsOf(Columns.ALL.stream().map(Columns.Column::name).toList());
        checkRows(query("SELECT * FROM " + from + " ORDER BY start_ns"));
    }

    @Test
    void duckDbReadsTheJsonArrayAsEveryFieldOfEveryRequest() throws Exception {
        Path json = export("json", requests());
        String from = "read_json('" + json + "', format = 'array')";

        assertThat(columns("SELECT * FROM " + from)).containsExactlyElementsOf(Columns.ALL.stream().map(Columns.Column::name).toList());
        List<Map<String, Object>> rows = query("SELECT * FROM " + from + " ORDER BY start_ns");
        assertThat(rows.get(0).get("latency_ns")).as("numbers are JSON numbers").isInstanceOf(Number.class);
        checkRows(rows);
    }

    @Test
    void anEmptyRecordingGivesTheHeaderOrAnEmptyArray() throws Exception {
        assertThat(Files.readString(export("csv", List.of()))).startsWith("start,start_ns,end,").endsWith("\r\n");
        assertThat(Files.readString(export("json", List.of()))).isEqualTo("[]\n");
    }

    /** Rows as DuckDB read them (text or numbers), against the requests. */
    private static void checkRows(List<Map<String, Object>> rows) {
        assertThat(rows).hasSize(3);
        Map<String, Object> read = rows.get(0);
        assertThat(text(read, "start")).isEqualTo("2026-12-06T05:29:38.909150120Z");
        assertThat(text(read, "start_ns")).isEqualTo("1796534978909150120");
        assertThat(text(read, "end_ns")).isEqualTo("1796534978910022502");
        assertThat(text(read, "flags")).as("a comma inside a field").isEqualTo("sync,idle");
        assertThat(read.get("insert_ns")).as("a stage that did not happen is missing").isNull();
        assertThat(text(read, "queue_ns")).isEqualTo("46259");
        assertThat(text(read, "request_address")).isEqualTo("0xffff888102502d00");
        assertThat(text(read, "host_pid")).isEqualTo("4100");
        assertThat(text(read, "cgroup")).isEqualTo("/app.slice");
        assertThat(text(read, "origin")).isEqualTo("bio");
        assertThat(text(read, "requeues")).isEqualTo("1");
        assertThat(text(read, "merges")).isEqualTo("2");
        assertThat(text(read, "syscall_start")).isEqualTo("2026-12-06T05:29:38.909000000Z");
        assertThat(text(read, "java_stack")).as("outermost first, line numbers where known")
                .isEqualTo("app.Index.seek;sun.nio.ch.FileChannelImpl.read:108");
        assertThat(text(read, "submit_stack")).isEqualTo("__x64_sys_pread64+0xa3;submit_bio_noacct_nocheck+0x23f");
        assertThat(text(read, "stages_in_issuer")).isEqualTo("submit");
        assertThat(text(read, "stack_weight")).isEqualTo("5");
        assertThat(text(read, "java_link")).isEqualTo("file event");

        Map<String, Object> writeback = rows.get(1);
        assertThat(text(writeback, "thread")).as("the dirtier, marked").isEqualTo("log, appender (writeback)");
        assertThat(text(writeback, "java_thread")).isEqualTo("log, appender");
        assertThat(text(writeback, "comm")).as("the flusher, with a quote").isEqualTo("kworker/u8:1 \"x\"");
        assertThat(text(writeback, "file")).as("comma, quotes and a line break").isEqualTo("/data/a,b \"c\"\nd.log");
        assertThat(text(writeback, "writeback")).isEqualTo("periodic");
        assertThat(text(writeback, "credit")).isEqualTo("pages");
        assertThat(text(writeback, "dirtiers")).isEqualTo("2");
        assertThat(text(writeback, "dirtied")).isEqualTo("2026-12-06T05:29:38.000000000Z");
        assertThat(text(writeback, "other_files")).isEqualTo("1");
        assertThat(writeback.get("java_stack")).as("not linked").isNull();

        Map<String, Object> flush = rows.get(2);
        assertThat(text(flush, "sector")).isEqualTo("-1");
        assertThat(flush.get("java_thread")).isNull();
        assertThat(flush.get("java_thread_id")).isNull();
        assertThat(text(flush, "thread")).isEqualTo("(jbd2/vda1-8, not a Java thread)");
        assertThat(flush.get("file")).isNull();
        assertThat(RequestLabels.file(requests().get(2))).isEqualTo(RequestLabels.NO_FILE);
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }
}
