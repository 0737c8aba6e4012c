package io.blkflight.resolve;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small ids for values that many events share, for the compact format: the first time a chunk needs a
 * value, its dictionary event is written (before the event that names it, on the same thread, so in the
 * same chunk). Ids are never reused while the collector runs, so a reader may map them for the whole
 * recording. Holds at most {@code capacity} values; when full it starts over with new ids, so memory stays
 * bounded and a long-forgotten value is written again under a new id. Used by the collector thread only;
 * {@link #newChunk()} may come from JFR's thread.
 */
final class Dictionary<K> {
    /** Writes the dictionary event of a value. */
    interface Writer<K> {
        void write(long id, K value);
    }

    /**
     * A value with its id. Callers on a hot path may keep entries in caches of their own in front of the
     * dictionary (looked up without building a key object) and pass them to {@link #id(Entry)}: an entry
     * stays valid after the dictionary started over, its id is still never given to another value.
     */
    static final class Entry<K> {
        final long id;
        final K value;
        int writtenInChunk;

        Entry(long id, K value, int chunk) {
            this.id = id;
            this.value = value;
            this.writtenInChunk = chunk - 1;
        }
    }

    private final int capacity;
    private final Writer<K> writer;
    private final Map<K, Entry<K>> entries = new HashMap<>();
    private final AtomicInteger chunk = new AtomicInteger();
    private long nextId = 1;
    private long restarts;

    Dictionary(int capacity, Writer<K> writer) {
        this.capacity = capacity;
        this.writer = writer;
    }

    /** The value's id, after writing its event if this chunk has not got it yet. */
    long id(K value) {
        return id(entry(value));
    }

    /** The value's entry, a new one (with a new id) when the value is not in the dictionary. */
    Entry<K> entry(K value) {
        Entry<K> entry = entries.get(value);
        if (entry == null) {
            if (entries.size() >= capacity) {
                entries.clear();
                restarts++;
            }
            entry = new Entry<>(nextId++, value, chunk.get());
            entries.put(value, entry);
        }
        return entry;
    }

    /** The entry's id, after writing its event if this chunk has not got it yet. */
    long id(Entry<K> entry) {
        int now = chunk.get();
        if (entry.writtenInChunk != now) {
            writer.write(entry.id, entry.value);
            entry.writtenInChunk = now;
        }
        return entry.id;
    }

    /** A new chunk began: each value is written again before the first event of the chunk that names it. */
    void newChunk() {
        chunk.incrementAndGet();
    }

    int size() {
        return entries.size();
    }

    /** How many times the dictionary was full and started over. */
    long restarts() {
        return restarts;
    }
}
