package io.blkflight.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Function-level mode across many requests: for each kernel function, how many requests passed through
 * it, how often, and when on average relative to the request's start; listed in that order, which is
 * the path a typical request takes.
 */
public final class FunctionSummary {
    /** One function's line. */
    public record Row(String function, long requests, long hits, long meanOffsetNanos, long inIssuer) {
    }

    private static final class Totals {
        long requests;
        long hits;
        long inIssuer;
        double offsetSum;
        long lastRequest = -1;
    }

    private final Map<String, Totals> byFunction = new HashMap<>();
    private long requests;
    private long requestsWithPath;
    private long hitsLost;

    public void add(BlockRequest request) {
        long serial = requests++;
        if (request.functionPath().isEmpty() && request.functionHitsLost() == 0) {
            return;
        }
        requestsWithPath++;
        hitsLost += request.functionHitsLost();
        for (FunctionHit hit : request.functionPath()) {
            Totals totals = byFunction.computeIfAbsent(hit.function(), f -> new Totals());
            if (totals.lastRequest != serial) {
                totals.lastRequest = serial;
                totals.requests++;
            }
            totals.hits++;
            totals.offsetSum += hit.offsetNanos();
            if (hit.inIssuer()) {
                totals.inIssuer++;
            }
        }
    }

    /** Requests that came with a function path. */
    public long requestsWithPath() {
        return requestsWithPath;
    }

    /** Hits the kernel side could not keep because a request's path was full. */
    public long hitsLost() {
        return hitsLost;
    }

    /** Every function, by mean offset from the request's start. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        byFunction.forEach((function, t) -> rows.add(new Row(function, t.requests, t.hits,
                Math.round(t.offsetSum / t.hits), t.inIssuer)));
        rows.sort(Comparator.comparingLong(Row::meanOffsetNanos).thenComparing(Row::function));
        return rows;
    }
}
