package io.blkflight.jmc.widgets;

import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.model.FileGroups;
import io.blkflight.model.Formats;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/**
 * The files the requests in range read or wrote, one a row, the most requests first: selecting files narrows the
 * page's selection (the request table, the histogram and JMC's selection) to their requests.
 */
final class FilesTable {
    private static final String[] COLUMNS = {"File", "Operations", "Requests", "Bytes", "p99", "Max"};
    private static final int[] WIDTHS = {260, 80, 70, 75, 70, 70};

    private final Table table;
    private List<FileGroups.Row> rows = List.of();
    private Consumer<Set<String>> selectionListener = files -> {
    };

    FilesTable(Composite parent) {
        table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        for (int i = 0; i < COLUMNS.length; i++) {
            TableColumn column = new TableColumn(table, i < 2 ? SWT.LEFT : SWT.RIGHT);
            column.setText(COLUMNS[i]);
            column.setWidth(WIDTHS[i]);
        }
        table.getColumn(0).setToolTipText("What the requests read or wrote: the file's path, or the journal, metadata, ...");
        table.addListener(SWT.Selection, e -> selectionListener.accept(selectedFiles()));
    }

    Table control() {
        return table;
    }

    void onSelection(Consumer<Set<String>> listener) {
        this.selectionListener = listener;
    }

    /** Lists the files of these requests; the files selected before stay selected where they remain. */
    void show(List<RecordedRequest> requests) {
        Set<String> selected = selectedFiles();
        FileGroups groups = new FileGroups();
        requests.forEach(r -> groups.add(r.request()));
        rows = groups.totals();
        table.removeAll();
        for (FileGroups.Row row : rows) {
            TableItem item = new TableItem(table, SWT.NONE);
            item.setText(new String[] {row.file(), row.operation(), Formats.count(row.requests()), Formats.bytes(row.bytes()),
                Formats.nanos(row.latency().percentile(99)), Formats.nanos(row.latency().max())});
            if (selected.contains(row.file())) {
                table.select(table.indexOf(item));
            }
        }
    }

    /** The files selected, empty for none. */
    Set<String> selectedFiles() {
        Set<String> files = new LinkedHashSet<>();
        for (int index : table.getSelectionIndices()) {
            files.add(rows.get(index).file());
        }
        return files;
    }

    /** Selects these files, as clicks on their rows would; returns how many rows it found. */
    int select(Set<String> files) {
        table.deselectAll();
        int found = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (files.contains(rows.get(i).file())) {
                table.select(i);
                found++;
            }
        }
        selectionListener.accept(selectedFiles());
        return found;
    }
}
