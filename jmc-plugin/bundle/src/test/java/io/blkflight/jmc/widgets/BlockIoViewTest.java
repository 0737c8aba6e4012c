package io.blkflight.jmc.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.jmc.recording.BlockIoRecording;
import io.blkflight.jmc.recording.Fixtures;
import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.jmc.recording.RequestTrees;
import io.blkflight.model.CallTree;
import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.Timeline;
import io.blkflight.model.ThreadGrouping;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Item;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page's widgets in a real SWT shell on a real X server (Xvfb, started around this JVM by
 * src/test/xvfb/bin/java), on the H2 recording: what a user sees, and a screenshot of it in target/.
 */
class BlockIoViewTest {
    private static final List<String> FSYNC = List.of("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_fsync");
    /**
     * What JMC 9.1 in a 1400 x 900 window leaves the page's content: its editor is about 1050 x 690 beside the
     * Outline and above the Properties and Stack Trace views, and the page's title takes about 40 of that.
     */
    private static final Point PAGE = new Point(1050, 650);
    /** The whole of a 1400 x 900 window, as JMC gives a page when its views are minimized or the editor maximized. */
    private static final Point WINDOW = new Point(1400, 900);
    /** What GTK 3 leaves around a cell's text and a header's text (TableColumn.pack measures 8 and 17 pixels). */
    private static final int CELL_ROOM = 8;
    private static final int HEADER_ROOM = 17;
    private static final List<String> KERNEL_COLUMNS = List.of("Kernel frame", "Requests", "Bytes", "p50", "p99", "Max", "QIDC");
    private static final List<String> JAVA_COLUMNS = List.of("Java frame", "Requests", "p99");
    private static final List<String> TABLE_COLUMNS = List.of("Submitted", "Thread", "Device", "Operation", "Bytes",
            "Latency", "System Call", "Java Stack");

    private static Display display;
    private static BlockIoRecording h2;
    private Shell shell;
    private BlockIoView view;
    private final List<String> selections = new ArrayList<>();

    @BeforeAll
    static void start() {
        // One display per process on GTK: the tests of this JVM share it, and it goes with the JVM.
        display = Display.getDefault();
        h2 = Fixtures.read(Fixtures.H2_DEMO);
    }

    @BeforeEach
    void open() {
        shell = new Shell(display);
        shell.setText("Block I/O");
        shell.setLayout(new FillLayout());
        resize(PAGE);
        view = new BlockIoView(shell, SWT.NONE);
        view.onSelection((requests, name) -> selections.add(name));
        view.show(h2);
        shell.open();
        settle();
    }

    @AfterEach
    void close() {
        shell.dispose();
    }

    @Test
    void showsTheTreesTheTableAndTheHistogramOfTheRecording() throws Exception {
        TreeItem kernelRoot = view.kernelTreeControl().getItem(0);
        assertThat(kernelRoot.getText(0)).as("kernel tree's first row").isEqualTo("all requests in range");
        assertThat(kernelRoot.getText(1)).as("requests of the kernel tree's root").isEqualTo("1,695");
        assertThat(kernelRoot.getItemCount()).as("kernel entry points under the root").isGreaterThan(1);
        assertThat(BlockIoView.node(kernelRoot.getItem(0)).kind()).as("kernel-only tree by default").isEqualTo(CallTree.Kind.KERNEL);
        assertThat(view.javaTreeControl().getItem(0).getText(1)).as("requests of the Java tree's root").isEqualTo("1,695");
        assertThat(lastRow(view.javaTreeControl().getItem(0)).getText()).as("Java tree's last row")
                .isEqualTo("(not linked to a Java stack)");
        assertThat(lastRow(view.javaTreeControl().getItem(0)).getText(1)).as("requests without a Java stack (1,695 - 1,578)")
                .isEqualTo("117");
        assertThat(view.requestTableControl().getItemCount()).as("table rows before any selection").isEqualTo(1_695);
        assertThat(Arrays.stream(view.latencyBuckets()).sum()).as("requests in the histogram").isEqualTo(1_695);
        assertTextsDrawnInFull(view.latencyLayout(), view.latencyBuckets(), true);
        assertThat(selections).as("selections handed to JMC").containsExactly("Block I/O: 1,695 requests");
        screenshot("block-io-page-all.png");
    }

