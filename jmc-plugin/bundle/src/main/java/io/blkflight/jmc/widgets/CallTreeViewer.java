package io.blkflight.jmc.widgets;

import io.blkflight.model.CallTree;
import io.blkflight.model.Formats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;

/**
 * A {@link CallTree} in an SWT tree with the report's columns: per frame the requests through it, their
 * bytes, latency p50/p99/max and the stages seen in it (Q submit, I insert, D issue, C complete), the
 * frames where a stage's tracepoint fired marked with the stage. Selecting a frame reports its path.
 *
 * <p>The number columns are as wide as their widest value (measured on every node, collapsed ones too, so
 * opening a frame never cuts a number) and the frame column takes the rest: a page inside JMC is about 1000
 * pixels wide, and a frame column of fixed width pushed the numbers out of sight. When the tree is too
 * narrow for all of them beside a readable frame column, the least important numbers are hidden (width 0)
 * rather than cut; the tooltip of a frame gives its full name and every number.
 */
final class CallTreeViewer {
    /** How deep the hot path (the child with the most requests, at each level) is opened. */
    private static final int OPEN_DEPTH = 64;
    /** Numbers are hidden before the frame column gets narrower than this. */
    static final int MIN_FRAME_WIDTH = 200;

    /**
     * A number column; {@code rank} orders which numbers stay when not all fit (0 stays longest), and
     * {@code inToolTip} formats its value for the frame's tooltip.
     */
    private record Metric(String name, String toolTip, int rank, int style, String inToolTip, Function<CallTree.Node, String> value) {
    }

    // "~": a kernel frame's count estimated from sampled stacks (stacks=N/s), as the report prints it.
    private static final Metric REQUESTS = new Metric("Requests", "Block requests through the frame (~: estimated from"
            + " the sampled requests' kernel stacks)", 0, SWT.RIGHT, "%s requests",
            node -> (node.estimated() ? "~" : "") + Formats.count(node.requests()));
    private static final List<Metric> LATENCIES = List.of(
            new Metric("Bytes", "Bytes those requests transferred (~: estimated)", 2, SWT.RIGHT, "%s",
                    node -> (node.estimated() ? "~" : "") + Formats.bytes(node.bytes())),
            new Metric("p50", "Median latency of those requests, submission to completion", 4, SWT.RIGHT, "p50 %s",
                    node -> Formats.nanos(node.latency().percentile(50))),
            new Metric("p99", "99th percentile of their latency", 1, SWT.RIGHT, "p99 %s",
                    node -> Formats.nanos(node.latency().percentile(99))),
            new Metric("Max", "Their longest latency", 3, SWT.RIGHT, "max %s", node -> Formats.nanos(node.latency().max())));
    private static final Metric STAGES = new Metric("QIDC",
            "Stages seen in the frame: Q submit, I insert, D issue, C complete ('.' where not seen)", 5, SWT.CENTER, "stages %s",
            node -> Formats.stages(node.stages()));

    private final Tree tree;
    private final List<Metric> metrics;
    /** Indices of {@link #metrics} by rank. */
    private final int[] byRank;
    /** Per number column, the width its header needs, and the width its header and its widest value need. */
    private final int[] headers;
    private final int[] needed;
    private final int frameHeaderWidth;
    private Consumer<List<String>> selectionListener = path -> {
    };

