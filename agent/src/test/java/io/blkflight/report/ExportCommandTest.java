package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.RequestLabels;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code export} on the fixture recordings: DuckDB reads back one row per request, equal to the recording's requests. */
class ExportCommandTest {
    @TempDir
    Path directory;

    private static List<BlockRequest> requests(Path recording) throws ReportException {
        List<BlockRequest> requests = new ArrayList<>();
        try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
            recorded.forEach(requests::add);
        }
        return requests;
    }

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({"csv, src/test/resources/recordings/direct-io.jfr", "csv, src/test/resources/recordings/files-writeback.jfr",
        "json, src/test/resources/recordings/direct-io.jfr", "json, src/test/resources/recordings/files-writeback.jfr"})
    void everyRowIsOneOfTheRecordingsRequestsInItsOrder(String format, String recording) throws Exception {
        Path output = directory.resolve("requests." + format);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(new String[] {"export", "--format", format, "-o", output.toString(), recording},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("exit code; stderr %s", err).isZero();
        List<BlockRequest> requests = requests(Path.of(recording));
        assertThat(err.toString()).contains("wrote " + requests.size() + " requests to " + output);
        assertThat(out.toString()).as("nothing on standard output with -o").isEmpty();
        Path plain = Files.createFile(directory.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(output)).as("the export's permissions, as any new file's (the umask's)")
                .isEqualTo(Files.getPosixFilePermissions(plain));
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactlyInAnyOrder(
                    output.getFileName().toString(), "plain");
        }

        String from = format.equals("csv") ? "read_csv('" + output + "', header = true, all_varchar = true)"
                : "read_json('" + output + "', format = 'array')";
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement();
             ResultSet rows = statement.executeQuery("SELECT start_ns, latency_ns, device, operation, sector, bytes, thread,"
                     + " java_thread, comm, file, writeback, queue_ns FROM " + from)) {
            int i = 0;
            while (rows.next()) {
                BlockRequest r = requests.get(i++);
                String row = "row " + i;
                assertThat(rows.getString(1)).as(row).isEqualTo(Long.toString(r.start()));
                assertThat(rows.getString(2)).as(row).isEqualTo(Long.toString(r.duration()));
                assertThat(rows.getString(3)).as(row).isEqualTo(r.device());
                assertThat(rows.getString(4)).as(row).isEqualTo(r.operation());
                assertThat(rows.getString(5)).as(row).isEqualTo(Long.toString(r.sector()));
                assertThat(rows.getString(6)).as(row).isEqualTo(Long.toString(r.bytes()));
                assertThat(rows.getString(7)).as(row).isEqualTo(RequestLabels.thread(r));
                assertThat(rows.getString(8)).as(row).isEqualTo(r.javaThreadName());
                assertThat(rows.getString(9)).as(row).isEqualTo(r.comm());
                assertThat(rows.getString(10)).as(row).isEqualTo(r.hasFile() ? r.file() : null);
                assertThat(rows.getString(11)).as(row).isEqualTo(r.isWriteback() ? r.writeback() : null);
                assertThat(rows.getString(12)).as(row).isEqualTo(r.queueTime() == BlockRequest.NOT_AVAILABLE ? null
                        : Long.toString(r.queueTime()));
            }
            assertThat(i).as("rows, one per request").isEqualTo(requests.size());
        }
        if (recording.contains("files-writeback")) {
            assertThat(requests).as("the fixture holds writeback credited to its dirtier")
                    .anyMatch(r -> r.isWriteback() && "log-appender".equals(r.javaThreadName()) && r.comm().startsWith("kworker/"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"--format xml | --format takes csv, json, pprof or otlp, not 'xml'",
        "-o /nonexistent-dir/x.csv | --format", "--format csv --send http://localhost:1 | --send, --service and --host go with",
        "--format pprof | writes binary data"})
    void badArgumentsSayWhatIsAccepted(String arguments, String expected) {
        List<String> line = new ArrayList<>(List.of("export"));
        line.addAll(List.of(arguments.split(" ")));
        line.add("src/test/resources/recordings/direct-io.jfr");
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(line.toArray(String[]::new), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as("stderr %s", err).isEqualTo(2);
        assertThat(err.toString()).contains(expected).contains("Usage:");
    }

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Run(code, err.toString());
    }

    @org.junit.jupiter.api.Test
    void aFailedExportLeavesNoFile() throws Exception {
        Path output = directory.resolve("out.csv");
        Path notARecording = Files.writeString(directory.resolve("x.jfr"), "not a recording");
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(new String[] {"export", "--format", "csv", "-o", output.toString(), notARecording.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("is not a JFR recording");
        Run missing = run("export", "--format", "json", "-o", directory.resolve("no/such/folder.json").toString(),
                "src/test/resources/recordings/direct-io.jfr");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot write ").contains("its folder does not exist");
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("x.jfr");
        }
    }
}
