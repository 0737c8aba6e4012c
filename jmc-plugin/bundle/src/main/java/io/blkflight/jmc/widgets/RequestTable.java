package io.blkflight.jmc.widgets;

import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.FunctionHit;
import io.blkflight.model.Formats;
import io.blkflight.model.ThreadGrouping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/**
 * The selected requests, one a row: when, who, where, how big, how long it took and in which system call,
 * and how the Java stack was linked; then the file, the sector, the time of each stage and, in function-level mode,
 * the kernel functions. A virtual table: rows are filled as they scroll into view, so a range of 100,000
 * requests stays cheap.
 *
 * <p>Columns are as wide as the widest value the recording can put in them (measured once per recording,
 * so they keep their width from one selection to the next). The first {@link #FIRST_DETAIL} columns fit the
 * table's width, the thread column giving way down to a minimum when they would not; the details after them
 * may need the table's own scroll bar. A cell too narrow for its text shows it in its tooltip.
 */
final class RequestTable {
    /**
     * A column and the texts its width is measured on: all distinct values of the recording where they are
     * few, else the widest text its format can give.
     */
    private record Column(String name, int style, String toolTip, Function<BlockRequest, String> value,
            Function<List<BlockRequest>, Collection<String>> widest) {
    }

    /** The widest texts {@link Formats#nanos} gives for a request's times (seconds only for a stalled device). */
    private static final List<String> DURATIONS = List.of("999 ns", "999.9 us", "999.99 ms", "99.99 s", "n/a");
    /** The thread column gives way to the others down to this width. */
    private static final int MIN_THREAD_WIDTH = 120;
    /** A function path can be thousands of pixels long: the column stops here, its tooltip has the rest. */
    private static final int MAX_FUNCTIONS_WIDTH = 480;

    private static final List<Column> COLUMNS = List.of(
            new Column("Submitted", SWT.LEFT, "When the request was submitted, time of day in UTC", r -> Formats.timeOfDay(r.start()), rs -> List.of(Formats.timeOfDay(0))),
            new Column("Thread", SWT.LEFT, "The issuing thread; a virtual thread as the choice above the page says (one by one,"
                    + " by the carrier thread that carried it, or by its name with the trailing digits as *)",
                    r -> threadLabel(r, ThreadGrouping.EACH), rs -> distinct(rs, r -> threadLabel(r, ThreadGrouping.EACH))),
            new Column("Device", SWT.LEFT, null, BlockRequest::device, rs -> distinct(rs, BlockRequest::device)),
            new Column("Operation", SWT.LEFT, null, BlockRequest::operation, rs -> distinct(rs, BlockRequest::operation)),
            new Column("Bytes", SWT.RIGHT, null, r -> Formats.bytes(r.bytes()),
                    rs -> rs.stream().map(BlockRequest::bytes).distinct().map(Formats::bytes).toList()),
            new Column("Latency", SWT.RIGHT, "From submission until completion", r -> Formats.nanos(r.duration()), rs -> DURATIONS),
            new Column("System Call", SWT.LEFT, null, BlockRequest::syscall, rs -> distinct(rs, BlockRequest::syscall)),
            new Column("Java Stack", SWT.LEFT, "How the request was linked to a Java stack", r -> r.javaLink().source().label(),
                    rs -> distinct(rs, r -> r.javaLink().source().label())),
            new Column("File", SWT.LEFT, "The file the request's first bio read or wrote (or the journal, metadata...)",
                    BlockRequest::file, rs -> distinct(rs, BlockRequest::file)),
            new Column("Sector", SWT.RIGHT, null, r -> Long.toUnsignedString(r.sector()),
                    rs -> List.of(Long.toUnsignedString(rs.stream().mapToLong(BlockRequest::sector).reduce(0, RequestTable::unsignedMax)))),
            new Column("Alloc", SWT.RIGHT, "From submission until a request was allocated (btt's Q2G)",
                    r -> Formats.nanos(r.allocationTime()), rs -> DURATIONS),
            new Column("Insert", SWT.RIGHT, "From submission until the request entered the I/O scheduler",
                    r -> Formats.nanos(r.insertTime()), rs -> DURATIONS),
            new Column("Issue", SWT.RIGHT, "From submission until the request was dispatched to the driver",
                    r -> Formats.nanos(r.queueTime()), rs -> DURATIONS),
            new Column("Service", SWT.RIGHT, "From the last dispatch until completion (btt's D2C)",
                    r -> Formats.nanos(r.serviceTime()), rs -> DURATIONS),
            new Column("Kernel Functions", SWT.LEFT, "Function-level mode: the kernel functions the request went through",
                    RequestTable::functions, rs -> distinct(rs, RequestTable::functions)));
    /** The columns from here on are details: they may be scrolled to. */
    static final int FIRST_DETAIL = 8;
    private static final int THREAD = 1;
    private static final int FUNCTIONS = COLUMNS.size() - 1;
    private static final int FILE = FIRST_DETAIL;

