package io.blkflight.jmc.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blkflight.recording.UnreadableRecordingException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;

/**
 * What a JVM killed while recording leaves (a recording whose last chunk is unfinished, or its JFR repository),
 * read through JMC's parser: the agent's fixture recording laid out as the JVM leaves a chunk it was killed in,
 * with its flush generation in the header's file state byte and bytes written after the last flush.
 */
class UnfinishedRecordingsTest {
    @TempDir
    Path directory;

    private static Path unfinished(Path finished, Path target) throws Exception {
        byte[] bytes = Files.readAllBytes(finished);
        bytes[64] = 7;
        Files.write(target, bytes);
        Files.write(target, new byte[] {2, 7, 1, 8, 2, 8}, StandardOpenOption.APPEND);
        return target;
    }

    @Test
    void readsAnUnfinishedRecordingUpToItsLastFlushWhereJmcsOwnLoaderFails() throws Exception {
        Path killed = unfinished(Fixtures.DIRECT_IO, directory.resolve("killed.jfr"));

        assertThatThrownBy(() -> JfrLoaderToolkit.loadEvents(killed.toFile())).as("JMC's own loader")
                .isInstanceOf(CouldNotLoadRecordingException.class);
        BlockIoRecording read = BlockIoRecording.load(killed);

        assertThat(read.requests()).as("requests read").hasSize(9);
        assertThat(BlockIoRecording.links(read.requests()).describe()).as("as the finished recording links them")
                .isEqualTo(BlockIoRecording.links(Fixtures.read(Fixtures.DIRECT_IO).requests()).describe());
        assertThat(read.partialNote()).hasValueSatisfying(note -> assertThat(note)
                .matches("partial: the JVM stopped without finishing its recording; events up to 20\\d\\d-\\d\\d-\\d\\dT[0-9:.]+Z"));
    }

    @Test
    void readsARepositoryFolderAndTheFolderThatHoldsIt() throws Exception {
        Path folder = directory.resolve("app.jfr.repository");
        Path repository = Files.createDirectories(folder.resolve("2026_12_06_03_54_54_4242"));
        unfinished(Fixtures.DIRECT_IO, repository.resolve("2026_12_06_03_54_54.jfr"));
        Files.createFile(repository.resolve("2026_12_06_03_54_56.jfr"));

        for (Path named : List.of(repository, folder)) {
            BlockIoRecording read = BlockIoRecording.load(named);

            assertThat(read.requests()).as("requests read from %s", named).hasSize(9);
            assertThat(read.partialNote()).as("partial note for %s", named).isPresent();
        }
    }

    @Test
    void aFinishedRecordingIsReadAsJmcReadsItAndIsNotPartial() throws Exception {
        BlockIoRecording read = BlockIoRecording.load(Fixtures.DIRECT_IO);

        assertThat(read.requests()).hasSize(9);
        assertThat(read.partialNote()).isEmpty();
    }

    @Test
    void aDamagedOrForeignFileIsStillAnError() throws Exception {
        byte[] whole = Files.readAllBytes(Fixtures.DIRECT_IO);
        Path cut = Files.write(directory.resolve("cut.jfr"), Arrays.copyOf(whole, whole.length / 2));
        Path text = Files.writeString(directory.resolve("notes.jfr"), "not a recording");

        assertThatThrownBy(() -> BlockIoRecording.load(cut)).as("a finished recording cut short")
                .isInstanceOfAny(CouldNotLoadRecordingException.class, java.io.IOException.class);
        assertThatThrownBy(() -> BlockIoRecording.load(text)).isInstanceOf(UnreadableRecordingException.class)
                .hasMessageContaining("is not a JFR recording");
    }
}
