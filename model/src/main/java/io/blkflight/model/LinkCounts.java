package io.blkflight.model;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** How many requests were linked to a Java stack, by source, for reporting the link rate honestly. */
public final class LinkCounts {
    private final Map<JavaLink.Source, Long> bySource = new EnumMap<>(JavaLink.Source.class);
    private long notJava;
    private long writeback;

    /** Counts a request after {@link JavaStackIndex#link}. */
    public void add(BlockRequest request) {
        if (request.javaThreadId() < 0) {
            notJava++;
        } else {
            bySource.merge(request.javaLink().source(), 1L, Long::sum);
            if (request.isWriteback()) {
                writeback++;
            }
        }
    }

    /** Requests issued by Java threads. */
    public long javaThreads() {
        return bySource.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests issued by Java threads and linked by the source (NONE: not linked). */
    public long linkedBy(JavaLink.Source source) {
        return bySource.getOrDefault(source, 0L);
    }

    public long linked() {
        return javaThreads() - linkedBy(JavaLink.Source.NONE);
    }

    /** Of {@link #javaThreads()}, writeback of pages they dirtied, submitted by kernel threads or other processes. */
    public long writeback() {
        return writeback;
    }

    /** Requests whose issuer was not a Java thread of the recorded JVM (kernel threads, other processes). */
    public long notJavaThreads() {
        return notJava;
    }

    /** "linked to a Java stack: 9 of 10 requests issued by Java threads (90.0%: file event 8, ...); 3 by other threads". */
    public String describe() {
        long java = javaThreads();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "linked to a Java stack: %,d of %,d requests issued by Java threads",
                linked(), java));
        if (writeback > 0) {
            text.append(String.format(Locale.ROOT, ", %,d of them writeback of pages they dirtied", writeback));
        }
        if (java > 0) {
            text.append(String.format(Locale.ROOT, " (%.1f%%:", 100.0 * linked() / java));
            for (JavaLink.Source source : JavaLink.Source.values()) {
                // A nearby file event links writeback requests only, a fault stack only with faultStacks on (recordings
                // of older agents have none): named where they did.
                boolean sometimes = source == JavaLink.Source.NEARBY_FILE_EVENT || source == JavaLink.Source.FAULT_STACK;
                if (source == JavaLink.Source.NONE || (sometimes && linkedBy(source) == 0)) {
                    continue;
                }
                text.append(String.format(Locale.ROOT, " %s %,d,", source.label(), linkedBy(source)));
            }
            text.setLength(text.length() - 1);
            text.append(')');
        }
        return text.append(String.format(Locale.ROOT, "; %,d issued by other threads", notJava)).toString();
    }
}
