package io.blkflight.report;

import io.blkflight.model.CallTree;
import io.blkflight.model.Formats;
import io.blkflight.model.Stage;

import java.io.PrintStream;
import java.util.Set;

/**
 * Prints a {@link CallTree} as text, one frame per line, indented by depth. Stages use blktrace's
 * letters: Q submit (bio queued), I insert, D issue (dispatch), C complete. The stage column shows the
 * stages whose stacks pass through a frame; "&lt;- stage" marks the frame whose tracepoint fired.
 */
final class TreePrinter {
    private final PrintStream out;
    private final boolean statistics;
    private final double minShare;
    private final String indent;

    /**
     * @param statistics print requests, bytes and latency per frame (the aggregated tree)
     * @param minShare   hide frames with fewer than this share of the tree's requests (0 shows all)
     */
    TreePrinter(PrintStream out, boolean statistics, double minShare, String indent) {
        this.out = out;
        this.statistics = statistics;
        this.minShare = minShare;
        this.indent = indent;
    }

    void print(CallTree tree) {
        CallTree.Node root = tree.root();
        if (statistics) {
            out.printf("%s%10s %10s %10s %10s %10s  %-4s  %s%n", indent, "requests", "bytes", "p50", "p99", "max", "QIDC", "frame");
        }
        long threshold = (long) Math.ceil(root.requests() * minShare);
        for (CallTree.Node child : root.children()) {
            print(child, 0, threshold);
        }
        hidden(root, 0, threshold);
    }

    private void print(CallTree.Node node, int depth, long threshold) {
        if (node.requests() < threshold) {
            return;
        }
        StringBuilder line = new StringBuilder(indent);
        if (statistics) {
            // "~": estimated from sampled kernel stacks.
            String mark = node.estimated() ? "~" : "";
            line.append(String.format("%10s %10s %10s %10s %10s  ", mark + Formats.count(node.requests()), mark + Formats.bytes(node.bytes()),
                    Formats.nanos(node.latency().percentile(50)), Formats.nanos(node.latency().percentile(99)),
                    Formats.nanos(node.latency().max())));
        }
        line.append(Formats.stages(node.stages())).append("  ");
        line.append(" ".repeat(depth)).append(node.frame());
        Set<Stage> sites = node.sites();
        if (!sites.isEmpty() || node.functionSite()) {
            line.append("  <- ");
            sites.forEach(stage -> line.append(stage.label()).append(' '));
            if (node.functionSite()) {
                line.append("fn ");
            }
            line.setLength(line.length() - 1);
        }
        out.println(line);
        for (CallTree.Node child : node.children()) {
            print(child, depth + 1, threshold);
        }
        hidden(node, depth + 1, threshold);
    }

    private void hidden(CallTree.Node node, int depth, long threshold) {
        long small = node.children().stream().filter(c -> c.requests() < threshold).count();
        if (small > 0) {
            out.println(indent + (statistics ? " ".repeat(56) : "") + "      " + " ".repeat(depth) + "(" + small
                    + " more branch" + (small == 1 ? "" : "es") + " with fewer than " + Formats.count(threshold) + " requests each)");
        }
    }
}
