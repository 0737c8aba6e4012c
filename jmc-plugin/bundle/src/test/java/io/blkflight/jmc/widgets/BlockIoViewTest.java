package io.blkflight.jmc.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.jmc.recording.BlockIoRecording;
import io.blkflight.jmc.recording.Fixtures;
import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.jmc.recording.RequestTrees;
import io.blkflight.model.CallTree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
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
        shell.setSize(1500, 950);
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
    void showsTheTreesTheTableAndTheHistogramOfTheRecording() {
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
        assertThat(selections).as("selections handed to JMC").containsExactly("Block I/O: 1,695 requests");
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
        assertThat(cellsOfColumn(11)).as("system calls of the listed requests").contains("fsync");
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

        Path png = screenshot("block-io-page.png");
        assertThat(png).as("screenshot").exists();
        assertThat(Files.size(png)).as("screenshot size in bytes").isGreaterThan(20_000);
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
        assertThat(cellsOfColumn(12)).as("the request table's file column").contains(data);

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

    /** The shell as the X server shows it, saved as PNG in target/. */
    private Path screenshot(String name) throws Exception {
        Point size = shell.getSize();
        Image image = new Image(display, size.x, size.y);
        GC gc = new GC(display);
        try {
            Point origin = shell.getLocation();
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
}
