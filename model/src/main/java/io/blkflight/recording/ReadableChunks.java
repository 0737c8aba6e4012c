package io.blkflight.recording;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A recording as JFR's readers can take it: a recording file, or a JFR repository (the folder of chunk files a
 * JVM records into, by default {@code /tmp/<date>_<pid>/}, or the folder that holds one), with what a JVM left
 * unfinished when it stopped without finishing its recording (killed by the OOM killer or {@code kill -9}, or
 * crashed) cut to its last flush (see {@link ChunkHeader}).
 *
 * <p>Why the readers cannot be handed such input as it is: jdk.jfr.consumer.RecordingFile and JMC's parser read
 * finished chunks. On an unfinished one JDK 25's reader waits for the JVM to finish it and gives up after about a
 * second ("stuck in locked stream state"), JDK 17's reads on into the bytes written after the last flush and fails,
 * and JMC's fails on them. EventStream.openRepository reads an unfinished chunk up to its last flush, but then
 * waits for the next one, which a dead JVM never writes. So each unfinished chunk is shown to the readers as it was
 * at its last flush, marked finished; finished chunks are passed on as they are, and a file that is damaged rather
 * than unfinished (a finished chunk cut short, foreign bytes) is left to the reader to report.
 */
public final class ReadableChunks {
    /**
     * Whole chunks of a file, its bytes from {@code offset} for {@code length}. An unfinished part is one chunk cut to
     * its last flush, whose file state a reader must see as finished; a whole-file part is the file as it is.
     */
    public record Part(Path file, long offset, long length, boolean unfinished, boolean wholeFile) {
    }

    private static final String CHUNK_SUFFIX = ".jfr";
    private static final String REPOSITORY_SUFFIX = ".repository";

    private final String source;
    private final List<Part> parts;
    private final boolean partial;
    private final long eventsUpToNanos;

