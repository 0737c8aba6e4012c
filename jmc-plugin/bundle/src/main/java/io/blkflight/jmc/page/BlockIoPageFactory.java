package io.blkflight.jmc.page;

import io.blkflight.jmc.rule.BlockIoLatencyRule;

import org.eclipse.jface.resource.ImageDescriptor;
import org.openjdk.jmc.common.IState;
import org.openjdk.jmc.flightrecorder.ui.IDataPageFactory;
import org.openjdk.jmc.flightrecorder.ui.IDisplayablePage;
import org.openjdk.jmc.flightrecorder.ui.IPageContainer;
import org.openjdk.jmc.flightrecorder.ui.IPageDefinition;
import org.openjdk.jmc.flightrecorder.ui.StreamModel;

/** Makes the Block I/O page; JMC finds it through plugin.xml (extension point org.openjdk.jmc.flightrecorder.ui.datapage). */
public final class BlockIoPageFactory implements IDataPageFactory {
    /** The factory's id in plugin.xml and pages.xml. */
    public static final String ID = "io.blkflight.jmc.blockio";
    static final String NAME = "Block I/O";

    @Override
    public String getName(IState state) {
        return NAME;
    }

    @Override
    public String getDescription(IState state) {
        return "Kernel block I/O requests recorded by blkflight: the kernel call tree of the requests, the Java stacks "
                + "that caused them, each request's stages and the latency histogram.";
    }

    @Override
    public String[] getTopics(IState state) {
        return new String[] {BlockIoLatencyRule.TOPIC};
    }

    @Override
    public ImageDescriptor getImageDescriptor(IState state) {
        return ImageDescriptor.createFromURL(BlockIoPageFactory.class.getResource("/icons/block-io.png"));
    }

    @Override
    public IDisplayablePage createPage(IPageDefinition definition, StreamModel items, IPageContainer editor) {
        return new BlockIoPage(definition, items);
    }
}
