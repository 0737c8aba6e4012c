package io.blkflight.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.it.Privileges;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Nothing is lost silently when the agent cannot keep up: native/bench/flood.c writes a million request
 * records a second into a fresh JVM's ring buffer from its first second, faster than a collector still
 * running interpreted can take them (the kernel side's real programs cannot produce that rate here). Every
 * record the ring buffer took must be a request event naming its Java thread, every one it refused must be
 * counted in the recording, and JFR itself must have lost nothing. How many are refused is the benchmark's
 * business (scripts/bench.sh flood), not this test's.
 */
class FloodIT {
    @Test
    void aFloodedAgentRecordsOrCountsEveryRecord() throws Exception {
        Privileges.requireRoot();
        Path tool = Path.of(System.getProperty("blkflight.flood", "../native/target/bench/flood"));
        assertThat(tool).as("the flood tool, built by the native module (make bench)").isExecutable();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        FloodBenchmark.Outcome outcome = FloodBenchmark.run(tool.toString(), "", List.of(), "2", List.of("1000000"),
                new PrintStream(lines, true, StandardCharsets.UTF_8));
        String report = lines.toString(StandardCharsets.UTF_8);

        assertThat(outcome.written()).as("records written into the ring buffer; the flood's report:%n%s", report)
                .isGreaterThan(500_000);
        assertThat(outcome.withThread()).as("request events naming their Java thread, one per record the ring buffer took")
                .isEqualTo(outcome.written());
        assertThat(outcome.lostRingBufferFull()).as("records refused by the full ring buffer, counted in the recording")
                .isGreaterThanOrEqualTo(outcome.lost());
        assertThat(outcome.recorded()).as("requests recorded, by the last statistics").isEqualTo(outcome.requests())
                .isGreaterThanOrEqualTo(outcome.emitted());
        assertThat(outcome.notRecorded()).as("records the agent could not turn into events").isZero();
        assertThat(outcome.dataLoss()).as("JFR's own data loss").isZero();
    }
}