    @Test
    void aKernelFrameNarrowsTheJavaTreeAndAJavaFrameTheKernelTree() throws Exception {
        List<RecordedRequest> throughFsync = RequestTrees.throughKernelNode(h2.requests(), FSYNC, false);
        assertThat(view.selectKernelFrame(FSYNC)).as("kernel tree has %s", FSYNC).isTrue();
        settle();

        assertThat(view.javaTreeControl().getItem(0).getText(1)).as("Java tree's root: requests through __x64_sys_fsync")
                .isEqualTo(String.format("%,d", throughFsync.size()));
        assertThat(view.requestTableControl().getItemCount()).as("table rows: requests through __x64_sys_fsync")
                .isEqualTo(throughFsync.size());
        assertThat(cellsOfColumn(column(view.requestTableControl().getColumns(), "System Call")))
                .as("system calls of the listed requests").contains("fsync");
        assertThat(Arrays.stream(view.latencyBuckets()).sum()).as("requests in the histogram").isEqualTo(throughFsync.size());

        List<String> force = heaviestLeaf(RequestTrees.javaTree(throughFsync));
        List<RecordedRequest> fromForce = RequestTrees.throughJavaFrame(h2.requests(), force);
        assertThat(force.get(force.size() - 1)).as("innermost frame of the heaviest Java stack under fsync")
                .isEqualTo("sun.nio.ch.FileChannelImpl.force");
        assertThat(view.selectJavaFrame(force)).as("Java tree has the stack").isTrue();
        settle();

        assertThat(view.kernelTreeControl().getItem(0).getText(1)).as("kernel tree's root: requests that Java stack caused")
                .isEqualTo(String.format("%,d", fromForce.size()));
        assertThat(view.selectedKernelPath()).as("the kernel frame stays selected").isEqualTo(FSYNC);
        assertThat(view.selectedRequests()).as("table: through fsync and from that stack")
                .containsExactlyInAnyOrderElementsOf(RequestTrees.throughJavaFrame(throughFsync, force));
        assertThat(selections.get(selections.size() - 1)).as("the last selection handed to JMC")
                .startsWith("Block I/O: ").endsWith(" requests through __x64_sys_fsync from sun.nio.ch.FileChannelImpl.force");
        assertThat(((Label) view.getChildren()[0]).getText()).as("the summary line, which names what a narrow tree may cut")
                .contains(" selected through __x64_sys_fsync from sun.nio.ch.FileChannelImpl.force; ");

        Path png = screenshot("block-io-page.png");
        assertThat(png).as("screenshot").exists();
        assertThat(Files.size(png)).as("screenshot size in bytes").isGreaterThan(20_000);
    }

