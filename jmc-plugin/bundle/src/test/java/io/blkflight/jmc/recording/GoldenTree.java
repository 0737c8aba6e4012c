package io.blkflight.jmc.recording;

import io.blkflight.model.CallTree;
import io.blkflight.model.Formats;
import io.blkflight.model.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The call tree section of a report printed by the command ({@code report}), line by line, and the same
 * line rendered from a {@link CallTree} node of the plugin: equal lines mean the same frame at the same
 * path with the same requests, bytes, latency percentiles, stages and tracepoint sites.
 */
final class GoldenTree {
    /** One printed frame: its path from the root and the whole printed line. */
    record Line(List<String> path, String text) {
    }

    private static final String HEADER = "kernel call tree of the selected requests";
    /** Two characters of indent, five columns of ten and their four separators, two spaces: the stage mask. */
    private static final int MASK = 2 + 5 * 10 + 4 + 2;
    private static final int FRAME = MASK + 4 + 2;

    private GoldenTree() {
    }

    static List<Line> parse(List<String> report) {
        int start = -1;
        for (int i = 0; i < report.size(); i++) {
            if (report.get(i).startsWith(HEADER)) {
                start = i + 2;
                break;
            }
        }
        if (start < 0) {
            throw new AssertionError("no call tree in the report");
        }
        List<Line> lines = new ArrayList<>();
        List<String> path = new ArrayList<>();
        for (int i = start; i < report.size() && !report.get(i).isBlank(); i++) {
            String line = report.get(i);
            if (line.trim().startsWith("(")) {
                continue; // "(3 more branches with fewer than 17 requests each)"
            }
            String frameAndSites = line.substring(FRAME);
            int depth = frameAndSites.length() - frameAndSites.stripLeading().length();
            String frame = frameAndSites.strip().split(" {2}<- ")[0];
            while (path.size() > depth) {
                path.remove(path.size() - 1);
            }
            path.add(frame);
            lines.add(new Line(List.copyOf(path), line));
        }
        return lines;
    }

    /** The node as the command prints it. */
    static String render(CallTree.Node node) {
        StringBuilder line = new StringBuilder("  ");
        line.append(String.format("%10s %10s %10s %10s %10s  ", Formats.count(node.requests()), Formats.bytes(node.bytes()),
                Formats.nanos(node.latency().percentile(50)), Formats.nanos(node.latency().percentile(99)),
                Formats.nanos(node.latency().max())));
        line.append(Formats.stages(node.stages())).append("  ");
        line.append(" ".repeat(node.path().size() - 1)).append(node.frame());
        Set<Stage> sites = node.sites();
        if (!sites.isEmpty()) {
            line.append("  <- ");
            sites.forEach(stage -> line.append(stage.label()).append(' '));
            line.setLength(line.length() - 1);
        }
        return line.toString();
    }

    /** The nodes the command prints with this share threshold (those with at least the share of the requests). */
    static int printedNodes(CallTree tree, double minShare) {
        long threshold = (long) Math.ceil(tree.root().requests() * minShare);
        return count(tree.root(), threshold) - 1;
    }

    private static int count(CallTree.Node node, long threshold) {
        int n = 1;
        for (CallTree.Node child : node.children()) {
            if (child.requests() >= threshold) {
                n += count(child, threshold);
            }
        }
        return n;
    }
}
