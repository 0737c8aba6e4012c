package io.blkflight.jmc.widgets;

import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.Formats;
import io.blkflight.model.Timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The requests over the recording's time as JMC's own charts show a quantity: lanes on one time axis, each with its
 * name and scale on the left: requests/s (reads, writes, others stacked), MiB/s (read and write), requests in flight
 * (maximum and mean) and latency (p50, p99 and max of the requests completed, on a log scale), from the shared model's
 * {@link Timeline} (a request counts when it completes, and is in flight from submission to completion), one interval
 * per few pixels. Dragging across any lane selects the time range the page shows, a double click all of it again.
 */
final class TimelineChart {
    /** Receives a selected range of submission times, epoch nanoseconds, both included. */
    interface RangeListener {
        void rangeSelected(long from, long to);
    }

    /** The quantities, one lane each, top to bottom. */
    enum Lane {
        REQUESTS("requests/s"), BYTES("MiB/s"), IN_FLIGHT("in flight"), LATENCY("latency");

        private final String label;

        Lane(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private static final int MARGIN = 6;
    /** Room on the left for a lane's name and scale. */
    private static final int LABEL_WIDTH = 118;
    private static final int PIXELS_PER_INTERVAL = 3;
    /** SWT colors made from values hold no OS resource (nothing to dispose). */
    private static final Color SELECTED_RANGE = new Color(214, 228, 250);

    private final Canvas canvas;
    private List<RecordedRequest> requests = List.of();
    private long first;
    private long last;
    /** The end of the time axis: the end of the timeline's last interval. */
    private long axisEnd;
    private long from = Long.MIN_VALUE;
    private long to = Long.MAX_VALUE;
    private int dragStart = -1;
    private int dragNow = -1;
    private RangeListener listener = (a, b) -> {
    };
    /** The timeline of all the requests for the plot's width; recomputed when the width changes. */
    private Timeline timeline;
    private List<Timeline.Interval> intervals = List.of();
    private int computedFor = -1;

    TimelineChart(Composite parent) {
        canvas = new Canvas(parent, SWT.BORDER | SWT.DOUBLE_BUFFERED);
        canvas.setToolTipText("Requests/s, MiB/s, requests in flight and latency over time: drag to select a time range;"
                + " double-click for all of the recording");
        canvas.addPaintListener(e -> paint(e.gc));
        canvas.addListener(SWT.MouseDown, e -> {
            if (e.button == 1) {
                dragStart = e.x;
                dragNow = e.x;
            }
        });
        canvas.addListener(SWT.MouseMove, e -> {
            if (dragStart >= 0) {
                dragNow = e.x;
                canvas.redraw();
            }
        });
        canvas.addListener(SWT.MouseUp, e -> {
            if (dragStart >= 0 && Math.abs(e.x - dragStart) > 2) {
                long a = timeAt(Math.min(dragStart, e.x));
                long b = timeAt(Math.max(dragStart, e.x));
                dragStart = -1;
                select(a, b);
            } else {
                dragStart = -1;
            }
        });
        canvas.addListener(SWT.MouseDoubleClick, e -> select(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    Canvas control() {
        return canvas;
    }

    void onRange(RangeListener rangeListener) {
        this.listener = rangeListener;
    }

    /** All the requests of the recording, by submission time. */
    void show(List<RecordedRequest> all) {
        requests = all;
        first = all.stream().mapToLong(r -> r.request().start()).min().orElse(0);
        last = all.stream().mapToLong(r -> r.request().end()).max().orElse(0);
        from = Long.MIN_VALUE;
        to = Long.MAX_VALUE;
        computedFor = -1;
        canvas.redraw();
    }

    /** Selects a range (Long.MIN_VALUE and Long.MAX_VALUE for open ends) and tells the listener. */
    void select(long rangeFrom, long rangeTo) {
        from = rangeFrom;
        to = rangeTo;
        canvas.redraw();
        listener.rangeSelected(from, to);
    }

    /** The intervals the lanes draw (all devices together), for tests that check the chart holds the recording. */
    List<Timeline.Interval> intervals() {
        compute(plotWidth());
        return intervals;
    }

    /** Where the plot is: x of its left edge and its width, for tests that drag across it. */
    Rectangle plot() {
        Rectangle area = canvas.getClientArea();
        return new Rectangle(LABEL_WIDTH, 0, plotWidth(), area.height);
    }

    private int plotWidth() {
        return Math.max(1, canvas.getClientArea().width - LABEL_WIDTH - MARGIN);
    }

    private void compute(int width) {
        if (width == computedFor) {
            return;
        }
        computedFor = width;
        timeline = Timeline.automatic(Timeline.By.DEVICE, Math.max(1, width / PIXELS_PER_INTERVAL));
        for (RecordedRequest r : requests) {
            timeline.add(r.request());
        }
        // Every device in one series: the groups past the first 0 shown, together.
        intervals = timeline.requests() == 0 ? List.of() : timeline.series(0).get(0).intervals();
        axisEnd = intervals.isEmpty() ? last : first + intervals.size() * timeline.interval();
    }

    private long timeAt(int x) {
        compute(plotWidth());
        double share = Math.max(0, Math.min(1, (x - LABEL_WIDTH) / (double) plotWidth()));
        return first + Math.round(share * (axisEnd - first));
    }

    private int xAt(long time) {
        if (axisEnd == first) {
            return LABEL_WIDTH;
        }
        double share = (Math.max(first, Math.min(axisEnd, time)) - first) / (double) (axisEnd - first);
        return LABEL_WIDTH + (int) Math.round(share * plotWidth());
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        int width = plotWidth();
        compute(width);
        int line = gc.getFontMetrics().getHeight();
        boolean ranged = from != Long.MIN_VALUE || to != Long.MAX_VALUE;
        if (ranged || dragStart >= 0) {
            int x1 = dragStart >= 0 ? Math.min(dragStart, dragNow) : xAt(from);
            int x2 = dragStart >= 0 ? Math.max(dragStart, dragNow) : xAt(to);
            // A light blue of its own: the theme's tooltip background, which the strip used, is black under some themes.
            gc.setBackground(SELECTED_RANGE);
            gc.fillRectangle(x1, line + 2, Math.max(1, x2 - x1), area.height - line - 2);
        }
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        String range = ranged ? "selected " + Formats.timeOfDay(Math.max(first, from)) + " to " + Formats.timeOfDay(Math.min(last, to))
                : "all of the recording: " + Formats.timeOfDay(first) + " to " + Formats.timeOfDay(last) + " UTC";
        gc.drawText("Requests over time, per " + (timeline == null || timeline.requests() == 0 ? "-"
                : Formats.nanos(timeline.interval())) + " (drag to select a range), " + range, MARGIN, 1, true);
        if (intervals.isEmpty()) {
            return;
        }
        int top = line + 4;
        int laneHeight = Math.max(line + 4, (area.height - top - 2) / Lane.values().length);
        double xStep = (double) width / intervals.size();
        double seconds = timeline.interval() / 1e9;
        Color grid = canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_LIGHT_SHADOW);
        for (Lane lane : Lane.values()) {
            int laneTop = top + lane.ordinal() * laneHeight;
            int bottom = laneTop + laneHeight - 3;
            int height = bottom - laneTop - 2;
            gc.setForeground(grid);
            gc.drawLine(LABEL_WIDTH, bottom, LABEL_WIDTH + width, bottom);
            double highest = highest(lane, seconds);
            gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
            gc.drawText(lane.label(), MARGIN, laneTop, true);
            gc.drawText(scale(lane, highest), MARGIN, laneTop + line - 2, true);
            for (int k = 0; k < intervals.size(); k++) {
                Timeline.Interval i = intervals.get(k);
                int x = LABEL_WIDTH + (int) Math.round(k * xStep);
                int w = Math.max(1, (int) Math.round((k + 1) * xStep) - (int) Math.round(k * xStep) - 1);
                drawInterval(gc, lane, i, x, w, bottom, height, highest, seconds);
            }
        }
    }

    private void drawInterval(GC gc, Lane lane, Timeline.Interval i, int x, int w, int bottom, int height, double highest,
                              double seconds) {
        switch (lane) {
            case REQUESTS -> {
                int y = bottom;
                for (long[] part : new long[][] {{i.reads(), SWT.COLOR_DARK_BLUE}, {i.writes(), SWT.COLOR_DARK_RED},
                        {i.others(), SWT.COLOR_DARK_GRAY}}) {
                    int h = scaled(part[0] / seconds, highest, height);
                    if (h > 0) {
                        gc.setBackground(canvas.getDisplay().getSystemColor((int) part[1]));
                        gc.fillRectangle(x, y - h, w, h);
                        y -= h;
                    }
                }
            }
            case BYTES -> {
                int read = scaled(i.readBytes() / seconds / (1 << 20), highest, height);
                int write = scaled(i.writeBytes() / seconds / (1 << 20), highest, height);
                bar(gc, SWT.COLOR_DARK_BLUE, x, w, bottom, read);
                bar(gc, SWT.COLOR_DARK_RED, x, Math.max(1, w / 2), bottom, write);
            }
            case IN_FLIGHT -> {
                bar(gc, SWT.COLOR_GRAY, x, w, bottom, scaled(i.maxInFlight(), highest, height));
                bar(gc, SWT.COLOR_DARK_GREEN, x, w, bottom, scaled(i.meanInFlight(), highest, height));
            }
            case LATENCY -> {
                if (i.max() == BlockRequest.NOT_AVAILABLE) {
                    return;
                }
                bar(gc, SWT.COLOR_GRAY, x, w, bottom, logScaled(i.max(), highest, height));
                bar(gc, SWT.COLOR_DARK_MAGENTA, x, w, bottom, logScaled(i.p99(), highest, height));
                bar(gc, SWT.COLOR_DARK_CYAN, x, w, bottom, logScaled(i.p50(), highest, height));
            }
            default -> {
            }
        }
    }

    private void bar(GC gc, int color, int x, int w, int bottom, int h) {
        if (h > 0) {
            gc.setBackground(canvas.getDisplay().getSystemColor(color));
            gc.fillRectangle(x, bottom - h, w, h);
        }
    }

    /** The top of a lane's scale: the highest value of its quantity (latency: the slowest request). */
    private double highest(Lane lane, double seconds) {
        double highest = 0;
        for (Timeline.Interval i : intervals) {
            highest = Math.max(highest, switch (lane) {
                case REQUESTS -> i.requests() / seconds;
                case BYTES -> Math.max(i.readBytes(), i.writeBytes()) / seconds / (1 << 20);
                case IN_FLIGHT -> i.maxInFlight();
                case LATENCY -> i.max() == BlockRequest.NOT_AVAILABLE ? 0 : i.max();
            });
        }
        return highest;
    }

    private static String scale(Lane lane, double highest) {
        return switch (lane) {
            case REQUESTS -> "max " + Formats.count(Math.round(highest));
            case BYTES -> String.format(Locale.ROOT, "max %.1f", highest);
            case IN_FLIGHT -> "max " + Math.round(highest);
            case LATENCY -> "log, max " + Formats.nanos((long) highest);
        };
    }

    private static int scaled(double value, double highest, int height) {
        return highest <= 0 || value <= 0 ? 0 : Math.max(1, (int) Math.round(height * value / highest));
    }

    /** Latency on a log scale from 1 us (the lane's bottom) to the slowest request (its top). */
    private static int logScaled(long nanos, double highest, int height) {
        double low = Math.log10(1_000);
        double top = Math.log10(Math.max(highest, 10_000));
        double value = Math.log10(Math.max(nanos, 1_000));
        return value <= low ? 1 : (int) Math.round(height * (value - low) / (top - low));
    }

    /** What the lanes show, named, for tests: each lane's highest value. */
    List<String> scales() {
        compute(plotWidth());
        List<String> scales = new ArrayList<>();
        double seconds = timeline == null || timeline.requests() == 0 ? 1 : timeline.interval() / 1e9;
        for (Lane lane : Lane.values()) {
            scales.add(lane.label() + " " + scale(lane, highest(lane, seconds)));
        }
        return scales;
    }
}