    private ReadableChunks(String source, List<Part> parts, boolean partial, long eventsUpToNanos) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.partial = partial;
        this.eventsUpToNanos = eventsUpToNanos;
    }

    /** The readable chunks of a recording file or a JFR repository folder. */
    public static ReadableChunks of(Path path) throws UnreadableRecordingException, IOException {
        if (Files.isDirectory(path)) {
            return ofRepository(path);
        }
        if (!Files.exists(path)) {
            throw new UnreadableRecordingException(path + " does not exist");
        }
        FileChunks chunks = FileChunks.scan(path, false);
        if (chunks.parts.isEmpty()) {
            throw nothingFlushed(path.toString());
        }
        return new ReadableChunks(path.toString(), chunks.parts, chunks.partial, chunks.endNanos);
    }

    private static ReadableChunks ofRepository(Path directory) throws UnreadableRecordingException, IOException {
        String source = directory.toString();
        List<Path> files = chunkFiles(directory);
        if (files.isEmpty()) {
            List<Path> repositories = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
                for (Path entry : entries) {
                    if (!chunkFiles(entry).isEmpty()) {
                        repositories.add(entry);
                    }
                }
            }
            if (repositories.isEmpty()) {
                throw new UnreadableRecordingException(directory + " holds no JFR chunk files (*.jfr): name a recording file,"
                        + " or a JFR repository (the folder of chunk files a JVM records into, such as /tmp/2026_01_31_12_00_00_4242)"
                        + " or the folder that holds one");
            }
            // A folder that outlived several JVMs (each killed run leaves its own): the newest is the one just lost.
            Path newest = repositories.get(0);
            for (Path repository : repositories) {
                if (lastModified(repository).compareTo(lastModified(newest)) > 0) {
                    newest = repository;
                }
            }
            files = chunkFiles(newest);
            source = newest + (repositories.size() > 1 ? " (the newest of " + repositories.size()
                    + " JFR repositories in " + directory + ")" : "");
        }
        List<FileChunks> scanned = new ArrayList<>();
        for (Path file : files) {
            try {
                scanned.add(FileChunks.scan(file, true));
            } catch (NoSuchFileException e) {
                // A live JVM removes its oldest chunk when the recording exceeds its size or age: it is no longer part of it.
            }
        }
        scanned.sort(Comparator.comparingLong(chunks -> chunks.startNanos));
        List<Part> parts = new ArrayList<>();
        boolean partial = false;
        long end = Long.MIN_VALUE;
        for (FileChunks chunks : scanned) {
            parts.addAll(chunks.parts);
            partial |= chunks.partial;
            end = Math.max(end, chunks.endNanos);
        }
        if (parts.isEmpty()) {
            throw nothingFlushed(source);
        }
        return new ReadableChunks(source, parts, partial, end);
    }

    private static UnreadableRecordingException nothingFlushed(String source) {
        return new UnreadableRecordingException(source + " holds no events yet: JFR had not flushed its unfinished chunk"
                + " (the JVM stopped within about a second of starting it)");
    }

    private static List<Path> chunkFiles(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + CHUNK_SUFFIX)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    private static FileTime lastModified(Path repository) throws IOException {
        FileTime newest = FileTime.fromMillis(0);
        for (Path file : chunkFiles(repository)) {
            FileTime time = Files.getLastModifiedTime(file);
            newest = time.compareTo(newest) > 0 ? time : newest;
        }
        return newest;
    }

    /** One file's readable chunks, walked header by header. */
    private static final class FileChunks {
        final List<Part> parts = new ArrayList<>();
        boolean partial;
        long startNanos = Long.MAX_VALUE;
        long endNanos = Long.MIN_VALUE;

        /**
         * In a repository a file too short for a header is a chunk the JVM had only begun; on its own it is no
         * recording. A file whose bytes are not what a JVM writes goes to the reader as it is, to report.
         */
        static FileChunks scan(Path file, boolean inRepository) throws UnreadableRecordingException, IOException {
            FileChunks chunks = new FileChunks();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                if (inRepository && size < ChunkHeader.SIZE) {
                    chunks.partial = true;
                    return chunks;
                }
                checkIsRecording(file, channel);
                long position = 0;
                while (position < size) {
                    Optional<ChunkHeader> read = size - position >= ChunkHeader.SIZE
                            ? ChunkHeader.read(channel, position) : Optional.empty();
                    if (read.isEmpty()) {
                        return chunks.asIs(file, size);
                    }
                    ChunkHeader header = read.get();
                    if (header.finished()) {
                        if (header.size() < ChunkHeader.SIZE || header.size() > size - position) {
                            return chunks.asIs(file, size);
                        }
                        chunks.readable(header);
                        position += header.size();
                        continue;
                    }
                    // An unfinished chunk is the last thing in the file that can be read: what follows its last
                    // flush was written after it.
                    chunks.partial = true;
                    if (position > 0) {
                        chunks.parts.add(new Part(file, 0, position, false, false));
                    }
                    if (header.flushed()) {
                        if (header.size() > size - position) {
                            throw new UnreadableRecordingException(file + " is truncated: its unfinished last chunk held "
                                    + header.size() + " bytes at its last flush, but the file ends " + (size - position)
                                    + " bytes into it (a copy cut short)");
                        }
                        chunks.readable(header);
                        chunks.parts.add(new Part(file, position, header.size(), true, false));
                    }
                    return chunks;
                }
                chunks.parts.add(new Part(file, 0, size, false, true));
                return chunks;
            }
        }

        private static void checkIsRecording(Path file, FileChannel channel) throws UnreadableRecordingException, IOException {
            if (channel.size() == 0) {
                throw new UnreadableRecordingException(file + " is empty: not a JFR recording");
            }
            ByteBuffer first = ByteBuffer.allocate(4);
            channel.read(first, 0);
            if (!ChunkHeader.startsWithMagic(Arrays.copyOf(first.array(), first.position()))) {
                throw new UnreadableRecordingException(file + " is not a JFR recording (it does not begin with JFR's magic bytes)");
            }
        }

        private void readable(ChunkHeader header) {
            startNanos = Math.min(startNanos, header.startNanos());
            endNanos = Math.max(endNanos, header.endNanos());
        }

        /** The whole file, for the reader to read as far as it can and report the rest. */
        private FileChunks asIs(Path file, long size) {
            parts.clear();
            parts.add(new Part(file, 0, size, false, true));
            partial = false;
            return this;
        }
    }

    /**
     * Where the agent keeps the JFR repository of its recording to a file ({@code output=app.jfr}): next to the file,
     * as {@code app.jfr.repository}, so that a user finds it after the JVM was killed before it wrote the file.
     */
    public static Path repositoryFor(Path recording) {
        return recording.resolveSibling(recording.getFileName() + REPOSITORY_SUFFIX);
    }

    /** What was read: the file, or the repository folder (and which, when a folder of several was named). */
    public String source() {
        return source;
    }

    /** The readable parts, oldest first. */
    public List<Part> parts() {
        return parts;
    }

    /** Whether the JVM stopped without finishing the recording, so that it ends at the last flush. */
    public boolean partial() {
        return partial;
    }

    /** When the last readable chunk ends (for an unfinished one, its last flush), or empty when no header said. */
    public Optional<Instant> eventsUpTo() {
        return eventsUpToNanos == Long.MIN_VALUE ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(0, eventsUpToNanos));
    }

    /** The line a reader shows when the recording is partial. */
    public Optional<String> partialNote() {
        if (!partial) {
            return Optional.empty();
        }
        return Optional.of("partial: the JVM stopped without finishing its recording; events up to "
                + eventsUpTo().map(time -> time.truncatedTo(ChronoUnit.MILLIS).toString()).orElse("an unknown time"));
    }

    /** Every part in order as one stream of finished chunks (for a reader that takes a stream, such as JMC's). */
    public InputStream open() {
        Iterator<Part> next = parts.iterator();
        return new SequenceInputStream(new Enumeration<InputStream>() {
            @Override
            public boolean hasMoreElements() {
                return next.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return new PartStream(next.next());
            }
        });
    }

    /** Writes a part as a file of finished chunks (for a reader that takes a file, such as the JDK's). */
    public static void copy(Part part, OutputStream out) throws IOException {
        try (InputStream in = new PartStream(part)) {
            in.transferTo(out);
        }
    }

    /** A part's bytes, with an unfinished chunk's file state read as 0 (finished); the file opens on the first read. */
    private static final class PartStream extends InputStream {
        private final Part part;
        private FileChannel channel;
        private long read;

        PartStream(Part part) {
            this.part = part;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (read >= part.length()) {
                return -1;
            }
            if (channel == null) {
                channel = FileChannel.open(part.file(), StandardOpenOption.READ);
            }
            int wanted = (int) Math.min(length, part.length() - read);
            int count = channel.read(ByteBuffer.wrap(into, offset, wanted), part.offset() + read);
            if (count < 0) {
                throw new IOException(part.file() + " became shorter while it was read");
            }
            long fileState = ChunkHeader.fileStateOffset();
            if (part.unfinished() && read <= fileState && fileState < read + count) {
                into[offset + (int) (fileState - read)] = 0;
            }
            read += count;
            return count;
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
