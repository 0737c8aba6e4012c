package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crafted recordings: the report and summary skip and count what does not fit, show strings as data
 * (no control characters, no forged lines, bounded length) and never throw a stack trace or hang.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileRecordingsTest {
    @TempDir
    static Path directory;

    @BeforeAll
    static void writeRecordings() throws Exception {
        for (String kind : List.of("hostile", "forged")) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), HostileRecordings.class.getName(), directory.toString(), kind)
                    .inheritIO().start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("writing the %s recording", kind).isZero();
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"summary,hostile.jfr", "report,hostile.jfr", "summary,forged.jfr", "report,forged.jfr"})
    void showsStringsAsDataAndSkipsWhatDoesNotFit(String command, String file) {
        String[] result = run(command, directory.resolve(file).toString());
        String output = result[1] + result[2];

        assertThat(result[2]).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(output.lines()).as("no forged line").noneMatch(line -> line.startsWith("[blkflight]"));
        assertThat(output.chars().filter(c -> c != '\n' && Character.isISOControl(c))).as("control characters").isEmpty();
        assertThat(output.lines()).as("every line of bounded length").allMatch(line -> line.length() < 2_000);
        if (file.equals("forged.jfr")) {
            assertThat(result[0]).isEqualTo("0");
            assertThat(output).contains("20 request events without the fields of blkflight.BlockRequest or blkflight.CompactRequest")
                    .contains(command.equals("report") ? "selected 0 of 0 requests" : "no block requests recorded")
                    .doesNotContain("lots");
        } else {
            assertThat(result[0]).isEqualTo("0");
            assertThat(output).contains("evil?[blkflight] forged %s%n").contains("compact?[blkflight] forged %s%n")
                    .contains("/data/evil?[blkflight] forged %s%n").contains("/compact/evil?[blkflight] forged %s%n")
                    .contains("3 request events without the fields of blkflight.BlockRequest or blkflight.CompactRequest"
                            + " (or with a shape or file the recording does not hold) were skipped");
        }
    }
}
