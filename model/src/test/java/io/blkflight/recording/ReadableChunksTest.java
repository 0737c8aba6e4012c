package io.blkflight.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings a JVM left unfinished, as JFR lays them out: a chunk whose header has the flush generation in its
 * file state byte and describes the chunk at its last flush, followed by what was written since. Made from real
 * recordings, by setting that byte and appending bytes as the JVM does, and from a copy of a live chunk.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadableChunksTest {
    @Name("test.Tick")
    static final class Tick extends Event {
        long n;
    }

    @TempDir
    Path directory;

    private Path finished(String name, int ticks) throws IOException {
        Path file = directory.resolve(name);
        try (Recording recording = new Recording()) {
            recording.enable(Tick.class);
            recording.start();
            commit(ticks);
            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    private static void commit(int ticks) {
        for (int i = 0; i < ticks; i++) {
            Tick tick = new Tick();
            tick.n = i;
            tick.commit();
        }
    }

    /** The file as the JVM leaves a chunk it was killed in: generation 3, and events written after the flush. */
    private static Path unfinished(Path finished, Path target) throws IOException {
        byte[] bytes = Files.readAllBytes(finished);
        bytes[64] = 3;
        Files.write(target, bytes);
        Files.write(target, new byte[] {1, 42, 7, 0, 0, 9, 9, 9, 9, 9}, StandardOpenOption.APPEND);
        return target;
    }

    private static long ticks(Path readable) throws IOException {
        try (RecordingFile file = new RecordingFile(readable)) {
            long ticks = 0;
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                ticks += event.getEventType().getName().equals("test.Tick") ? 1 : 0;
            }
            return ticks;
        }
    }

    /** What JFR's reader gets: each part written out as the agent's report command writes it. */
    private long ticksIn(ReadableChunks chunks) throws IOException {
        long ticks = 0;
        int i = 0;
        for (ReadableChunks.Part part : chunks.parts()) {
            Path copy = directory.resolve("part-" + i++ + ".jfr");
            try (OutputStream out = Files.newOutputStream(copy)) {
                ReadableChunks.copy(part, out);
            }
            ticks += ticks(copy);
        }
        return ticks;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long chunkEnd(Path file) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file), 32, 16);
        return header.getLong() + header.getLong();
    }

    @Test
    void aFinishedRecordingIsReadAsItIs() throws Exception {
        Path file = finished("whole.jfr", 10);

        ReadableChunks chunks = ReadableChunks.of(file);

        assertThat(chunks.partial()).isFalse();
        assertThat(chunks.partialNote()).isEmpty();
        assertThat(chunks.parts()).containsExactly(new ReadableChunks.Part(file, 0, Files.size(file), false, true));
        assertThat(chunks.source()).isEqualTo(file.toString());
    }

    @Test
    void anUnfinishedChunkIsReadUpToItsLastFlush() throws Exception {
        Path finished = finished("flushed.jfr", 25);
        Path file = unfinished(finished, directory.resolve("killed.jfr"));

        ReadableChunks chunks = ReadableChunks.of(file);

        assertThat(chunks.partial()).isTrue();
        assertThat(chunks.parts()).containsExactly(new ReadableChunks.Part(file, 0, Files.size(finished), true, false));
        assertThat(ticksIn(chunks)).as("every event flushed").isEqualTo(25);
        assertThat(chunks.eventsUpTo()).contains(Instant.ofEpochSecond(0, chunkEnd(finished)));
        assertThat(chunks.partialNote().orElseThrow())
                .startsWith("partial: the JVM stopped without finishing its recording; events up to 20")
                .endsWith("Z");
        try (InputStream in = chunks.open()) {
            byte[] streamed = in.readAllBytes();
            assertThat(streamed).hasSize((int) Files.size(finished));
            assertThat(streamed[64]).as("the file state JMC's parser and the JDK's see").isZero();
        }
        assertThat(Files.readAllBytes(file)[64]).as("the file itself is left as it is").isEqualTo((byte) 3);
    }

    @Test
    void finishedChunksBeforeAnUnfinishedOneAreReadToo() throws Exception {
        Path first = finished("first.jfr", 5);
        Path last = unfinished(finished("last.jfr", 7), directory.resolve("last-unfinished.jfr"));
        Path both = directory.resolve("concatenated.jfr");
        Files.write(both, Files.readAllBytes(first));
        Files.write(both, Files.readAllBytes(last), StandardOpenOption.APPEND);

        ReadableChunks chunks = ReadableChunks.of(both);

        assertThat(chunks.partial()).isTrue();
        assertThat(chunks.parts()).hasSize(2);
        assertThat(chunks.parts().get(0)).isEqualTo(new ReadableChunks.Part(both, 0, Files.size(first), false, false));
        assertThat(ticksIn(chunks)).isEqualTo(12);
    }

    @Test
    void aCopyOfALiveChunkIsReadUpToItsLastFlush() throws Exception {
        Path copy = directory.resolve("live-copy.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(Tick.class);
            recording.setToDisk(true);
            recording.start();
            commit(40);
            Path repository = Path.of(System.getProperty("jdk.jfr.repository"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long ticks = 0;
            // JFR flushes a disk recording's chunk every second; until then the copy holds none of the ticks.
            while (ticks < 40 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                Path current;
                try (Stream<Path> files = Files.list(repository)) {
                    current = files.filter(f -> f.toString().endsWith(".jfr"))
                            .max(Comparator.comparing(ReadableChunksTest::modified).thenComparing(Comparator.naturalOrder())).orElseThrow();
                }
                Files.copy(current, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try {
                    ReadableChunks chunks = ReadableChunks.of(copy);
                    assertThat(chunks.partial()).as("a chunk still being written").isTrue();
                    ticks = ticksIn(chunks);
                } catch (UnreadableRecordingException e) {
                    assertThat(e.getMessage()).contains("holds no events yet");
                }
            }
            assertThat(ticks).as("ticks read from the copied live chunk").isEqualTo(40);
        }
    }

    @Test
    void aRepositoryIsReadInTheOrderOfItsChunksAndAnEmptyChunkFileMakesItPartial() throws Exception {
        Path repository = Files.createDirectories(directory.resolve("app.jfr.repository/2026_12_06_03_54_54_4242"));
        Path older = finished("older.jfr", 3);
        Path newer = finished("newer.jfr", 4);
        Files.copy(newer, repository.resolve("a.jfr"));
        Files.copy(older, repository.resolve("b.jfr"));
        unfinished(finished("newest.jfr", 5), repository.resolve("c.jfr"));
        Files.createFile(repository.resolve("d.jfr"));

        for (Path named : List.of(repository, repository.getParent())) {
            ReadableChunks chunks = ReadableChunks.of(named);

            assertThat(chunks.partial()).isTrue();
            assertThat(chunks.source()).isEqualTo(repository.toString());
            assertThat(chunks.parts()).extracting(part -> part.file().getFileName().toString())
                    .as("by the chunks' start times, not their names").containsExactly("b.jfr", "a.jfr", "c.jfr");
            assertThat(ticksIn(chunks)).isEqualTo(12);
            assertThat(chunks.eventsUpTo()).contains(Instant.ofEpochSecond(0, chunkEnd(repository.resolve("c.jfr"))));
        }
    }

    @Test
    void aFolderOfSeveralRepositoriesIsReadFromTheNewestAndSaysSo() throws Exception {
        Path folder = directory.resolve("app.jfr.repository");
        Path old = Files.createDirectories(folder.resolve("2026_12_05_00_00_00_1"));
        Path recent = Files.createDirectories(folder.resolve("2026_12_06_00_00_00_2"));
        Files.copy(finished("old.jfr", 1), old.resolve("x.jfr"));
        Files.copy(finished("recent.jfr", 2), recent.resolve("x.jfr"));
        Files.setLastModifiedTime(old.resolve("x.jfr"), FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));

        ReadableChunks chunks = ReadableChunks.of(folder);

        assertThat(chunks.source()).isEqualTo(recent + " (the newest of 2 JFR repositories in " + folder + ")");
        assertThat(ticksIn(chunks)).isEqualTo(2);
    }

    @Test
    void aFinishedRecordingCutShortIsLeftToTheReaderToReport() throws Exception {
        byte[] whole = Files.readAllBytes(finished("whole.jfr", 10));
        Path cut = Files.write(directory.resolve("cut.jfr"), java.util.Arrays.copyOf(whole, whole.length / 2));

        ReadableChunks chunks = ReadableChunks.of(cut);

        assertThat(chunks.partial()).as("damaged, not unfinished").isFalse();
        assertThat(chunks.parts()).containsExactly(new ReadableChunks.Part(cut, 0, Files.size(cut), false, true));
    }

    @Test
    void anUnfinishedChunkCutBeforeItsLastFlushIsTruncated() throws Exception {
        Path file = unfinished(finished("flushed.jfr", 10), directory.resolve("killed.jfr"));
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(directory.resolve("cut.jfr"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> ReadableChunks.of(cut)).isInstanceOf(UnreadableRecordingException.class)
                .hasMessageStartingWith(cut + " is truncated: its unfinished last chunk held ");
    }

    @Test
    void aChunkNeverFlushedHoldsNoEventsAndAHeaderCaughtInItsRewriteIsNotTrusted() throws Exception {
        byte[] bytes = Files.readAllBytes(finished("flushed.jfr", 10));
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.putLong(8, 68).putLong(16, 0).putLong(24, 0);
        bytes[64] = 1;
        Path begun = Files.write(directory.resolve("begun.jfr"), bytes);
        byte[] rewriting = Files.readAllBytes(finished("rewriting.jfr", 10));
        rewriting[64] = (byte) 255;
        Path torn = Files.write(directory.resolve("torn.jfr"), rewriting);

        for (Path file : List.of(begun, torn)) {
            assertThatThrownBy(() -> ReadableChunks.of(file)).isInstanceOf(UnreadableRecordingException.class)
                    .hasMessage(file + " holds no events yet: JFR had not flushed its unfinished chunk"
                            + " (the JVM stopped within about a second of starting it)");
        }
    }

    @Test
    void whatIsNoRecordingSaysWhy() throws Exception {
        Path empty = Files.createFile(directory.resolve("empty.jfr"));
        Path text = Files.writeString(directory.resolve("notes.jfr"), "FLR is how it starts, but not like this");
        Path folder = Files.createDirectories(directory.resolve("folder"));
        Files.writeString(folder.resolve("notes.txt"), "no chunks here");

        assertThatThrownBy(() -> ReadableChunks.of(directory.resolve("nope.jfr"))).hasMessage(directory.resolve("nope.jfr") + " does not exist");
        assertThatThrownBy(() -> ReadableChunks.of(empty)).hasMessage(empty + " is empty: not a JFR recording");
        assertThatThrownBy(() -> ReadableChunks.of(text)).hasMessageContaining("is not a JFR recording");
        assertThatThrownBy(() -> ReadableChunks.of(folder)).hasMessageStartingWith(folder + " holds no JFR chunk files (*.jfr)");
    }

    @Test
    void theStreamOfEveryPartIsTheirBytesInOrder() throws Exception {
        Path first = finished("first.jfr", 2);
        Path last = unfinished(finished("last.jfr", 3), directory.resolve("last-unfinished.jfr"));
        Path both = directory.resolve("both.jfr");
        Files.write(both, Files.readAllBytes(first));
        Files.write(both, Files.readAllBytes(last), StandardOpenOption.APPEND);

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        try (InputStream in = ReadableChunks.of(both).open()) {
            in.transferTo(streamed);
        }

        Path readable = Files.write(directory.resolve("readable.jfr"), streamed.toByteArray());
        assertThat(Files.size(readable)).isEqualTo(Files.size(both) - 10);
        assertThat(ticks(readable)).isEqualTo(5);
    }
}
