package io.blkflight.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folded stacks for flamegraph.pl or speedscope: one line per distinct stack, frames from the outermost
 * separated by semicolons, then a space and the weight. A stage that ran in the issuing thread has the
 * Java frames above its kernel frames (a writeback request: the dirtying call's, then [writeback: reason] above the
 * flusher's kernel frames); each line ends in a pseudo-frame naming the stage, [submit],
 * [insert], [issue] or [complete]. By file, each line starts with a pseudo-frame naming the request's file,
 * [file PATH].
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
    private final boolean byFile;
    private final KindWeights weights;
    /** Per line, per kind of request: the summed value of its sampled requests times their weights (scaled at the end). */
    private final Map<String, Map<Integer, Double>> lines = new HashMap<>();

    /** Folded stacks of a recording with every request's stacks. */
    public Folded(Weight weight) {
        this(weight, false);
    }

    /** @param sampled the recording's kernel stacks are a sample ({@code stacks=N/s}): values are scaled per kind */
    public Folded(Weight weight, boolean sampled) {
        this(weight, sampled, false);
    }

    /** @param byFile each line starts with the request's file, [file PATH] */
    public Folded(Weight weight, boolean sampled, boolean byFile) {
        this.weight = weight;
        this.byFile = byFile;
        this.weights = new KindWeights(sampled);
    }

    /** The selection's requests by kind, and those with kernel stacks. */
    public KindWeights weights() {
        return weights;
    }

    public void add(BlockRequest request) {
        weights.add(request);
        List<String> java = Frames.outermostFirst(request.javaLink().frames());
        for (Stage stage : Stage.values()) {
            List<String> stack = request.kernelStack(stage);
            if (stack.isEmpty() || (weight == Weight.LATENCY && stage != Stage.SUBMIT)) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            if (byFile) {
                line.append(CallTree.fileFrame(request).replace(';', ':')).append(';');
            }
            if (request.inIssuer(stage)) {
                java.forEach(frame -> line.append(frame).append(';'));
                if (request.isWriteback()) {
                    line.append(CallTree.writebackFrame(request)).append(';');
                }
            }
            for (String frame : Frames.outermostFirst(stack)) {
                line.append(Frames.function(frame).replace(';', ':')).append(';');
            }
            line.append('[').append(stage.label()).append(']');
            long value = weight == Weight.COUNT ? 1 : weight == Weight.BYTES ? request.bytes()
                    : Math.max(1, request.duration() / 1_000);
            lines.computeIfAbsent(line.toString(), k -> new HashMap<>())
                    .merge(request.sampleKind(), (double) value * request.stackWeight(), Double::sum);
        }
    }

    /** The lines, sorted by stack; with sampled stacks each value is an estimate for all requests, rounded. */
    public List<String> lines() {
        List<String> sorted = new ArrayList<>();
        lines.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            double value = 0;
            for (Map.Entry<Integer, Double> kind : e.getValue().entrySet()) {
                value += kind.getValue() * (weight == Weight.BYTES ? weights.byteWeight(kind.getKey()) : weights.weight(kind.getKey()));
            }
            sorted.add(e.getKey() + " " + Math.max(1, Math.round(value)));
        });
        return sorted;
    }
}
