package io.blkflight.model;

import java.util.HashMap;
import java.util.Map;

/**
 * How many requests each sampled one stands for, when the agent took stage stacks for a sample of the requests
 * ({@code stacks=N/s}). The kernel side picks requests per kind (operation class, flags, submitter's context; the
 * request's {@code sampleKind}) at a stride that follows the kind's rate, and records it with each pick
 * ({@code stackWeight}): a pick stands for its stride of requests. Per kind the picks' weights are then scaled so
 * that they add up to the kind's requests, which the recording holds exactly; and bytes likewise to the kind's bytes
 * (a ratio estimate: requests of one kind can differ in size a hundredfold). Counted over the requests a view
 * selects, so its estimates are of that selection.
 * Where the recording holds every request's stacks ({@code stacks=all}, or an agent that did not sample),
 * every weight is 1 and trees are exact.
 */
public final class KindWeights {
    private final boolean sampled;
    private final Map<Integer, double[]> byKind = new HashMap<>();
    private long requests;
    private long withStacks;

    /** @param sampled whether the recording's stacks are a sample (its configuration says stacks=N/s) */
    public KindWeights(boolean sampled) {
        this.sampled = sampled;
    }

    /** Counts a selected request: its kind, and whether it has stage stacks. */
    public void add(BlockRequest request) {
        // requests, picks' weights, bytes, picks' weighted bytes
        double[] counts = byKind.computeIfAbsent(request.sampleKind(), k -> new double[4]);
        counts[0]++;
        counts[2] += request.bytes();
        requests++;
        if (request.hasKernelStacks()) {
            counts[1] += request.stackWeight();
            counts[3] += (double) request.stackWeight() * request.bytes();
            withStacks++;
        }
    }

    /** How many requests one request with stacks of that kind and weight 1 stands for; 1 when trees are exact. */
    public double weight(int kind) {
        return ratio(kind, 0);
    }

    /** How many bytes one byte of a request with stacks of that kind and weight 1 stands for; 1 when trees are exact. */
    public double byteWeight(int kind) {
        return ratio(kind, 2);
    }

    private double ratio(int kind, int all) {
        if (!sampled) {
            return 1;
        }
        double[] counts = byKind.get(kind);
        return counts == null || counts[all + 1] == 0 ? 0 : counts[all] / counts[all + 1];
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
        return byKind.values().stream().filter(c -> c[1] == 0).mapToLong(c -> (long) c[0]).sum();
    }
}
