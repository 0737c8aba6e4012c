package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the report commands print for a small real recording checked into the repository
 * (src/test/resources/recordings/direct-io.jfr), against the expected output beside it. Both are made by
 * {@link FixtureRecording#main}; a change to the output format shows up here as a diff to review.
 */
class GoldenReportTest {
    static List<List<String>> commands() {
        return FixtureRecording.COMMANDS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void printsWhatTheGoldenFileHolds(List<String> command) throws Exception {
        String expected = Files.readString(FixtureRecording.GOLDEN.resolve(command.get(0)));

        assertThat(FixtureRecording.output(command)).as("output of %s", command.subList(1, command.size())).isEqualTo(expected);
    }
}
