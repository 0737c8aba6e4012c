package io.blkflight.jmc.widgets;

import io.blkflight.jmc.recording.BlockIoRecording;
import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.jmc.recording.RequestTrees;
import io.blkflight.model.CallTree;
import io.blkflight.model.KindWeights;
import io.blkflight.model.Formats;
import io.blkflight.model.LinkCounts;
import io.blkflight.model.ThreadGrouping;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;

/**
 * The Block I/O page's content, in plain SWT: on top the requests over time (drag to choose the time range);
 * left the kernel call tree of the requests in the range; right the Java stacks linked to the requests under
 * the selected kernel frame; below the selected requests, their latency histogram and the files of the requests
 * in the range.
 *
 * <p>Each tree is filtered by the other's selection: a kernel frame narrows the Java tree to the requests
 * that passed through it, a Java frame narrows the kernel tree to the requests it caused. The table and the
 * histogram show the requests both selections (and the range) admit; so does the selection listener.
 */
public final class BlockIoView extends Composite {
    /** Told which requests the page selects, with a name for them. */
    public interface SelectionListener {
        void requestsSelected(List<RecordedRequest> requests, String name);
    }

    private final Label summary;
    private final Combo virtualThreads;
    private final Button javaOnTopButton;
    private final TimelineChart timeline;
    private final CallTreeViewer kernelTree;
    private final CallTreeViewer javaTree;
    private final RequestTable table;
    private final LatencyChart latency;
    private final FilesTable files;
    private SelectionListener selectionListener = (requests, name) -> {
    };

    private BlockIoRecording recording;
    private List<RecordedRequest> inRange = List.of();
    private List<RecordedRequest> underKernelFrame = List.of();
    private List<RecordedRequest> selected = List.of();
    private List<String> kernelPath = List.of();
    private List<String> javaPath = List.of();
    private java.util.Set<String> selectedFiles = java.util.Set.of();
    private boolean javaOnTop;

    public BlockIoView(Composite parent, int style) {
        super(parent, style);
        setLayout(new GridLayout(3, false));
        summary = new Label(this, SWT.NONE);
        GridData summaryData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        summaryData.widthHint = 0; // the line takes the width the choice and the check box leave, never theirs
        summary.setLayoutData(summaryData);
        virtualThreads = new Combo(this, SWT.READ_ONLY);
        for (ThreadGrouping grouping : ThreadGrouping.values()) {
            virtualThreads.add(GROUPING_LABELS.get(grouping));
        }
        virtualThreads.select(0);
        virtualThreads.setToolTipText("How the table's thread column shows virtual threads: one by one, by the carrier thread"
                + " that carried them, or by their name with its trailing digits as * (a service may run millions of them)");
        virtualThreads.addListener(SWT.Selection, e -> threadGrouping(ThreadGrouping.values()[virtualThreads.getSelectionIndex()]));
        javaOnTopButton = new Button(this, SWT.CHECK);
        javaOnTopButton.setText("Java stacks on top (the report's tree)");
        javaOnTopButton.setToolTipText("Shows the Java frames on top of the kernel frames that ran in the issuing thread, "
                + "as blkflight report prints the tree");
        javaOnTopButton.addListener(SWT.Selection, e -> setJavaOnTop(javaOnTopButton.getSelection()));

        timeline = new TimelineChart(this);
        GridData timelineData = new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1);
        // Four lanes of two text lines (name, scale) each, below the chart's title line.
        timelineData.heightHint = 150;
        timeline.control().setLayoutData(timelineData);
        timeline.onRange(this::showRange);

        SashForm vertical = new SashForm(this, SWT.VERTICAL);
        vertical.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        SashForm trees = new SashForm(vertical, SWT.HORIZONTAL);
        kernelTree = new CallTreeViewer(trees, "Kernel frame", "Where the kernel was entered first, outermost first; "
                + "'<- stage' marks the frame where a stage's tracepoint fired", true);
        javaTree = new CallTreeViewer(trees, "Java frame", "Outermost first", false);
        SashForm details = new SashForm(vertical, SWT.HORIZONTAL);
        table = new RequestTable(details);
        // Beside the table: the latency histogram above the files of the requests in the range.
        SashForm side = new SashForm(details, SWT.VERTICAL);
        latency = new LatencyChart(side);
        files = new FilesTable(side);
        // For a page about 1050 pixels wide (JMC's window of 1400 less its outline and views): the kernel tree
        // has room for all its numbers beside a frame column of 200 pixels, the Java tree for its requests and
        // p99; the table for its columns up to the Java stack, the histogram for every count of 12 buckets.
        trees.setWeights(60, 40);
        details.setWeights(75, 25);
        vertical.setWeights(60, 40);
        side.setWeights(60, 40);
        files.onSelection(this::filesSelected);

