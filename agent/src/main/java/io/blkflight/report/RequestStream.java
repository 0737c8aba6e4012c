package io.blkflight.report;

import io.blkflight.model.BlockRequest;

import jdk.jfr.consumer.RecordedEvent;

/**
 * The requests of a JFR event stream (the agent's own, for push) as the model sees them, converted and linked to
 * their Java stacks by the same code as the report's: events are handed in one at a time, a request comes back as a
 * {@link BlockRequest} once its stacks, shape and file have been seen, and is linked when the Java events around it
 * have arrived. Not thread-safe: one stream's thread uses it.
 */
public final class RequestStream {
    private final RecordedRequests recorded = new RecordedRequests();

    /** A request event as a request (not linked yet); null for any other event (indexed) or a malformed request. */
    public BlockRequest accept(RecordedEvent event) {
        return recorded.accept(event);
    }

    /** Links a request to its Java stack from the file events and samples seen so far. */
    public void link(BlockRequest request) {
        recorded.link(request);
    }

    /** Whether the agent samples kernel stacks (its configuration event says stacks=N/s). */
    public boolean stacksSampled() {
        return recorded.stacksSampled();
    }

    /** Forgets Java events that ended before the time, and stacks, shapes, addresses or files past maxEntries. */
    public void forgetBefore(long epochNanos, int maxEntries) {
        recorded.forgetBefore(epochNanos, maxEntries);
    }

    /** Request events that could not be converted (their shape, stack or file not seen). */
    public long malformed() {
        return recorded.malformed();
    }
}
