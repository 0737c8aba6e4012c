package io.blkflight.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folded stacks for flamegraph.pl or speedscope: one line per distinct stack, frames from the outermost
 * separated by semicolons, then a space and the weight. A stage that ran in the issuing thread has the
 * Java frames above its kernel frames; each line ends in a pseudo-frame naming the stage, [submit],
 * [insert], [issue] or [complete].
 */
public final class Folded {
    /** What a line weighs. */
    public enum Weight {
        /** Each stage's stack counts each request once. */
        COUNT,
        /** Each stage's stack counts the request's bytes. */
        BYTES,
        /** The submission stack only (the issuing call), weighted by the request's latency in microseconds. */
        LATENCY
    }

    private final Weight weight;
    private final Map<String, Long> lines = new HashMap<>();

    public Folded(Weight weight) {
        this.weight = weight;
    }

    public void add(BlockRequest request) {
        List<String> java = Frames.outermostFirst(request.javaLink().frames());
        for (Stage stage : Stage.values()) {
            List<String> stack = request.kernelStack(stage);
            if (stack.isEmpty() || (weight == Weight.LATENCY && stage != Stage.SUBMIT)) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            if (request.inIssuer(stage)) {
                java.forEach(frame -> line.append(frame).append(';'));
            }
            for (String frame : Frames.outermostFirst(stack)) {
                line.append(Frames.function(frame).replace(';', ':')).append(';');
            }
            line.append('[').append(stage.label()).append(']');
            long value = weight == Weight.COUNT ? 1 : weight == Weight.BYTES ? request.bytes()
                    : Math.max(1, request.duration() / 1_000);
            lines.merge(line.toString(), value, Long::sum);
        }
    }

    /** The lines, sorted by stack. */
    public List<String> lines() {
        List<String> sorted = new ArrayList<>();
        lines.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sorted.add(e.getKey() + " " + e.getValue()));
        return sorted;
    }
}
