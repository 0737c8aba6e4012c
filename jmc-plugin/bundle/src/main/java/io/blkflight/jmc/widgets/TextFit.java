package io.blkflight.jmc.widgets;

import java.util.Objects;
import java.util.function.Function;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Listener;

/**
 * Column widths from the text a column shows, and tooltips for the texts that still do not fit. The trees
 * and the table size their columns this way rather than in fixed pixels because JMC gives a page about 1000
 * pixels, and fonts differ between systems.
 */
final class TextFit {
    /** Room a cell leaves around its text (GTK 3 leaves 8 pixels), with some air. */
    static final int CELL_PADDING = 10;
    /** Room a column header leaves around its text (GTK 3 leaves 17 pixels), with some air. */
    static final int HEADER_PADDING = 18;

    private TextFit() {
    }

    /** The width a column of the control needs for its header, in bold as GTK 3 draws headers. */
    static int header(Control control, String text) {
        FontData[] bold = control.getFont().getFontData();
        for (FontData data : bold) {
            data.setStyle(data.getStyle() | SWT.BOLD);
        }
        Font font = new Font(control.getDisplay(), bold);
        GC gc = new GC(control);
        try {
            gc.setFont(font);
            return gc.textExtent(text).x + HEADER_PADDING;
        } finally {
            gc.dispose();
            font.dispose();
        }
    }

    /** The width a column needs for a cell's text. */
    static int cell(GC gc, String text) {
        return gc.textExtent(text).x + CELL_PADDING;
    }

    /** Whether text drawn from textX in the control's font ends after right, the end of its cell. */
    static boolean cut(Control control, String text, int textX, int right) {
        GC gc = new GC(control);
        try {
            return textX + gc.textExtent(text).x > right;
        } finally {
            gc.dispose();
        }
    }

    /** Shows the tooltip that toolTipAt gives for the point under the mouse (none for null). */
    static void showToolTips(Control control, Function<Point, String> toolTipAt) {
        Listener listener = e -> {
            String text = e.type == SWT.MouseExit ? null : toolTipAt.apply(new Point(e.x, e.y));
            // Setting the same text again would restart the tooltip's delay on every mouse move.
            if (!Objects.equals(text, control.getToolTipText())) {
                control.setToolTipText(text);
            }
        };
        control.addListener(SWT.MouseMove, listener);
        control.addListener(SWT.MouseExit, listener);
    }
}
