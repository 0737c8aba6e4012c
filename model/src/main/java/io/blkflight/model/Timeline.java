package io.blkflight.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Requests over time in fixed intervals, per device (or per thread, or per file), as iostat and biotop show a disk:
 * requests and bytes per second by operation, requests in flight (the queue depth: mean over the interval and its
 * maximum) and latency percentiles. A request counts in the interval it completed in, as iostat counts it; it is in
 * flight from its submission (its first bio queued) to its completion, in every interval that time overlaps.
 *
 * <p>Requests come in the recording's order, which is not the order they started in; the view keeps 28 bytes per
 * request (start, end, bytes, group and operation; no object) and orders them once at the end, so the in-flight
 * counts are exact.
 */
public final class Timeline {
    /** What a series of the timeline is. */
    public enum By {
        DEVICE("device"), THREAD("thread"), FILE("file");

        private final String label;

        By(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** device, thread or file; IllegalArgumentException saying what is accepted. */
        public static By of(String text) {
            for (By by : values()) {
                if (by.label.equals(text)) {
                    return by;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not a grouping; accepted: device, thread, file");
        }
    }

    /**
     * One interval of a series.
     *
     * @param start        when it starts, epoch nanoseconds
     * @param reads        reads completed in it
     * @param writes       writes completed in it (zone appends too)
     * @param others       other requests completed in it: flushes, discards, write-zeroes, ...
     * @param readBytes    bytes the reads moved
     * @param writeBytes   bytes the writes moved
     * @param meanInFlight requests in flight, averaged over the interval's time
     * @param maxInFlight  the most requests in flight at any moment of the interval
     * @param p50          median latency of the requests completed in it, {@link BlockRequest#NOT_AVAILABLE} if none
     * @param p99          99th percentile, as p50
     * @param max          the slowest, as p50
     */
    public record Interval(long start, long reads, long writes, long others, long readBytes, long writeBytes,
                           double meanInFlight, int maxInFlight, long p50, long p99, long max) {
        public long requests() {
            return reads + writes + others;
        }
    }

    /** The intervals of one device, thread or file (or of the groups past the ones shown, together). */
    public record Series(String name, long requests, List<Interval> intervals) {
    }

    /** The most intervals a timeline holds; a longer one asks for a longer interval. */
    public static final int MAX_INTERVALS = 100_000;
    /** Names kept per view (threads, files); past them requests share one group. */
    private static final int MAX_GROUPS = 100_000;
    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int OTHER = 2;

    /** The interval; 0 until {@link #interval()} chooses one for a timeline made without. */
    private long interval;
    private final By by;
    private final GroupNames groups;
    private final LongColumn starts = new LongColumn();
    private final LongColumn ends = new LongColumn();
    private final LongColumn bytes = new LongColumn();
    /** Per request: its group's number, shifted left by 2, and its operation (READ, WRITE, OTHER). */
    private final IntColumn groupAndKind = new IntColumn();

    /** @param interval the length of an interval, nanoseconds (more than 0) */
    public Timeline(long interval, By by) {
        if (interval <= 0) {
            throw new IllegalArgumentException("an interval must be longer than 0");
        }
        this.interval = interval;
        this.by = by;
        this.groups = new GroupNames(MAX_GROUPS, "(other " + by.label() + "s past " + MAX_GROUPS + ")");
    }

    /**
     * A timeline whose interval is chosen when it is first read: a round one (1, 2 or 5 times a power of ten of
     * milliseconds, or seconds, minutes) that cuts the requests' span into at most {@code target} intervals.
     */
    public static Timeline automatic(By by, int target) {
        Timeline timeline = new Timeline(1, by);
        timeline.interval = -target;
        return timeline;
    }

    public void add(BlockRequest request) {
        String group = switch (by) {
            case DEVICE -> request.device();
            case THREAD -> RequestLabels.thread(request);
            case FILE -> RequestLabels.file(request);
        };
        int kind = request.operation().equals("read") ? READ : request.movesData() ? WRITE : OTHER;
        starts.add(request.start());
        ends.add(request.end());
        bytes.add(request.movesData() ? request.bytes() : 0);
        groupAndKind.add(groups.add(group) << 2 | kind);
    }

    public long interval() {
        if (interval < 0) {
            long span = 0;
            long origin = origin();
            for (int i = 0; i < ends.size(); i++) {
                span = Math.max(span, ends.get(i) - origin);
            }
            interval = roundInterval(span, (int) -interval);
        }
        return interval;
    }

    /** The shortest round interval (1, 2, 5 x 10^n ms down to 1 us, then 10 s, 30 s, 1, 2, 5, 10 m...) giving at most target intervals. */
    static long roundInterval(long span, int target) {
        long[] steps = {1, 2, 5};
        for (long decade = 1_000; ; decade *= 10) {
            for (long step : steps) {
                long candidate = step * decade;
                if (span / candidate + 1 <= target) {
                    return candidate;
                }
            }
        }
    }

    public By by() {
        return by;
    }

    public long requests() {
        return starts.size();
    }

    /** The start of the first interval: the earliest submission of the requests (epoch nanoseconds); 0 if none. */
    public long origin() {
        long origin = Long.MAX_VALUE;
        for (int i = 0; i < starts.size(); i++) {
            origin = Math.min(origin, starts.get(i));
        }
        return starts.size() == 0 ? 0 : origin;
    }

    /** How many intervals span the requests, from the first submission to the last completion; 0 if none. */
    public long intervals() {
        if (starts.size() == 0) {
            return 0;
        }
        long last = Long.MIN_VALUE;
        for (int i = 0; i < ends.size(); i++) {
            last = Math.max(last, ends.get(i));
        }
        return (last - origin()) / interval() + 1;
    }

    /** How many groups (devices, threads or files) the requests fall into. */
    public int groups() {
        return groups.size();
    }

    /**
     * The series of the groups with the most requests, at most {@code shown} of them, then one series of all the others
     * together (named "(N other threads)") when there are more. At most {@link #MAX_INTERVALS} intervals.
     */
    public List<Series> series(int shown) {
        long count = intervals();
        if (count > MAX_INTERVALS) {
            throw new IllegalStateException(count + " intervals; at most " + MAX_INTERVALS);
        }
        int[] ranked = groups.byRequests();
        int seriesCount = Math.min(shown, ranked.length) + (ranked.length > shown ? 1 : 0);
        int[] seriesOf = new int[ranked.length];
        for (int rank = 0; rank < ranked.length; rank++) {
            seriesOf[ranked[rank]] = Math.min(rank, shown);
        }
        List<Series> series = new ArrayList<>(seriesCount);
        long origin = origin();
        long interval = interval();
        for (int s = 0; s < seriesCount; s++) {
            String name;
            long requests = 0;
            if (s < shown) {
                name = groups.name(ranked[s]);
                requests = groups.requests(ranked[s]);
            } else {
                for (int rank = shown; rank < ranked.length; rank++) {
                    requests += groups.requests(ranked[rank]);
                }
                name = "(" + (ranked.length - shown) + " other " + by.label() + "s)";
            }
            series.add(new Series(name, requests, compute(s, seriesOf, origin, interval, (int) count)));
        }
        return series;
    }

    /** The intervals of one series: its requests' counts and latencies by completion, then a sweep for in flight. */
    private List<Interval> compute(int target, int[] seriesOf, long origin, long interval, int count) {
        int n = starts.size();
        int members = 0;
        for (int i = 0; i < n; i++) {
            if (seriesOf[groupAndKind.get(i) >>> 2] == target) {
                members++;
            }
        }
        long[] memberStarts = new long[members];
        long[] memberEnds = new long[members];
        int[] perInterval = new int[count + 1];
        long[][] counts = new long[3][count];
        long[][] moved = new long[2][count];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int code = groupAndKind.get(i);
            if (seriesOf[code >>> 2] != target) {
                continue;
            }
            memberStarts[m] = starts.get(i);
            memberEnds[m] = ends.get(i);
            m++;
            int at = (int) ((ends.get(i) - origin) / interval);
            int kind = code & 3;
            counts[kind][at]++;
            if (kind != OTHER) {
                moved[kind][at] += bytes.get(i);
            }
            perInterval[at + 1]++;
        }
        // Latencies grouped by the interval each request completed in (a counting sort), one histogram at a time.
        for (int k = 0; k < count; k++) {
            perInterval[k + 1] += perInterval[k];
        }
        long[] latencies = new long[members];
        int[] next = Arrays.copyOf(perInterval, count);
        for (int i = 0; i < n; i++) {
            if (seriesOf[groupAndKind.get(i) >>> 2] == target) {
                latencies[next[(int) ((ends.get(i) - origin) / interval)]++] = ends.get(i) - starts.get(i);
            }
        }
        Arrays.sort(memberStarts);
        Arrays.sort(memberEnds);
        List<Interval> intervals = new ArrayList<>(count);
        int started = 0;
        int ended = 0;
        int depth = 0;
        for (int k = 0; k < count; k++) {
            long from = origin + k * interval;
            long to = from + interval;
            long time = from;
            int highest = depth;
            double area = 0;
            // Ends before starts at the same moment: a request that completes as another is submitted leaves one in flight.
            while (true) {
                long nextStart = started < members ? memberStarts[started] : Long.MAX_VALUE;
                long nextEnd = ended < members ? memberEnds[ended] : Long.MAX_VALUE;
                long event = Math.min(nextStart, nextEnd);
                if (event >= to) {
                    break;
                }
                area += (double) depth * (event - time);
                time = event;
                if (nextEnd <= nextStart) {
                    depth--;
                    ended++;
                } else {
                    depth++;
                    started++;
                    highest = Math.max(highest, depth);
                }
            }
            area += (double) depth * (to - time);
            LatencyHistogram latency = new LatencyHistogram();
            for (int i = perInterval[k]; i < perInterval[k + 1]; i++) {
                latency.add(latencies[i]);
            }
            intervals.add(new Interval(from, counts[READ][k], counts[WRITE][k], counts[OTHER][k], moved[READ][k],
                    moved[WRITE][k], area / interval, highest, latency.percentile(50), latency.percentile(99), latency.max()));
        }
        return intervals;
    }
}
