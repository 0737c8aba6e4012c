package io.blkflight.jmc.widgets;

import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.graphics.Transform;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The latency histogram of the selected requests in power-of-two microsecond buckets, the report's (and
 * biolatency's) buckets: one bar per range [2^k, 2^(k+1)) us, its count above it, from the first bucket
 * that holds a request to the last.
 *
 * <p>Counts too wide for their bars are shortened or drawn upwards, so that each stays over its own bar and
 * all are drawn for bars as wide as a line (12 buckets in the width JMC leaves the chart); a bar's
 * tooltip has its count in full. The unit has its own room at the end of the axis.
 */
final class LatencyChart {
    private static final long MICROSECOND = 1_000;
    static final String UNIT = "us";
    private static final int MARGIN = 6;
    /** Space between two texts, and between a text and what it labels. */
    private static final int GAP = 4;

    /** A text the chart draws, and the rectangle it covers; a vertical text reads upwards. */
    record Text(String text, Rectangle bounds, boolean vertical) {
        Text(String text, Rectangle bounds) {
            this(text, bounds, false);
        }
    }

    /**
     * Where the chart draws everything in the area of its canvas: the title, one bar and one count per bucket
     * from the first that holds a request to the last (bucket {@code first + i} at index i, its count null when
     * empty), the bucket labels it has room for, and the unit.
     */
    record Layout(Rectangle area, Text title, int first, List<Rectangle> bars, List<Text> counts, List<Text> buckets, Text unit) {
        /** Every text drawn. */
        List<Text> texts() {
            List<Text> texts = new ArrayList<>(List.of(title));
            counts.stream().filter(count -> count != null).forEach(texts::add);
            texts.addAll(buckets);
            if (unit != null) {
                texts.add(unit);
            }
            return texts;
        }
    }

    private final Canvas canvas;
    private long[] counts = new long[0];
    private long requests;

    LatencyChart(Composite parent) {
        canvas = new Canvas(parent, SWT.BORDER | SWT.DOUBLE_BUFFERED);
        canvas.addPaintListener(e -> paint(e.gc));
        TextFit.showToolTips(canvas, this::toolTipAt);
    }

    Canvas control() {
        return canvas;
    }

    void show(LatencyHistogram latency) {
        counts = latency.powersOfTwo(MICROSECOND);
        requests = latency.count();
        canvas.redraw();
    }

    /** Requests per bucket, the first bucket also counting those under a microsecond. */
    long[] counts() {
        return counts.clone();
    }

