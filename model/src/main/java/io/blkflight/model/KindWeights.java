package io.blkflight.model;

import java.util.HashMap;
import java.util.Map;

/**
 * How many requests each sampled one stands for, when the agent took stage stacks for a sample of the requests
 * ({@code stacks=N/s}): the kernel side picks requests per kind (operation class, flags, submitter's context; the
 * request's {@code sampleKind}), so within a kind every pick stands for the kind's requests over its picks
 * (post-stratification). Counted over the requests a view selects, so its estimates are of that selection.
 * Where the recording holds every request's stacks ({@code stacks=all}, or an agent that did not sample),
 * every weight is 1 and trees are exact.
 */
public final class KindWeights {
    private final boolean sampled;
    private final Map<Integer, long[]> byKind = new HashMap<>();
    private long requests;
    private long withStacks;

    /** @param sampled whether the recording's stacks are a sample (its configuration says stacks=N/s) */
    public KindWeights(boolean sampled) {
        this.sampled = sampled;
    }

    /** Counts a selected request: its kind, and whether it has stage stacks. */
    public void add(BlockRequest request) {
        long[] counts = byKind.computeIfAbsent(request.sampleKind(), k -> new long[2]);
        counts[0]++;
        requests++;
        if (request.hasKernelStacks()) {
            counts[1]++;
            withStacks++;
        }
    }

    /** How many requests of its kind one request with stacks of that kind stands for; 1 when trees are exact. */
    public double weight(int kind) {
        if (!sampled) {
            return 1;
        }
        long[] counts = byKind.get(kind);
        return counts == null || counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
    }

    public boolean sampled() {
        return sampled;
    }

    /** Requests counted. */
    public long requests() {
        return requests;
    }

    /** Of them, with stage stacks. */
    public long withStacks() {
        return withStacks;
    }

    /** Requests of kinds none of whose requests has stacks: the estimates cannot stand for them. */
    public long unrepresented() {
        return byKind.values().stream().filter(c -> c[1] == 0).mapToLong(c -> c[0]).sum();
    }
}
