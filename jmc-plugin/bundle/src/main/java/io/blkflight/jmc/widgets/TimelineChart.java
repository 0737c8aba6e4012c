package io.blkflight.jmc.widgets;

import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.model.Formats;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * Requests over the recording's time, as a strip of bars; dragging across it selects the time range the
 * page shows, a double click selects all of it again.
 */
final class TimelineChart {
    /** Receives a selected range of submission times, epoch nanoseconds, both included. */
    interface RangeListener {
        void rangeSelected(long from, long to);
    }

    private static final int MARGIN = 6;

    private final Canvas canvas;
    private List<RecordedRequest> requests = List.of();
    private long first;
    private long last;
    private long from = Long.MIN_VALUE;
    private long to = Long.MAX_VALUE;
    private int dragStart = -1;
    private int dragNow = -1;
    private RangeListener listener = (a, b) -> {
    };

    TimelineChart(Composite parent) {
        canvas = new Canvas(parent, SWT.BORDER | SWT.DOUBLE_BUFFERED);
        canvas.setToolTipText("Drag to select a time range; double-click for all of the recording");
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
        first = all.isEmpty() ? 0 : all.get(0).request().start();
        last = all.isEmpty() ? 0 : all.get(all.size() - 1).request().start();
        from = Long.MIN_VALUE;
        to = Long.MAX_VALUE;
        canvas.redraw();
    }

    /** Selects a range (Long.MIN_VALUE and Long.MAX_VALUE for open ends) and tells the listener. */
    void select(long rangeFrom, long rangeTo) {
        from = rangeFrom;
        to = rangeTo;
        canvas.redraw();
        listener.rangeSelected(from, to);
    }

    private long timeAt(int x) {
        int width = Math.max(1, canvas.getClientArea().width - 2 * MARGIN);
        double share = Math.max(0, Math.min(1, (x - MARGIN) / (double) width));
        return first + Math.round(share * (last - first));
    }

    private int xAt(long time, int width) {
        if (last == first) {
            return MARGIN;
        }
        double share = (Math.max(first, Math.min(last, time)) - first) / (double) (last - first);
        return MARGIN + (int) Math.round(share * width);
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        int width = Math.max(1, area.width - 2 * MARGIN);
        int line = gc.getFontMetrics().getHeight();
        int bottom = area.height - 4;
        int top = line + 6;
        int columns = Math.max(1, width / 3);
        long[] counts = new long[columns];
        long highest = 0;
        for (RecordedRequest r : requests) {
            int column = last == first ? 0 : (int) Math.min(columns - 1, (r.request().start() - first) * columns / (last - first + 1));
            highest = Math.max(highest, ++counts[column]);
        }
        boolean ranged = from != Long.MIN_VALUE || to != Long.MAX_VALUE;
        if (ranged || dragStart >= 0) {
            int x1 = dragStart >= 0 ? Math.min(dragStart, dragNow) : xAt(from, width);
            int x2 = dragStart >= 0 ? Math.max(dragStart, dragNow) : xAt(to, width);
            gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_INFO_BACKGROUND));
            gc.fillRectangle(x1, 0, Math.max(1, x2 - x1), area.height);
        }
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_DARK_BLUE));
        for (int c = 0; c < columns && highest > 0; c++) {
            int height = (int) Math.round((double) (bottom - top) * counts[c] / highest);
            if (counts[c] > 0) {
                gc.fillRectangle(MARGIN + c * 3, bottom - Math.max(1, height), 2, Math.max(1, height));
            }
        }
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        String range = ranged ? "selected " + Formats.timeOfDay(Math.max(first, from)) + " to " + Formats.timeOfDay(Math.min(last, to))
                : "all of the recording: " + Formats.timeOfDay(first) + " to " + Formats.timeOfDay(last) + " UTC";
        gc.drawText("Requests over time (drag to select a range), " + range, MARGIN, 2, true);
    }
}