    @Test
    void aRecordingAKilledJvmLeftSaysItIsPartial(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        assertThat(view.summaryText()).as("a finished recording's summary").startsWith("1,695 requests in range");
        byte[] bytes = Files.readAllBytes(Fixtures.H2_DEMO);
        bytes[64] = 9;
        Path killed = Files.write(directory.resolve("killed.jfr"), bytes);
        Files.write(killed, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        view.show(BlockIoRecording.load(killed));
        settle();

        assertThat(view.summaryText()).as("the summary of what the killed JVM left")
                .startsWith("partial: the JVM stopped without finishing its recording; events up to ")
                .contains(". 1,695 requests in range");
    }

    @Test
    void javaOnTopShowsTheReportsTree() {
        view.setJavaOnTop(true);
        settle();

        TreeItem first = view.kernelTreeControl().getItem(0).getItem(0);
        assertThat(first.getText(0)).as("first frame, as the report prints it").isEqualTo("java.lang.Thread.run");
        assertThat(first.getText(1)).as("its requests, as the report prints them").isEqualTo("1,451");
        assertThat(first.getText(6)).as("its stages, as the report prints them").isEqualTo("QIDC");
    }

    @Test
    void aTimeRangeNarrowsEverything() {
        List<RecordedRequest> all = h2.requests();
        long from = all.get(100).request().start();
        long to = all.get(199).request().start();
        view.selectRange(from, to);
        settle();

        assertThat(view.kernelTreeControl().getItem(0).getText(1)).as("kernel tree's root in the range").isEqualTo("100");
        assertThat(view.requestTableControl().getItemCount()).as("table rows in the range").isEqualTo(100);
        assertThat(view.selectedRequests()).as("requests in the range").containsExactlyElementsOf(all.subList(100, 200));
    }

    @Test
    void theTimelineChartsTheRecordingsRequestsBytesInFlightAndLatencyAndADragSelectsItsRange() throws Exception {
        List<RecordedRequest> all = h2.requests();
        List<Timeline.Interval> intervals = view.timelineIntervals();

        assertThat(intervals.size()).as("about one interval per 3 pixels of the plot")
                .isBetween(view.timelinePlot().width / 6, view.timelinePlot().width / 3);
        assertThat(intervals.stream().mapToLong(Timeline.Interval::requests).sum()).as("requests charted").isEqualTo(all.size());
        assertThat(intervals.stream().mapToLong(i -> i.readBytes() + i.writeBytes()).sum()).as("bytes charted")
                .isEqualTo(all.stream().filter(r -> r.request().movesData()).mapToLong(r -> r.request().bytes()).sum());
        assertThat(intervals.stream().mapToLong(Timeline.Interval::max).max().orElse(0)).as("the slowest request charted")
                .isEqualTo(all.stream().mapToLong(r -> r.request().duration()).max().orElse(-1));
        assertThat(intervals.stream().mapToInt(Timeline.Interval::maxInFlight).max().orElse(0)).as("requests in flight at once")
                .isGreaterThan(1);
        assertThat(view.timelineScales()).as("the lanes, each with its scale").hasSize(4)
                .anySatisfy(lane -> assertThat(lane).startsWith("requests/s max "))
                .anySatisfy(lane -> assertThat(lane).startsWith("latency log, max "));

        // A drag across the middle third of the plot selects the requests submitted then, as the old strip did.
        org.eclipse.swt.widgets.Canvas canvas = view.timelineControl();
        Rectangle plot = view.timelinePlot();
        int y = canvas.getClientArea().height / 2;
        mouse(canvas, SWT.MouseDown, plot.x + plot.width / 3, y);
        mouse(canvas, SWT.MouseMove, plot.x + plot.width / 2, y);
        mouse(canvas, SWT.MouseUp, plot.x + 2 * plot.width / 3, y);
        settle();
        screenshot("block-io-timeline-selected.png");

        assertThat(view.summaryText()).as("the summary after the drag").doesNotStartWith(Formats.count(all.size()) + " requests in range");
        long first = all.stream().mapToLong(r -> r.request().start()).min().orElse(0);
        long end = first + intervals.size() * (intervals.get(1).start() - intervals.get(0).start());
        long from = first + (end - first) / 3 - (end - first) / plot.width;
        long to = first + 2 * (end - first) / 3 + (end - first) / plot.width;
        assertThat(view.selectedRequests()).as("requests of the dragged range").isNotEmpty().hasSizeLessThan(all.size())
                .allSatisfy(r -> assertThat(r.request().start()).isBetween(from, to));
        mouse(canvas, SWT.MouseDoubleClick, plot.x + 5, y);
        settle();
        assertThat(view.selectedRequests()).as("a double click selects all again").hasSize(all.size());
    }

    private static void mouse(Control control, int type, int x, int y) {
        Event event = new Event();
        event.button = 1;
        event.x = x;
        event.y = y;
        control.notifyListeners(type, event);
    }

    @Test
    void inTheRoomJmcGivesThePageEveryColumnThatMattersIsShownInFull() throws Exception {
        showsEveryColumnThatMattersAndEveryCount(PAGE, "block-io-page-1050x650.png");

        // The deepest frame of the hot Java stack cannot be shown at this width: its tooltip names it.
        Tree java = view.javaTreeControl();
        TreeItem deepest = java.getSelection()[0];
        assertThat(deepest.getTextBounds(0).x + textWidth(java, deepest.getText(0))).as("end of the selected Java frame's name")
                .isGreaterThan(deepest.getBounds(1).x);
        Event move = new Event();
        move.x = 10;
        move.y = deepest.getBounds(0).y + deepest.getBounds(0).height / 2;
        java.notifyListeners(SWT.MouseMove, move);
        assertThat(java.getToolTipText()).as("tooltip of a frame the tree cuts").startsWith(deepest.getText(0) + "\n")
                .contains(deepest.getText(1) + " requests");
    }

    @Test
    void inAWholeWindowEveryColumnThatMattersIsShownInFull() throws Exception {
        showsEveryColumnThatMattersAndEveryCount(WINDOW, "block-io-page-1400x900.png");
        assertThat(widthOf(view.javaTreeControl(), "Max")).as("the Java tree's Max column with room to spare").isPositive();
    }

    /**
     * At the size, with a kernel and a Java frame selected: the columns that matter are in the client area
     * and wide enough for their header and every value, a column that does not fit is hidden rather than cut,
     * and the histogram draws every count, every text inside the canvas and none over another.
     */
    private void showsEveryColumnThatMattersAndEveryCount(Point size, String png) throws Exception {
        resize(size);
        assertThat(new Point(shell.getClientArea().width, shell.getClientArea().height)).as("size of the page's content").isEqualTo(size);
        assertThat(view.selectKernelFrame(FSYNC)).as("kernel tree has %s", FSYNC).isTrue();
        assertThat(view.selectJavaFrame(heaviestLeaf(RequestTrees.javaTree(view.selectedRequests())))).as("Java tree has its heaviest stack")
                .isTrue();
        settle();
        Path screenshot = screenshot(png);

        assertColumnsShownInFull(view.kernelTreeControl(), view.kernelTreeControl().getColumns(), KERNEL_COLUMNS, treeCells(view.kernelTreeControl()));
        assertColumnsShownInFull(view.javaTreeControl(), view.javaTreeControl().getColumns(), JAVA_COLUMNS, treeCells(view.javaTreeControl()));
        assertThat(widthOf(view.kernelTreeControl(), "Kernel frame")).as("kernel frame column").isGreaterThanOrEqualTo(CallTreeViewer.MIN_FRAME_WIDTH);
        assertThat(widthOf(view.javaTreeControl(), "Java frame")).as("Java frame column").isGreaterThanOrEqualTo(CallTreeViewer.MIN_FRAME_WIDTH);
        Table table = view.requestTableControl();
        List<String[]> rows = new ArrayList<>();
        for (TableItem item : table.getItems()) {
            rows.add(IntStream.range(0, table.getColumnCount()).mapToObj(item::getText).toArray(String[]::new));
        }
        assertColumnsShownInFull(table, table.getColumns(), TABLE_COLUMNS, rows);

        assertTextsDrawnInFull(view.latencyLayout(), view.latencyBuckets(), true);
        assertThat(screenshot).as("screenshot").exists();
        assertThat(Files.size(screenshot)).as("screenshot size in bytes").isGreaterThan(20_000);
    }

    @Test
    void inFunctionLevelModeTheKernelFunctionsComeLastWithTheirPathInTheTooltip() {
        assertThat(view.requestTableControl().getColumn(column(view.requestTableControl().getColumns(), "Kernel Functions")).getWidth())
                .as("the function column of a recording without function paths").isZero();

        view.show(Fixtures.read(Fixtures.FUNCTIONS_6_12));
        settle();
        Table table = view.requestTableControl();
        int functions = column(table.getColumns(), "Kernel Functions");
        assertThat(functions).as("the function column's place").isEqualTo(table.getColumnCount() - 1);
        assertThat(table.getColumn(functions).getWidth()).as("the function column's width").isBetween(100, 480);
        TableItem row = table.getItem(0);
        String path = row.getText(functions);
        assertThat(textWidth(table, path)).as("width of the first request's function path").isGreaterThan(table.getColumn(functions).getWidth());
        table.showColumn(table.getColumn(functions));
        settle();
        Rectangle cell = row.getBounds(functions);
        Event move = new Event();
        move.x = cell.x + cell.width / 2;
        move.y = cell.y + cell.height / 2;
        table.notifyListeners(SWT.MouseMove, move);
        assertThat(table.getToolTipText()).as("tooltip of the cut function path").isEqualTo(path);
    }

    /**
     * A histogram of 21 buckets (1 us to 1 s), bars narrower than a line and neighbours of the same height, in
     * the canvas JMC leaves it (page and whole window): the counts that fit drawn, the tallest bar's first, all
     * clear of each other, of the bars and of the title; each bar's tooltip has its bucket and count in full.
     */
    @Test
    void theHistogramDrawsTheCountsOfNarrowBarsThatFitAndTellsTheOthersInTooltips() throws Exception {
        long[] perBucket = {3, 12_345, 11_002, 10_870, 9_500, 240, 7, 0, 1, 16_000, 15_990, 15_500, 2, 0, 5, 60_000, 59_999, 1, 1, 0, 88};
        LatencyHistogram latency = new LatencyHistogram();
        for (int k = 0; k < perBucket.length; k++) {
            for (long i = 0; i < perBucket[k]; i++) {
                latency.add((3L << k) * 500); // the middle of bucket k, [2^k, 2^(k+1)) us
            }
        }
        shell.dispose();
        for (Point size : List.of(new Point(260, 200), new Point(340, 260))) {
            shell = new Shell(display);
            shell.setLayout(new FillLayout());
            LatencyChart chart = new LatencyChart(shell);
            chart.show(latency);
            resize(size);
            shell.open();
            settle();
            assertThat(chart.counts()).as("requests per bucket").startsWith(perBucket);
            LatencyChart.Layout layout = chart.layout();
            assertTextsDrawnInFull(layout, chart.counts(), false);
            assertThat(layout.counts().get(15)).as("count of the tallest bar").isNotNull();
            for (int k = 0; k < perBucket.length; k++) {
                Rectangle bar = layout.bars().get(k);
                Event move = new Event();
                move.x = bar.x + bar.width / 2;
                move.y = bar.y + bar.height - 1;
                chart.control().notifyListeners(SWT.MouseMove, move);
                assertThat(chart.control().getToolTipText()).as("tooltip of the bar of bucket %s", LatencyChart.bucketLabel(k))
                        .isEqualTo((k == 0 ? 0 : 1L << k) + " -> " + ((2L << k) - 1) + " us: " + String.format("%,d", perBucket[k]) + " requests");
            }
            screenshot("latency-" + size.x + "x" + size.y + ".png");
            shell.dispose();
        }
    }

    /**
     * Every bucket's count (or, unless everyCount, those that are drawn) as the bucket has it, and the unit
     * drawn; every text inside the canvas, none over another text or a bar.
     */
    private static void assertTextsDrawnInFull(LatencyChart.Layout histogram, long[] counts, boolean everyCount) {
        Rectangle canvas = histogram.area();
        for (int k = 0; k < counts.length; k++) {
            int i = k - histogram.first();
            if (counts[k] > 0 && (everyCount || histogram.counts().get(i) != null)) {
                assertThat(histogram.counts().get(i)).as("label of bucket %s's count", LatencyChart.bucketLabel(k)).isNotNull();
                assertThat(histogram.counts().get(i).text()).as("label of bucket %s's count", LatencyChart.bucketLabel(k))
                        .isIn(String.format("%,d", counts[k]), LatencyChart.shortCount(counts[k]));
            }
        }
        assertThat(histogram.unit()).as("unit label").isNotNull();
        assertThat(histogram.unit().text()).as("unit label").isEqualTo("us");
        List<LatencyChart.Text> texts = histogram.texts();
        for (LatencyChart.Text text : texts) {
            assertThat(canvas.contains(text.bounds().x, text.bounds().y)
                    && text.bounds().x + text.bounds().width <= canvas.width && text.bounds().y + text.bounds().height <= canvas.height)
                    .as("'%s' at %s inside the histogram's %s", text.text(), text.bounds(), canvas).isTrue();
            for (LatencyChart.Text other : texts) {
                assertThat(text == other || !text.bounds().intersects(other.bounds()))
                        .as("'%s' at %s clear of '%s' at %s", text.text(), text.bounds(), other.text(), other.bounds()).isTrue();
            }
            for (Rectangle bar : histogram.bars()) {
                assertThat(bar.height == 0 || !text.bounds().intersects(bar)).as("'%s' at %s clear of the bar at %s", text.text(),
                        text.bounds(), bar).isTrue();
            }
        }
    }

    /**
     * Each column that matters inside the control's client area and wide enough for its header and its widest
     * cell; each other column either so too, or hidden (width 0), never cut.
     */
    private static void assertColumnsShownInFull(Composite control, Item[] columns, List<String> thatMatter, List<String[]> cells) {
        int clientWidth = control.getClientArea().width;
        int x = 0;
        for (int i = 0; i < columns.length; i++) {
            String name = columns[i].getText();
            int width = columns[i] instanceof TreeColumn ? ((TreeColumn) columns[i]).getWidth() : ((TableColumn) columns[i]).getWidth();
            boolean details = control instanceof Table && i >= RequestTable.FIRST_DETAIL;
            if (thatMatter.contains(name) || width > 0 && !details) {
                assertThat(x + width).as("right edge of column %s (x %d, width %d) in the client width", name, x, width)
                        .isLessThanOrEqualTo(clientWidth);
                assertThat(width).as("width of column %s for its header", name).isGreaterThanOrEqualTo(headerWidth(control, name) + HEADER_ROOM);
                if (i > 0 || control instanceof Table) {
                    final int column = i;
                    String widest = cells.stream().map(row -> row[column]).max(Comparator.comparingInt(text -> textWidth(control, text)))
                            .orElse("");
                    assertThat(width).as("width of column %s for its widest value '%s'", name, widest)
                            .isGreaterThanOrEqualTo(textWidth(control, widest) + CELL_ROOM);
                }
            }
            x += width;
        }
    }

    private static List<String[]> treeCells(Tree tree) {
        List<String[]> cells = new ArrayList<>();
        collect(tree.getItems(), tree.getColumnCount(), cells);
        return cells;
    }

    private static void collect(TreeItem[] items, int columns, List<String[]> cells) {
        for (TreeItem item : items) {
            cells.add(IntStream.range(0, columns).mapToObj(item::getText).toArray(String[]::new));
            collect(item.getItems(), columns, cells);
        }
    }

    private static int textWidth(Control control, String text) {
        GC gc = new GC(control);
        try {
            return gc.textExtent(text).x;
        } finally {
            gc.dispose();
        }
    }

    /** The width of a header's text, bold as GTK 3 draws it. */
    private static int headerWidth(Control control, String text) {
        FontData[] bold = control.getFont().getFontData();
        for (FontData data : bold) {
            data.setStyle(SWT.BOLD);
        }
        Font font = new Font(display, bold);
        GC gc = new GC(control);
        try {
            gc.setFont(font);
            return gc.textExtent(text).x;
        } finally {
            gc.dispose();
            font.dispose();
        }
    }

    private static int widthOf(Tree tree, String column) {
        return tree.getColumn(column(tree.getColumns(), column)).getWidth();
    }

    private static int column(Item[] columns, String name) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].getText().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no column " + name);
    }

    @Test
    void theThreadColumnShowsVirtualThreadsOneByOneOrGrouped() {
        view.show(Fixtures.read(Fixtures.VIRTUAL_THREADS));
        settle();
        int thread = column(view.requestTableControl().getColumns(), "Thread");
        assertThat(cellsOfColumn(thread)).as("one by one, marked virtual; platform threads as they are")
                .contains("vt-reader-0 (virtual)", "pt-reader-0", "custom-carrier").noneMatch(cell -> cell.startsWith("ForkJoinPool-"));
        view.threadGrouping(ThreadGrouping.PREFIX);
        settle();
        assertThat(cellsOfColumn(thread)).as("by name prefix").contains("vt-reader-*", "VirtualThread#*", "pt-reader-0")
                .doesNotContain("vt-reader-0 (virtual)");
        view.threadGrouping(ThreadGrouping.CARRIER);
        settle();
        assertThat(cellsOfColumn(thread)).as("by carrier").contains("virtual threads on custom-carrier", "custom-carrier")
                .anyMatch(cell -> cell.startsWith("virtual threads on ForkJoinPool-1-worker-"));
    }

    /** Gives the shell's content the size, as JMC gives it to the page. */
    private void resize(Point size) {
        Rectangle trim = shell.computeTrim(0, 0, size.x, size.y);
        shell.setSize(trim.width, trim.height);
        settle();
    }

    @Test
    void theFilesTableListsTheFilesOfTheRangeAndSelectsTheirRequests() {
        BlockIoRecording directIo = Fixtures.read(Fixtures.DIRECT_IO);
        view.show(directIo);
        settle();
        org.eclipse.swt.widgets.Table files = view.filesTableControl();
        String data = directIo.requests().stream().map(r -> r.request().file()).filter(f -> f.endsWith("/data.bin"))
                .findFirst().orElseThrow();
        long ofData = directIo.requests().stream().filter(r -> r.request().file().equals(data)).count();

        assertThat(files.getItemCount()).as("files of the recording: data.bin and other.bin").isEqualTo(2);
        assertThat(files.getItem(0).getText(0)).as("the file with the most requests first").isEqualTo(data);
        assertThat(files.getItem(0).getText(2)).as("its requests").isEqualTo(Long.toString(ofData));
        assertThat(cellsOfColumn(8)).as("the request table's file column").contains(data);

        assertThat(view.selectFiles(Set.of(data))).isEqualTo(1);
        settle();
        assertThat(view.requestTableControl().getItemCount()).as("table rows: the requests of data.bin").isEqualTo((int) ofData);
        assertThat(view.selectedRequests()).allMatch(r -> r.request().file().equals(data));
        assertThat(selections.get(selections.size() - 1)).as("the selection handed to JMC").endsWith(" requests of " + data);
    }

    private List<String> cellsOfColumn(int column) {
        Set<String> cells = new HashSet<>();
        for (int row = 0; row < view.requestTableControl().getItemCount(); row++) {
            cells.add(view.requestTableControl().getItem(row).getText(column));
        }
        return new ArrayList<>(cells);
    }

    private static TreeItem lastRow(TreeItem item) {
        return item.getItem(item.getItemCount() - 1);
    }

    private static List<String> heaviestLeaf(CallTree tree) {
        CallTree.Node node = tree.root();
        while (!node.children().isEmpty()) {
            node = node.children().get(0);
        }
        return node.path();
    }

    private void settle() {
        for (int i = 0; i < 20; i++) {
            while (display.readAndDispatch()) {
                // drain
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The shell's content as the X server shows it, saved as PNG in target/. */
    private Path screenshot(String name) throws Exception {
        Rectangle client = shell.getClientArea();
        Image image = new Image(display, client.width, client.height);
        GC gc = new GC(display);
        try {
            Point origin = shell.toDisplay(client.x, client.y);
            gc.copyArea(image, origin.x, origin.y);
        } finally {
            gc.dispose();
        }
        ImageData data = image.getImageData();
        image.dispose();
        Path png = Path.of("target", name);
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {data};
        loader.save(png.toString(), SWT.IMAGE_PNG);
        return png;
    }

    @Test
    void theKernelTreeSaysWhenItHasNoStacksAndWhenItEstimates() {
        io.blkflight.model.KindWeights none = new io.blkflight.model.KindWeights(false);
        none.add(io.blkflight.model.BlockRequest.builder().time(0, 1000).where("vda", "254:0", "read", "", 0, 4096).build());
        assertThat(BlockIoView.stacksNote(none)).contains("no kernel stacks recorded").contains("stacks=200/s");

        io.blkflight.model.KindWeights sampled = new io.blkflight.model.KindWeights(true);
        sampled.add(io.blkflight.model.BlockRequest.builder().time(0, 1000).where("vda", "254:0", "read", "", 0, 4096)
                .kernelStack(io.blkflight.model.Stage.SUBMIT, List.of("submit_bio+0x1"), true).build());
        sampled.add(io.blkflight.model.BlockRequest.builder().time(0, 1000).where("vda", "254:0", "read", "", 0, 4096).build());
        assertThat(BlockIoView.stacksNote(sampled)).isEqualTo(" (kernel frames from 1 sampled requests; ~: estimated)");
    }
}