    /** The thread column's text: the issuer, a virtual thread marked so, or its group. */
    static String threadLabel(BlockRequest request, ThreadGrouping grouping) {
        if (!request.virtualThread()) {
            return request.issuer();
        }
        return grouping == ThreadGrouping.EACH ? request.issuer() + " (virtual)" : grouping.label(request);
    }

    /** Function-level mode: the functions in order, and how many the path could not keep. */
    static String functions(BlockRequest request) {
        String path = request.functionPath().stream().map(FunctionHit::function).collect(Collectors.joining(" > "));
        return request.functionHitsLost() > 0 ? path + " (+" + request.functionHitsLost() + " more)" : path;
    }

    private static Set<String> distinct(List<BlockRequest> requests, Function<BlockRequest, String> value) {
        return requests.stream().map(value).collect(Collectors.toSet());
    }

    private static long unsignedMax(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private final Table table;
    private final int[] headers = new int[COLUMNS.size()];
    private final int[] needed = new int[COLUMNS.size()];
    private List<RecordedRequest> requests = List.of();
    private List<RecordedRequest> measured = List.of();
    private ThreadGrouping grouping = ThreadGrouping.EACH;
    private Consumer<List<RecordedRequest>> selectionListener = rows -> {
    };

    RequestTable(Composite parent) {
        table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI | SWT.VIRTUAL);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        for (Column column : COLUMNS) {
            TableColumn tableColumn = new TableColumn(table, column.style());
            tableColumn.setText(column.name());
            tableColumn.setToolTipText(column.toolTip());
        }
        for (int i = 0; i < COLUMNS.size(); i++) {
            headers[i] = TextFit.header(table, COLUMNS.get(i).name());
        }
        table.addListener(SWT.SetData, e -> {
            TableItem item = (TableItem) e.item;
            BlockRequest request = requests.get(table.indexOf(item)).request();
            for (int i = 0; i < COLUMNS.size(); i++) {
                item.setText(i, i == THREAD ? threadLabel(request, grouping) : String.valueOf(COLUMNS.get(i).value().apply(request)));
            }
        });
        table.addListener(SWT.Selection, e -> selectionListener.accept(selectedRequests()));
        table.addListener(SWT.Resize, e -> fitColumns());
        TextFit.showToolTips(table, this::toolTipAt);
        measure(List.of());
    }

    Table control() {
        return table;
    }

    void onSelection(Consumer<List<RecordedRequest>> listener) {
        this.selectionListener = listener;
    }

    /** Sizes the columns for the values of a recording's requests, any of which a selection may list. */
    void measure(List<RecordedRequest> recording) {
        measured = recording;
        List<BlockRequest> all = recording.stream().map(RecordedRequest::request).toList();
        GC gc = new GC(table);
        try {
            for (int i = 0; i < COLUMNS.size(); i++) {
                needed[i] = headers[i];
                Collection<String> widest = i == THREAD ? distinct(all, r -> threadLabel(r, grouping)) : COLUMNS.get(i).widest().apply(all);
                for (String text : widest) {
                    needed[i] = Math.max(needed[i], TextFit.cell(gc, text));
                }
            }
        } finally {
            gc.dispose();
        }
        boolean functionLevel = all.stream().anyMatch(r -> !r.functionPath().isEmpty());
        needed[FUNCTIONS] = functionLevel ? Math.min(needed[FUNCTIONS], MAX_FUNCTIONS_WIDTH) : 0;
        needed[FILE] = Math.min(needed[FILE], MAX_FUNCTIONS_WIDTH);
        fitColumns();
    }

    private void fitColumns() {
        int first = 0;
        for (int i = 0; i < FIRST_DETAIL; i++) {
            first += needed[i];
        }
        int available = table.getClientArea().width;
        for (int i = 0; i < COLUMNS.size(); i++) {
            int width = needed[i];
            if (i == THREAD && first > available) {
                width = Math.max(Math.min(needed[i], MIN_THREAD_WIDTH), needed[i] - (first - available));
            }
            table.getColumn(i).setWidth(width);
            table.getColumn(i).setResizable(width > 0); // the function column without functions stays hidden
        }
    }

    /** The text of the cell under the point when the cell is too narrow for it; else null. */
    private String toolTipAt(Point point) {
        TableItem item = table.getItem(point);
        if (item == null) {
            return null;
        }
        for (int i = 0; i < COLUMNS.size(); i++) {
            Rectangle cell = item.getBounds(i);
            if (cell.contains(point)) {
                String text = item.getText(i);
                return TextFit.cut(table, text, item.getTextBounds(i).x, cell.x + cell.width) ? text : null;
            }
        }
        return null;
    }

    /** How the thread column shows virtual threads; the rows shown are shown again. */
    void threadGrouping(ThreadGrouping newGrouping) {
        grouping = newGrouping;
        measure(measured);
        table.clearAll();
    }

    void show(List<RecordedRequest> rows) {
        requests = List.copyOf(rows);
        table.clearAll();
        table.setItemCount(requests.size());
    }

    List<RecordedRequest> selectedRequests() {
        List<RecordedRequest> selected = new ArrayList<>();
        for (int index : table.getSelectionIndices()) {
            selected.add(requests.get(index));
        }
        return selected;
    }
}
