package io.blkflight.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a request's function path in {@code blkflight.BlockRequest.functionPath}: one line per
 * hit, in order, {@code OFFSET_NS FUNCTION CONTEXT STACK} where CONTEXT is {@code i} (the issuing thread)
 * or {@code -} (a kernel thread or an interrupt) and STACK the {@code blkflight.KernelStack} id, 0 for none.
 * Written by the agent, read by the report and the Mission Control plugin.
 */
public final class FunctionPath {
    /** One line as written, before its stack id is resolved to frames. */
    public record Entry(long offsetNanos, String function, boolean inIssuer, long stackId) {
    }

    /** More hits than the kernel side ever keeps per request (32); a longer path is cut, not trusted. */
    public static final int MAX_ENTRIES = 64;

    private FunctionPath() {
    }

    /** Appends one hit's line. */
    public static void append(StringBuilder path, long offsetNanos, String function, boolean inIssuer, long stackId) {
        if (path.length() > 0) {
            path.append('\n');
        }
        path.append(offsetNanos).append(' ').append(function).append(' ').append(inIssuer ? 'i' : '-').append(' ')
                .append(stackId);
    }

    /**
     * The entries of a path's text; lines that do not have the form are skipped (a recording can hold
     * anything), function names are cleaned as any string from a recording.
     */
    public static List<Entry> parse(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n", MAX_ENTRIES + 1)) {
            if (entries.size() == MAX_ENTRIES) {
                break;
            }
            String[] parts = line.split(" ");
            if (parts.length != 4 || parts[1].isEmpty() || !(parts[2].equals("i") || parts[2].equals("-"))) {
                continue;
            }
            try {
                entries.add(new Entry(Long.parseLong(parts[0]), Text.clean(parts[1]), parts[2].equals("i"),
                        Long.parseLong(parts[3])));
            } catch (NumberFormatException e) {
                // not a line of ours
            }
        }
        return entries;
    }
}