        kernelTree.onSelection(this::kernelFrameSelected);
        javaTree.onSelection(this::javaFrameSelected);
        table.onSelection(rows -> {
            if (!rows.isEmpty()) {
                selectionListener.requestsSelected(rows, "Block I/O: " + Formats.count(rows.size()) + " selected requests");
            }
        });
    }

    private static final java.util.Map<ThreadGrouping, String> GROUPING_LABELS = java.util.Map.of(
            ThreadGrouping.EACH, "Virtual threads: each", ThreadGrouping.CARRIER, "Virtual threads: by carrier",
            ThreadGrouping.PREFIX, "Virtual threads: by name prefix");

    /** Shows virtual threads in the table as the grouping says (as choosing it above the page does). */
    public void threadGrouping(ThreadGrouping grouping) {
        virtualThreads.select(grouping.ordinal());
        table.threadGrouping(grouping);
    }

    public void onSelection(SelectionListener listener) {
        this.selectionListener = listener;
    }

    /** Adds an entry to the context menu of the trees and the table (the page adds JMC's selection store actions). */
    public void addMenuAction(String text, Runnable action) {
        for (Control control : List.of(kernelTree.control(), javaTree.control(), table.control(), files.control())) {
            Menu menu = control.getMenu();
            if (menu == null) {
                menu = new Menu(control);
                control.setMenu(menu);
            }
            MenuItem item = new MenuItem(menu, SWT.PUSH);
            item.setText(text);
            item.addListener(SWT.Selection, e -> action.run());
        }
    }

    /** Shows a recording's requests, all of its time. */
    public void show(BlockIoRecording blockIo) {
        recording = blockIo;
        timeline.show(blockIo.requests());
        table.measure(blockIo.requests());
        kernelPath = List.of();
        javaPath = List.of();
        showRange(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Shows the requests submitted in the range (epoch nanoseconds, both included), keeping selected frames that remain. */
    public void showRange(long from, long to) {
        inRange = recording.submittedBetween(from, to);
        files.show(inRange);
        selectedFiles = files.selectedFiles();
        refreshKernelTree();
        refreshJavaTree();
        refreshSelection();
    }

    /** The time range the timeline selects, as if dragged across it (Long.MIN_VALUE and MAX_VALUE for all). */
    public void selectRange(long from, long to) {
        timeline.select(from, to);
    }

    public void setJavaOnTop(boolean onTop) {
        javaOnTop = onTop;
        javaOnTopButton.setSelection(onTop);
        kernelPath = List.of();
        refreshKernelTree();
        refreshJavaTree();
        refreshSelection();
    }

    public boolean javaOnTop() {
        return javaOnTop;
    }

    /** Selects a kernel frame as a click on it does; false when the kernel tree has no frame at the path. */
    public boolean selectKernelFrame(List<String> path) {
        if (!kernelTree.select(path)) {
            return false;
        }
        kernelFrameSelected(path);
        return true;
    }

    /** Selects a Java frame as a click on it does; false when the Java tree has no frame at the path. */
    public boolean selectJavaFrame(List<String> path) {
        if (!javaTree.select(path)) {
            return false;
        }
        javaFrameSelected(path);
        return true;
    }

    private void kernelFrameSelected(List<String> path) {
        kernelPath = path;
        refreshJavaTree();
        refreshSelection();
    }

    private void javaFrameSelected(List<String> path) {
        javaPath = path;
        refreshKernelTree();
        if (kernelPath.isEmpty() && underKernelFrame.size() != inRange.size()) {
            refreshJavaTree(); // the kernel frame is gone from the narrowed tree: the Java tree widens to the range
        }
        refreshSelection();
    }

    /** The kernel tree of the requests in range that the selected Java frame caused. */
    private void refreshKernelTree() {
        List<RecordedRequest> source = RequestTrees.throughJavaFrame(inRange, javaPath);
        CallTree tree = RequestTrees.kernelTree(source, javaOnTop);
        kernelTree.show(tree, (javaPath.isEmpty() ? "all requests in range"
                : "requests caused by " + javaPath.get(javaPath.size() - 1)) + stacksNote(tree.weights()), null);
        if (!kernelTree.select(kernelPath)) {
            kernelPath = List.of();
        }
    }

    /** What the kernel tree's root says of its stacks: none at all and why, or how many sampled requests it stands on. */
    static String stacksNote(KindWeights weights) {
        if (weights.requests() == 0) {
            return "";
        }
        if (weights.withStacks() == 0) {
            return " (no kernel stacks recorded: the agent ran with stacks=off, or is older; record with its default"
                    + " stacks=200/s, or stacks=all, for the kernel tree)";
        }
        return weights.sampled() ? " (kernel frames from " + Formats.count(weights.withStacks()) + " sampled requests; ~: estimated)" : "";
    }

    /** The Java tree of the requests in range under the selected kernel frame. */
    private void refreshJavaTree() {
        underKernelFrame = RequestTrees.throughKernelNode(inRange, kernelPath, javaOnTop);
        javaTree.show(RequestTrees.javaTree(underKernelFrame), kernelPath.isEmpty() ? "all requests in range"
                : "requests through " + kernelPath.get(kernelPath.size() - 1), "(not linked to a Java stack)");
        if (!javaTree.select(javaPath)) {
            javaPath = List.of();
        }
    }

    private void filesSelected(java.util.Set<String> chosen) {
        selectedFiles = java.util.Set.copyOf(chosen);
        refreshSelection();
    }

    private void refreshSelection() {
        selected = RequestTrees.throughJavaFrame(underKernelFrame, javaPath);
        if (!selectedFiles.isEmpty()) {
            selected = selected.stream().filter(r -> selectedFiles.contains(r.request().file())).toList();
        }
        table.show(selected);
        latency.show(RequestTrees.latency(selected));
        LinkCounts links = BlockIoRecording.links(inRange);
        // The selected frames are named here too: deep in a narrow tree, a row shows little of its name.
        summary.setText(recording.partialNote().map(note -> note + ". ").orElse("")
                + Formats.count(inRange.size()) + " requests in range, " + Formats.count(selected.size()) + " selected"
                + selectedFrames() + "; " + Formats.count(links.linked()) + " of " + Formats.count(links.javaThreads())
                + " issued by Java threads linked to a Java stack" + (recording.malformed() > 0 ? "; " + Formats.count(recording.malformed())
                + " blkflight.BlockRequest events without its fields skipped" : ""));
        summary.setToolTipText(summary.getText()); // a narrow page cuts the line
        layout(new Control[] {summary});
        selectionListener.requestsSelected(selected, selectionName());
    }

    private String selectionName() {
        return "Block I/O: " + Formats.count(selected.size()) + " requests" + selectedFrames();
    }

    /** " through" the selected kernel frame, " from" the selected Java frame and " of" the selected files, each if any. */
    private String selectedFrames() {
        return (kernelPath.isEmpty() ? "" : " through " + kernelPath.get(kernelPath.size() - 1))
                + (javaPath.isEmpty() ? "" : " from " + javaPath.get(javaPath.size() - 1))
                + (selectedFiles.isEmpty() ? "" : selectedFiles.size() == 1 ? " of " + selectedFiles.iterator().next()
                        : " of " + selectedFiles.size() + " files");
    }

    /** The requests the table lists. */
    public List<RecordedRequest> selectedRequests() {
        return selected;
    }

    public List<String> selectedKernelPath() {
        return kernelPath;
    }

    public List<String> selectedJavaPath() {
        return javaPath;
    }

    /** The line above the timeline, for tests that look at what a user sees. */
    public String summaryText() {
        return summary.getText();
    }

    /** The timeline's intervals, all devices together, for tests that check it holds the recording. */
    List<io.blkflight.model.Timeline.Interval> timelineIntervals() {
        return timeline.intervals();
    }

    /** Each lane of the timeline with its scale ("in flight max 3"), for tests. */
    List<String> timelineScales() {
        return timeline.scales();
    }

    /** The timeline's canvas and where its plot is, for tests that drag across it. */
    org.eclipse.swt.widgets.Canvas timelineControl() {
        return timeline.control();
    }

    org.eclipse.swt.graphics.Rectangle timelinePlot() {
        return timeline.plot();
    }

    /** The widgets, for tests that look at what a user sees. */
    public org.eclipse.swt.widgets.Tree kernelTreeControl() {
        return kernelTree.control();
    }

    public org.eclipse.swt.widgets.Tree javaTreeControl() {
        return javaTree.control();
    }

    public org.eclipse.swt.widgets.Table requestTableControl() {
        return table.control();
    }

    public org.eclipse.swt.widgets.Table filesTableControl() {
        return files.control();
    }

    /** Selects files in the files table, as clicks on their rows do; returns how many it found. */
    public int selectFiles(java.util.Set<String> chosen) {
        return files.select(chosen);
    }

    /** Where the histogram draws its bars and texts, for tests that check that none is cut. */
    LatencyChart.Layout latencyLayout() {
        return latency.layout();
    }

    /** Requests per power-of-two microsecond bucket of the histogram. */
    public long[] latencyBuckets() {
        return latency.counts();
    }

    /** The node a tree row shows, or null for the row of requests without a Java stack. */
    public static CallTree.Node node(org.eclipse.swt.widgets.TreeItem item) {
        return CallTreeViewer.node(item);
    }
}
