package io.blkflight.jmc.widgets;

import io.blkflight.model.LatencyHistogram;

import java.util.Arrays;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The latency histogram of the selected requests in power-of-two microsecond buckets, the report's (and
 * biolatency's) buckets: one bar per range [2^k, 2^(k+1)) us, its count above it.
 */
final class LatencyChart {
    private static final long MICROSECOND = 1_000;

    private final Canvas canvas;
    private long[] counts = new long[0];
    private long requests;

    LatencyChart(Composite parent) {
        canvas = new Canvas(parent, SWT.BORDER | SWT.DOUBLE_BUFFERED);
        canvas.addPaintListener(e -> paint(e.gc));
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

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        int line = gc.getFontMetrics().getHeight();
        gc.drawText("Latency, submission to completion (" + requests + " requests)", 6, 4, true);
        long highest = Arrays.stream(counts).max().orElse(0);
        if (highest == 0) {
            gc.drawText("no requests selected", 6, 4 + line, true);
            return;
        }
        int top = 8 + 2 * line;
        int bottom = area.height - 2 * line - 6;
        int slot = Math.max(8, (area.width - 12) / counts.length);
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_DARK_CYAN));
        for (int k = 0; k < counts.length; k++) {
            int x = 6 + k * slot;
            int height = (int) Math.round((double) (bottom - top) * counts[k] / highest);
            if (counts[k] > 0) {
                gc.fillRectangle(x + 1, bottom - Math.max(1, height), slot - 2, Math.max(1, height));
                String count = Long.toString(counts[k]);
                Point size = gc.textExtent(count);
                if (size.x <= slot) {
                    gc.drawText(count, x + (slot - size.x) / 2, bottom - Math.max(1, height) - line, true);
                }
            }
            String bucket = bucketLabel(k);
            Point size = gc.textExtent(bucket);
            if (size.x <= slot || k % 2 == 0) {
                gc.drawText(bucket, x + (slot - size.x) / 2, bottom + 2 + (size.x > slot ? line * (k % 4 / 2) : 0), true);
            }
        }
        gc.drawLine(6, bottom, 6 + counts.length * slot, bottom);
        gc.drawText("us", 6 + counts.length * slot + 4, bottom + 2, true);
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
