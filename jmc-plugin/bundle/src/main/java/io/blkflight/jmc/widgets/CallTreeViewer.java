package io.blkflight.jmc.widgets;

import io.blkflight.model.CallTree;
import io.blkflight.model.Formats;

import java.util.List;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;

/**
 * A {@link CallTree} in an SWT tree with the report's columns: per frame the requests through it, their
 * bytes, latency p50/p99/max and the stages seen in it (Q submit, I insert, D issue, C complete), the
 * frames where a stage's tracepoint fired marked with the stage. Selecting a frame reports its path.
 */
final class CallTreeViewer {
    /** How deep the hot path (the child with the most requests, at each level) is opened. */
    private static final int OPEN_DEPTH = 64;

    private final Tree tree;
    private Consumer<List<String>> selectionListener = path -> {
    };

    CallTreeViewer(Composite parent, String frameColumn) {
        tree = new Tree(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        tree.setHeaderVisible(true);
        tree.setLinesVisible(true);
        column(frameColumn, 560, SWT.LEFT);
        column("Requests", 80, SWT.RIGHT);
        column("Bytes", 80, SWT.RIGHT);
        column("p50", 75, SWT.RIGHT);
        column("p99", 75, SWT.RIGHT);
        column("Max", 75, SWT.RIGHT);
        column("QIDC", 50, SWT.CENTER);
        tree.addListener(SWT.Selection, e -> selectionListener.accept(selectedPath()));
    }

    private void column(String name, int width, int style) {
        TreeColumn column = new TreeColumn(tree, style);
        column.setText(name);
        column.setWidth(width);
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
    private static final java.util.Set<String> WHY_NO_JAVA_STACK = java.util.Set.of(CallTree.NOT_A_JAVA_THREAD,
            CallTree.NO_JAVA_STACK);

    void show(CallTree callTree, String rootLabel, String rest) {
        tree.setRedraw(false);
        try {
            tree.removeAll();
            TreeItem root = new TreeItem(tree, SWT.NONE);
            fill(root, callTree.root(), rootLabel);
            // The model hangs requests without a Java stack below a node saying why; the rest row counts them here.
            List<CallTree.Node> children = callTree.root().children().stream()
                    .filter(child -> rest == null || !WHY_NO_JAVA_STACK.contains(child.frame())).toList();
            for (CallTree.Node child : children) {
                add(root, child);
            }
            long held = children.stream().mapToLong(CallTree.Node::requests).sum();
            if (rest != null && callTree.root().requests() > held) {
                TreeItem item = new TreeItem(root, SWT.NONE);
                item.setText(0, rest);
                item.setText(1, Formats.count(callTree.root().requests() - held));
            }
            openHotPath(root, 0);
        } finally {
            tree.setRedraw(true);
        }
    }

    private void add(TreeItem parent, CallTree.Node node) {
        TreeItem item = new TreeItem(parent, SWT.NONE);
        fill(item, node, node.frame() + (node.sites().isEmpty() ? "" : "  <- " + String.join(" ",
                node.sites().stream().map(stage -> stage.label()).toList())));
        for (CallTree.Node child : node.children()) {
            add(item, child);
        }
    }

    private static void fill(TreeItem item, CallTree.Node node, String label) {
        item.setData(node);
        item.setText(new String[] {label, Formats.count(node.requests()), Formats.bytes(node.bytes()),
            Formats.nanos(node.latency().percentile(50)), Formats.nanos(node.latency().percentile(99)),
            Formats.nanos(node.latency().max()), Formats.stages(node.stages())});
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
}