    /** The layout of the canvas as it is now. */
    Layout layout() {
        GC gc = new GC(canvas);
        try {
            return layout(counts, requests, canvas.getClientArea(), gc::textExtent);
        } finally {
            gc.dispose();
        }
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        Layout layout = layout(counts, requests, area, gc::textExtent);
        draw(gc, layout.title());
        if (layout.bars().isEmpty()) {
            gc.drawText("no requests selected", MARGIN, layout.title().bounds().y + layout.title().bounds().height, true);
            return;
        }
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_DARK_CYAN));
        for (Rectangle bar : layout.bars()) {
            if (bar.height > 0) {
                gc.fillRectangle(bar);
            }
        }
        Rectangle firstBar = layout.bars().get(0);
        Rectangle lastBar = layout.bars().get(layout.bars().size() - 1);
        int axis = firstBar.y + firstBar.height;
        gc.drawLine(firstBar.x - 1, axis, lastBar.x + lastBar.width + 1, axis);
        layout.texts().forEach(text -> draw(gc, text));
    }

    private static void draw(GC gc, Text text) {
        if (!text.vertical()) {
            gc.drawText(text.text(), text.bounds().x, text.bounds().y, true);
            return;
        }
        Transform upwards = new Transform(gc.getDevice());
        try {
            upwards.translate(text.bounds().x, text.bounds().y + text.bounds().height);
            upwards.rotate(-90);
            gc.setTransform(upwards);
            gc.drawText(text.text(), 0, 0, true);
        } finally {
            gc.setTransform(null);
            upwards.dispose();
        }
    }

    /** Lays the histogram out in the area, measuring texts with extent. */
    static Layout layout(long[] counts, long requests, Rectangle area, Function<String, Point> extent) {
        int line = extent.apply("0").y;
        int right = area.x + area.width - MARGIN;
        String title = "Latency, submission to completion (" + Formats.count(requests) + " requests)";
        if (extent.apply(title).x > right - area.x - MARGIN) {
            title = "Latency (" + Formats.count(requests) + " requests)";
        }
        Text titleText = text(title, area.x + MARGIN, area.y + GAP, extent);
        int first = IntStream.range(0, counts.length).filter(k -> counts[k] > 0).findFirst().orElse(-1);
        if (first < 0) {
            return new Layout(area, titleText, 0, List.of(), List.of(), List.of(), null);
        }
        int last = IntStream.range(0, counts.length).filter(k -> counts[k] > 0).max().getAsInt();
        int n = last - first + 1;

        // Bucket labels are centred under their bars, so the first and last stick out by half of what they
        // are wider than a bar: the room for that, and for the unit after the axis, is taken off the bars'.
        Point unitSize = extent.apply(UNIT);
        int firstLabel = extent.apply(bucketLabel(first)).x;
        int lastLabel = extent.apply(bucketLabel(last)).x;
        int slot = Math.max(1, (right - area.x - MARGIN - GAP - unitSize.x) / n);
        int left = area.x + MARGIN;
        for (int pass = 0; pass < 3; pass++) {
            int before = Math.max(0, (firstLabel - slot + 1) / 2);
            int after = Math.max(0, (lastLabel - slot + 1) / 2);
            left = area.x + MARGIN + before;
            slot = Math.max(1, (right - left - after - GAP - unitSize.x) / n);
        }

        // Bucket labels in a first row, those that would touch the one before them in a second, the rest left out.
        int[] row = new int[n];
        Rectangle[] bucketBounds = new Rectangle[n];
        int[] rowEnd = {Integer.MIN_VALUE, Integer.MIN_VALUE};
        for (int i = 0; i < n; i++) {
            Point size = extent.apply(bucketLabel(first + i));
            int x = left + i * slot + (slot - size.x) / 2;
            row[i] = x >= rowEnd[0] + GAP ? 0 : x >= rowEnd[1] + GAP ? 1 : -1;
            if (row[i] >= 0) {
                rowEnd[row[i]] = x + size.x;
                bucketBounds[i] = new Rectangle(x, 0, size.x, size.y);
            }
        }
        int rows = rowEnd[1] == Integer.MIN_VALUE ? 1 : 2;
        int bottom = area.y + area.height - MARGIN - rows * line - 2;
        List<Text> buckets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (bucketBounds[i] != null) {
                bucketBounds[i].y = bottom + 2 + row[i] * line;
                buckets.add(new Text(bucketLabel(first + i), bucketBounds[i]));
            }
        }
        int unitX = Math.max(left + n * slot + GAP, rowEnd[0] + GAP);
        Text unit = new Text(UNIT, new Rectangle(unitX, bottom + 2, unitSize.x, unitSize.y));

        // Counts go across their bars when all fit in them, shortened if need be (12K for 12,345), else up
        // their bars in full: a line is narrower than most counts are wide.
        String[] labels = countLabels(counts, first, n, Formats::count);
        boolean vertical = !fitAcross(labels, slot, extent);
        if (vertical && fitAcross(countLabels(counts, first, n, LatencyChart::shortCount), slot, extent)) {
            labels = countLabels(counts, first, n, LatencyChart::shortCount);
            vertical = false;
        }

        // The bars reach as high as the counts leave room for under the title: start with a line for the
        // tallest bar's count and lower the bars until no count runs into the title.
        int ceiling = titleText.bounds().y + titleText.bounds().height + GAP / 2;
        int top = ceiling + line + GAP / 2;
        List<Rectangle> bars = List.of();
        Text[] countTexts = new Text[n];
        for (int attempt = 0; attempt < 8; attempt++) {
            bars = bars(counts, first, n, left, slot, top, bottom);
            int highest = placeCounts(labels, vertical, bars, area, extent, countTexts);
            if (highest >= ceiling || bottom - top <= line) {
                break;
            }
            top += ceiling - highest;
        }
        return new Layout(area, titleText, first, bars, Arrays.asList(countTexts), buckets, unit);
    }

    /** The label of each bucket's count in the form, null for an empty bucket. */
    private static String[] countLabels(long[] counts, int first, int n, LongFunction<String> form) {
        return IntStream.range(first, first + n).mapToObj(k -> counts[k] == 0 ? null : form.apply(counts[k])).toArray(String[]::new);
    }

    /** Whether each label fits across a bar's slot with a gap to the next. */
    private static boolean fitAcross(String[] labels, int slot, Function<String, Point> extent) {
        return Arrays.stream(labels).allMatch(label -> label == null || extent.apply(label).x + GAP <= slot);
    }

    private static List<Rectangle> bars(long[] counts, int first, int n, int left, int slot, int top, int bottom) {
        long highest = Arrays.stream(counts).max().getAsLong();
        List<Rectangle> bars = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long count = counts[first + i];
            int height = count == 0 ? 0 : (int) Math.max(1, Math.round((double) (bottom - top) * count / highest));
            bars.add(new Rectangle(left + i * slot + 1, bottom - height, Math.max(1, slot - 2), height));
        }
        return bars;
    }

    /**
     * Places each count right above its bar, the tallest bars' first. Where bars are narrower than a line, a
     * count that would cover a neighbour's bar or touch a count already placed is left out (a count lifted
     * above it would seem to be the neighbour's): the bar's tooltip has it. Returns the top of the highest count.
     */
    private static int placeCounts(String[] labels, boolean vertical, List<Rectangle> bars, Rectangle area,
            Function<String, Point> extent, Text[] placed) {
        Arrays.fill(placed, null);
        int highest = Integer.MAX_VALUE;
        List<Integer> order = IntStream.range(0, bars.size()).filter(i -> labels[i] != null).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> bars.get(i).y).thenComparing(i -> i)).toList();
        for (int i : order) {
            Point text = extent.apply(labels[i]);
            Point size = vertical ? new Point(text.y, text.x) : text;
            Rectangle bar = bars.get(i);
            int x = Math.max(area.x + MARGIN, Math.min(area.x + area.width - MARGIN - size.x, bar.x + (bar.width - size.x) / 2));
            Rectangle bounds = new Rectangle(x, bar.y - GAP / 2 - size.y, size.x, size.y);
            if (bars.stream().noneMatch(other -> other.height > 0 && other.intersects(bounds)) && topOfTouched(bounds, placed).isEmpty()) {
                placed[i] = new Text(labels[i], bounds, vertical);
                highest = Math.min(highest, bounds.y);
            }
        }
        return highest;
    }

    /** A count in at most four characters: 999, 1.2K, 12K, 123K, 1.2M, ... */
    static String shortCount(long count) {
        String[] units = {"", "K", "M", "G"};
        double value = count;
        int unit = 0;
        while (value >= 999.5 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? Long.toString(count)
                : value < 9.95 ? String.format(Locale.ROOT, "%.1f%s", value, units[unit]) : Math.round(value) + units[unit];
    }

    /** The tooltip of the bar under the point: its bucket as the report prints it, and its requests. */
    private String toolTipAt(Point point) {
        Layout layout = layout();
        for (int i = 0; i < layout.bars().size(); i++) {
            Rectangle bar = layout.bars().get(i);
            if (point.x >= bar.x - 1 && point.x <= bar.x + bar.width && point.y <= bar.y + bar.height) {
                int k = layout.first() + i;
                long low = k == 0 ? 0 : 1L << k;
                return low + " -> " + ((1L << (k + 1)) - 1) + " " + UNIT + ": " + Formats.count(counts[k]) + " requests";
            }
        }
        return null;
    }

    /** The top of the highest text placed that the bounds touch, if any. */
    private static OptionalInt topOfTouched(Rectangle bounds, Text[] placed) {
        return Arrays.stream(placed).filter(other -> other != null && touches(bounds, other.bounds())).mapToInt(t -> t.bounds().y).min();
    }

    /** Whether two texts overlap or stand side by side with no pixel between them. */
    private static boolean touches(Rectangle a, Rectangle b) {
        return a.x <= b.x + b.width && b.x <= a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    }

    private static Text text(String text, int x, int y, Function<String, Point> extent) {
        Point size = extent.apply(text);
        return new Text(text, new Rectangle(x, y, size.x, size.y));
    }

    /** The lower bound of bucket k in microseconds: 0, 2, 4, 8, ..., 1K, 2K, ... */
    static String bucketLabel(int k) {
        if (k == 0) {
            return "0";
        }
        long low = 1L << k;
        return low >= 1 << 20 ? (low >> 20) + "M" : low >= 1 << 10 ? (low >> 10) + "K" : Long.toString(low);
    }
}
