package io.blkflight.jmc.widgets;

import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.FunctionHit;
import io.blkflight.model.Formats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/**
 * The selected requests, one a row: when, who, where, how big, how long each stage took, in which system
 * call and on which file. A virtual table: rows are filled as they scroll into view, so a range of 100,000 requests stays cheap.
 */
final class RequestTable {
    private record Column(String name, int width, int style, Function<BlockRequest, String> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("Submitted (UTC)", 120, SWT.LEFT, r -> Formats.timeOfDay(r.start())),
            new Column("Thread", 110, SWT.LEFT, BlockRequest::issuer),
            new Column("Device", 60, SWT.LEFT, BlockRequest::device),
            new Column("Operation", 70, SWT.LEFT, BlockRequest::operation),
            new Column("Sector", 95, SWT.RIGHT, r -> Long.toUnsignedString(r.sector())),
            new Column("Bytes", 75, SWT.RIGHT, r -> Formats.bytes(r.bytes())),
            new Column("Latency", 75, SWT.RIGHT, r -> Formats.nanos(r.duration())),
            new Column("Alloc", 70, SWT.RIGHT, r -> Formats.nanos(r.allocationTime())),
            new Column("Insert", 70, SWT.RIGHT, r -> Formats.nanos(r.insertTime())),
            new Column("Issue", 70, SWT.RIGHT, r -> Formats.nanos(r.queueTime())),
            new Column("Service", 70, SWT.RIGHT, r -> Formats.nanos(r.serviceTime())),
            new Column("System Call", 85, SWT.LEFT, BlockRequest::syscall),
            new Column("File", 200, SWT.LEFT, BlockRequest::file),
            new Column("Java Stack", 110, SWT.LEFT, r -> r.javaLink().source().label()),
            new Column("Kernel Functions", 300, SWT.LEFT, RequestTable::functions));

    /** Function-level mode: the functions in order, and how many the path could not keep. */
    static String functions(BlockRequest request) {
        String path = request.functionPath().stream().map(FunctionHit::function).collect(Collectors.joining(" > "));
        return request.functionHitsLost() > 0 ? path + " (+" + request.functionHitsLost() + " more)" : path;
    }

    private final Table table;
    private List<RecordedRequest> requests = List.of();
    private Consumer<List<RecordedRequest>> selectionListener = rows -> {
    };

    RequestTable(Composite parent) {
        table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI | SWT.VIRTUAL);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        for (Column column : COLUMNS) {
            TableColumn tableColumn = new TableColumn(table, column.style());
            tableColumn.setText(column.name());
            tableColumn.setWidth(column.width());
        }
        table.getColumn(7).setToolTipText("From submission until a request was allocated (btt's Q2G)");
        table.getColumn(8).setToolTipText("From submission until the request entered the I/O scheduler");
        table.getColumn(9).setToolTipText("From submission until the request was dispatched to the driver");
        table.getColumn(10).setToolTipText("From the last dispatch until completion (btt's D2C)");
        table.addListener(SWT.SetData, e -> {
            TableItem item = (TableItem) e.item;
            BlockRequest request = requests.get(table.indexOf(item)).request();
            for (int i = 0; i < COLUMNS.size(); i++) {
                item.setText(i, String.valueOf(COLUMNS.get(i).value().apply(request)));
            }
        });
        table.addListener(SWT.Selection, e -> selectionListener.accept(selectedRequests()));
    }

    Table control() {
        return table;
    }

    void onSelection(Consumer<List<RecordedRequest>> listener) {
        this.selectionListener = listener;
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
