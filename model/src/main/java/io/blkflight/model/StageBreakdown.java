package io.blkflight.model;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where the time of a group of requests went between the stages, as blktrace's btt breaks it down:
 * Q2G submission to request allocation, G2I allocation to scheduler insert, I2D insert to dispatch,
 * G2D allocation to dispatch for requests never inserted, D2C dispatch to completion, Q2C all of it.
 */
public final class StageBreakdown {
    /** The intervals, in lifecycle order. */
    public enum Interval {
        Q2G("submit to alloc"),
        G2I("alloc to insert"),
        I2D("insert to issue"),
        G2D("alloc to issue, no insert"),
        D2C("issue to complete"),
        Q2C("submit to complete");

        private final String meaning;

        Interval(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }
    }

    private final Map<Interval, LatencyHistogram> intervals = new EnumMap<>(Interval.class);

    public StageBreakdown() {
        for (Interval interval : Interval.values()) {
            intervals.put(interval, new LatencyHistogram());
        }
    }

    public void add(BlockRequest request) {
        long na = BlockRequest.NOT_AVAILABLE;
        long alloc = request.allocationTime();
        long insert = request.insertTime();
        long queue = request.queueTime();
        if (alloc != na) {
            intervals.get(Interval.Q2G).add(alloc);
        }
        if (insert != na) {
            if (alloc != na) {
                intervals.get(Interval.G2I).add(insert - alloc);
            }
            if (queue != na) {
                intervals.get(Interval.I2D).add(queue - insert);
            }
        } else if (alloc != na && queue != na) {
            intervals.get(Interval.G2D).add(queue - alloc);
        }
        if (request.serviceTime() != na) {
            intervals.get(Interval.D2C).add(request.serviceTime());
        }
        intervals.get(Interval.Q2C).add(request.duration());
    }

    public LatencyHistogram get(Interval interval) {
        return intervals.get(interval);
    }
}
