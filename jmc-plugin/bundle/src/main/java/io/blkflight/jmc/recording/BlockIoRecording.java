package io.blkflight.jmc.recording;

import io.blkflight.model.LinkCounts;
import io.blkflight.recording.ReadableChunks;
import io.blkflight.recording.UnreadableRecordingException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.ItemCollectionToolkit;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;

/** The block requests of a recording, read from JMC's items, in the order they were submitted. */
public final class BlockIoRecording {
    private final List<RecordedRequest> requests;
    private final long malformed;
    private final Optional<String> partialNote;

    BlockIoRecording(List<RecordedRequest> requests, long malformed, Optional<String> partialNote) {
        this.requests = List.copyOf(requests);
        this.malformed = malformed;
        this.partialNote = partialNote;
    }

    /** Reads the requests of the items (a whole recording, or JMC's items of a page). */
    public static BlockIoRecording read(IItemCollection items) {
        return RecordingReader.read(items, Optional.empty());
    }

    /**
     * Reads a recording file or a JFR repository folder (the folder of chunk files, or the folder that holds one) with
     * JMC's parser, where a JVM that stopped without finishing its recording left it unfinished up to JFR's last flush
     * ({@link ReadableChunks}): JMC's own loader fails on the bytes written after that flush, and opens no folder.
     */
    public static BlockIoRecording load(Path recordingOrRepository)
            throws UnreadableRecordingException, IOException, CouldNotLoadRecordingException {
        ReadableChunks chunks = ReadableChunks.of(recordingOrRepository);
        IItemCollection items;
        try (InputStream in = chunks.open()) {
            items = JfrLoaderToolkit.loadEvents(in);
        }
        return RecordingReader.read(items, chunks.partialNote());
    }

    /** "partial: the JVM stopped without finishing its recording; events up to TIME" for such a recording. */
    public Optional<String> partialNote() {
        return partialNote;
    }

    /** Every request, by submission time. */
    public List<RecordedRequest> requests() {
        return requests;
    }

    /** Events named blkflight.BlockRequest that lack its fields (another or an older agent) and were skipped. */
    public long malformed() {
        return malformed;
    }

    /** The requests submitted from {@code from} to {@code to} (epoch nanoseconds, both included). */
    public List<RecordedRequest> submittedBetween(long from, long to) {
        int first = firstAtOrAfter(from);
        int end = firstAtOrAfter(to == Long.MAX_VALUE ? to : to + 1);
        return requests.subList(first, Math.max(first, end));
    }

    private int firstAtOrAfter(long time) {
        int low = 0;
        int high = requests.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (requests.get(middle).request().start() < time) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** How many of the requests were linked to a Java stack, and by what. */
    public static LinkCounts links(Collection<RecordedRequest> requests) {
        LinkCounts counts = new LinkCounts();
        requests.forEach(r -> counts.add(r.request()));
        return counts;
    }

    /**
     * The requests as JMC items for its selection: each request's event and the JDK event that linked it, so
     * that JMC's stack trace and flame graph views show the Java stacks that caused them.
     */
    public static IItemCollection items(Collection<RecordedRequest> requests) {
        return ItemCollectionToolkit.build(requests.stream()
                .flatMap(r -> r.javaEvent() == null ? Stream.of(r.event()) : Stream.of(r.event(), r.javaEvent()))
                .distinct()
                .map(IItem.class::cast));
    }
}