    /**
     * A tree whose frame column has the name and tooltip; {@code stages} adds the QIDC column, which a tree of
     * Java frames only would leave empty (stages are seen in kernel frames, and in Java frames put on top of them).
     */
    CallTreeViewer(Composite parent, String frameColumn, String frameToolTip, boolean stages) {
        tree = new Tree(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        tree.setHeaderVisible(true);
        tree.setLinesVisible(true);
        List<Metric> columns = new ArrayList<>(List.of(REQUESTS));
        columns.addAll(LATENCIES);
        if (stages) {
            columns.add(STAGES);
        }
        metrics = List.copyOf(columns);
        byRank = IntStream.range(0, metrics.size()).boxed().sorted(Comparator.comparingInt(i -> metrics.get(i).rank()))
                .mapToInt(Integer::intValue).toArray();
        column(frameColumn, frameToolTip, SWT.LEFT);
        for (Metric metric : metrics) {
            column(metric.name(), metric.toolTip(), metric.style());
        }
        frameHeaderWidth = TextFit.header(tree, frameColumn);
        headers = metrics.stream().mapToInt(metric -> TextFit.header(tree, metric.name())).toArray();
        needed = headers.clone();
        tree.addListener(SWT.Selection, e -> selectionListener.accept(selectedPath()));
        tree.addListener(SWT.Resize, e -> fitColumns());
        TextFit.showToolTips(tree, this::toolTipAt);
    }

    private void column(String name, String toolTip, int style) {
        TreeColumn column = new TreeColumn(tree, style);
        column.setText(name);
        column.setToolTipText(toolTip);
    }

    Tree control() {
        return tree;
    }

    void onSelection(Consumer<List<String>> listener) {
        this.selectionListener = listener;
    }

    /**
     * Shows the tree, its root as the first row; {@code rest}, when not null, names a last row for the root's
     * requests that no child holds (the requests not linked to a Java stack, in the Java tree).
     */
    void show(CallTree callTree, String rootLabel, String rest) {
        tree.setRedraw(false);
        GC gc = new GC(tree);
        try {
            Widths widest = new Widths(gc, metrics.size());
            tree.removeAll();
            TreeItem root = new TreeItem(tree, SWT.NONE);
            fill(root, callTree.root(), rootLabel, widest);
            for (CallTree.Node child : callTree.root().children()) {
                add(root, child, widest);
            }
            long held = callTree.root().children().stream().mapToLong(CallTree.Node::requests).sum();
            if (rest != null && callTree.root().requests() > held) {
                TreeItem item = new TreeItem(root, SWT.NONE);
                item.setText(0, rest);
                item.setText(1, Formats.count(callTree.root().requests() - held));
            }
            for (int i = 0; i < metrics.size(); i++) {
                needed[i] = Math.max(headers[i], widest.cell(i));
            }
            openHotPath(root, 0);
            fitColumns();
        } finally {
            gc.dispose();
            tree.setRedraw(true);
        }
    }

    private void add(TreeItem parent, CallTree.Node node, Widths widest) {
        TreeItem item = new TreeItem(parent, SWT.NONE);
        fill(item, node, label(node), widest);
        for (CallTree.Node child : node.children()) {
            add(item, child, widest);
        }
    }

    private static String label(CallTree.Node node) {
        return node.frame() + (node.sites().isEmpty() ? "" : "  <- " + String.join(" ",
                node.sites().stream().map(stage -> stage.label()).toList()));
    }

    private void fill(TreeItem item, CallTree.Node node, String label, Widths widest) {
        item.setData(node);
        String[] texts = new String[metrics.size() + 1];
        texts[0] = label;
        for (int i = 0; i < metrics.size(); i++) {
            texts[i + 1] = metrics.get(i).value().apply(node);
            widest.measure(i, texts[i + 1]);
        }
        item.setText(texts);
    }

    /**
     * Numbers in their order of importance while they fit beside a frame column of {@link #MIN_FRAME_WIDTH},
     * the others hidden; the frame column takes what is left, so the tree never scrolls sideways.
     */
    private void fitColumns() {
        int available = tree.getClientArea().width;
        int used = Math.max(MIN_FRAME_WIDTH, frameHeaderWidth);
        boolean[] shown = new boolean[metrics.size()];
        for (int i : byRank) {
            if (used + needed[i] <= available) {
                shown[i] = true;
                used += needed[i];
            }
        }
        int numbers = 0;
        for (int i = 0; i < metrics.size(); i++) {
            TreeColumn column = tree.getColumn(i + 1);
            column.setWidth(shown[i] ? needed[i] : 0);
            column.setResizable(shown[i]);
            numbers += shown[i] ? needed[i] : 0;
        }
        tree.getColumn(0).setWidth(Math.max(0, available - numbers));
    }

    /** A frame's full name and all its numbers, when its row cuts the name or hides a number; else null. */
    private String toolTipAt(Point point) {
        TreeItem item = rowAt(point);
        if (item == null) {
            return null;
        }
        boolean hidden = IntStream.range(1, tree.getColumnCount()).anyMatch(i -> tree.getColumn(i).getWidth() == 0);
        // The frame cell ends where the next column starts (its own bounds begin after the indentation).
        if (!hidden && !TextFit.cut(tree, item.getText(0), item.getTextBounds(0).x, item.getBounds(1).x)) {
            return null;
        }
        StringBuilder text = new StringBuilder(item.getText(0)).append('\n');
        for (int i = 0; i < metrics.size(); i++) {
            if (!item.getText(i + 1).isEmpty()) { // the row of requests without a Java stack has only their count
                text.append(i == 0 ? "" : ", ").append(String.format(metrics.get(i).inToolTip(), item.getText(i + 1)));
            }
        }
        return text.toString();
    }

    /**
     * The row at the point's height. GTK finds no item over a row's indentation, which is all a deep row
     * shows of itself in a narrow frame column: the row is looked up in the first number column shown.
     */
    private TreeItem rowAt(Point point) {
        for (int i = 1; i < tree.getColumnCount(); i++) {
            if (tree.getColumn(i).getWidth() > 0) {
                int x = 0;
                for (int before = 0; before < i; before++) {
                    x += tree.getColumn(before).getWidth();
                }
                return tree.getItem(new Point(x + 1, point.y));
            }
        }
        return tree.getItem(point);
    }

    private static void openHotPath(TreeItem item, int depth) {
        if (depth >= OPEN_DEPTH || item.getItemCount() == 0) {
            return;
        }
        item.setExpanded(true);
        openHotPath(item.getItem(0), depth + 1);
    }

    /** The path of the selected frame; empty for the root, for the rest row and when nothing is selected. */
    List<String> selectedPath() {
        TreeItem[] selection = tree.getSelection();
        if (selection.length == 0 || !(selection[0].getData() instanceof CallTree.Node)) {
            return List.of();
        }
        return ((CallTree.Node) selection[0].getData()).path();
    }

    /** Selects the frame at the path without telling the listener; false when the tree has no such frame. */
    boolean select(List<String> path) {
        if (tree.getItemCount() == 0) {
            return path.isEmpty();
        }
        TreeItem item = tree.getItem(0);
        for (String frame : path) {
            TreeItem next = null;
            for (TreeItem child : item.getItems()) {
                if (child.getData() instanceof CallTree.Node && ((CallTree.Node) child.getData()).frame().equals(frame)) {
                    next = child;
                    break;
                }
            }
            if (next == null) {
                return false;
            }
            item = next;
        }
        tree.setSelection(item);
        tree.showItem(item);
        return true;
    }

    /** The node a row shows (root first, depth-first), for tests and tooltips. */
    static CallTree.Node node(TreeItem item) {
        return item.getData() instanceof CallTree.Node ? (CallTree.Node) item.getData() : null;
    }

    /** The widest text of each column in one tree, each distinct text measured once. */
    private static final class Widths {
        private final GC gc;
        private final Map<String, Integer> extents = new HashMap<>();
        private final int[] widest;

        Widths(GC gc, int columns) {
            this.gc = gc;
            this.widest = new int[columns];
        }

        void measure(int column, String text) {
            widest[column] = Math.max(widest[column], extents.computeIfAbsent(text, t -> gc.textExtent(t).x));
        }

        int cell(int column) {
            return widest[column] + TextFit.CELL_PADDING;
        }
    }
}
