package io.blkflight.jmc.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.jmc.recording.Fixtures;
import io.blkflight.jmc.widgets.BlockIoView;
import io.blkflight.model.EventNames;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.forms.widgets.FormToolkit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmc.common.IState;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.flightrecorder.ui.IDisplayablePage;
import org.openjdk.jmc.flightrecorder.ui.IPageContainer;
import org.openjdk.jmc.flightrecorder.ui.IPageDefinition;
import org.openjdk.jmc.flightrecorder.ui.RecordingStreamModel;
import org.openjdk.jmc.flightrecorder.ui.selection.IFlavoredSelection;
import org.openjdk.jmc.flightrecorder.ui.selection.SelectionStore;

/**
 * The page as JMC's editor drives it (factory, page, display with a FormToolkit), with a page container that
 * records what the page hands to JMC's selection: checked against the mirror of JMC's UI API, since JMC's UI
 * bundles are not available to a build (the OSGi test checks that the bundle links against its signatures).
 */
class BlockIoPageTest {
    /** What the page handed to JMC's views. */
    private final List<IItemCollection> shown = new ArrayList<>();

    @Test
    void pageShowsTheRecordingAndHandsItsSelectionToJmc() {
        Display display = Display.getDefault();
        Shell shell = new Shell(display);
        shell.setLayout(new FillLayout());
        shell.setSize(1200, 800);
        FormToolkit toolkit = new FormToolkit(display);
        try {
            BlockIoPageFactory factory = new BlockIoPageFactory();
            IDisplayablePage page = factory.createPage(definition(factory), new RecordingStreamModel(Fixtures.load(Fixtures.DIRECT_IO)), container());
            page.display(shell, toolkit, container(), null);
            shell.open();

            BlockIoView view = find(shell);
            assertThat(view).as("the page's Block I/O view").isNotNull();
            assertThat(view.kernelTreeControl().getItem(0).getText(1)).as("requests in the kernel tree").isEqualTo("9");
            assertThat(types(shown.get(shown.size() - 1))).as("events handed to JMC's views at first")
                    .containsOnly(EventNames.COMPACT_REQUEST, EventNames.FILE_READ, EventNames.FILE_WRITE, EventNames.FILE_FORCE);

            view.selectKernelFrame(List.of("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_fsync"));
            assertThat(types(shown.get(shown.size() - 1))).as("events handed to JMC's views for the fsync frame")
                    .containsExactlyInAnyOrder(EventNames.COMPACT_REQUEST, EventNames.FILE_FORCE);
        } finally {
            toolkit.dispose();
            shell.dispose();
        }
    }

    private static BlockIoView find(Composite composite) {
        for (Control child : composite.getChildren()) {
            if (child instanceof BlockIoView) {
                return (BlockIoView) child;
            }
            if (child instanceof Composite) {
                BlockIoView found = find((Composite) child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static List<String> types(IItemCollection items) {
        List<String> types = new ArrayList<>();
        for (IItemIterable iterable : items) {
            for (IItem item : iterable) {
                types.add(item.getType().getIdentifier());
            }
        }
        return types;
    }

    private IPageContainer container() {
        return new IPageContainer() {
            @Override
            public void showSelection(IItemCollection items) {
                shown.add(items);
            }

            @Override
            public void showSelection(IFlavoredSelection selection) {
                throw new AssertionError("the page hands JMC items, not flavored selections");
            }

            @Override
            public SelectionStore getSelectionStore() {
                return new SelectionStore();
            }
        };
    }

    private static IPageDefinition definition(BlockIoPageFactory factory) {
        return new IPageDefinition() {
            @Override
            public String getName() {
                return factory.getName(null);
            }

            @Override
            public String getDescription() {
                return factory.getDescription(null);
            }

            @Override
            public String[] getTopics() {
                return factory.getTopics(null);
            }

            @Override
            public ImageDescriptor getImageDescriptor() {
                return factory.getImageDescriptor(null);
            }

            @Override
            public IState getState() {
                return null;
            }
        };
    }
}
