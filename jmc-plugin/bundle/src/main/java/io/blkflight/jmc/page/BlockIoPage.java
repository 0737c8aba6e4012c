package io.blkflight.jmc.page;

import io.blkflight.jmc.recording.BlockIoConstants;
import io.blkflight.jmc.recording.BlockIoRecording;
import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.jmc.widgets.BlockIoView;

import java.util.List;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.forms.widgets.Form;
import org.eclipse.ui.forms.widgets.FormToolkit;
import org.openjdk.jmc.common.IState;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemFilter;
import org.openjdk.jmc.flightrecorder.ui.IDisplayablePage;
import org.openjdk.jmc.flightrecorder.ui.IPageContainer;
import org.openjdk.jmc.flightrecorder.ui.IPageDefinition;
import org.openjdk.jmc.flightrecorder.ui.IPageUI;
import org.openjdk.jmc.flightrecorder.ui.StreamModel;
import org.openjdk.jmc.flightrecorder.ui.selection.ItemBackedSelection;

/**
 * The Block I/O page: the widgets (plain SWT) on the recording's requests, their selection handed to JMC so
 * that its Stack Trace, Threads and Flame Graph views follow it, and the selection store's actions in the
 * context menus so other pages can focus on the same requests.
 */
final class BlockIoPage implements IDisplayablePage {
    private static final String JAVA_ON_TOP = "javaOnTop";

    private final IPageDefinition definition;
    private final StreamModel model;

    BlockIoPage(IPageDefinition definition, StreamModel model) {
        this.definition = definition;
        this.model = model;
    }

    @Override
    public String getName() {
        return definition.getName();
    }

    @Override
    public String getDescription() {
        return definition.getDescription();
    }

    @Override
    public ImageDescriptor getImageDescriptor() {
        return definition.getImageDescriptor();
    }

    /** What JMC's views show when the page opens, before anything is selected: the block requests. */
    @Override
    public IItemFilter getDefaultSelectionFilter() {
        return BlockIoConstants.BLOCK_REQUESTS;
    }

    @Override
    public IPageUI display(Composite parent, FormToolkit toolkit, IPageContainer editor, IState state) {
        Form form = toolkit.createForm(parent);
        form.setText(getName());
        form.getBody().setLayout(new FillLayout());
        BlockIoView view = new BlockIoView(form.getBody(), SWT.NONE);
        Selection selection = new Selection();
        view.onSelection((requests, name) -> {
            selection.set(requests, name);
            editor.showSelection(selection.items());
        });
        view.addMenuAction("Store Selection",
                () -> editor.getSelectionStore().addSelection(new ItemBackedSelection(selection.items(), selection.name())));
        view.addMenuAction("Store and Set As Focused Selection", () -> editor.getSelectionStore()
                .addAndSetAsCurrentSelection(new ItemBackedSelection(selection.items(), selection.name())));
        view.show(BlockIoRecording.read(model.getItems().apply(BlockIoConstants.BLOCK_IO_AND_LINKS)));
        if (state != null && Boolean.parseBoolean(state.getAttribute(JAVA_ON_TOP))) {
            view.setJavaOnTop(true);
        }
        return writable -> writable.putString(JAVA_ON_TOP, Boolean.toString(view.javaOnTop()));
    }

    /** The page's current selection, as JMC items. */
    private static final class Selection {
        private List<RecordedRequest> requests = List.of();
        private String name = "Block I/O";

        void set(List<RecordedRequest> selected, String selectionName) {
            requests = selected;
            name = selectionName;
        }

        IItemCollection items() {
            return BlockIoRecording.items(requests);
        }

        String name() {
            return name;
        }
    }
}
