package org.openjdk.jmc.flightrecorder.ui;

import org.openjdk.jmc.common.item.IItemCollection;

/**
 * A StreamModel over a loaded recording, for the page test outside JMC. It extends the compile-only mirror
 * (JMC's real StreamModel has a package-private constructor too, hence this package).
 */
public final class RecordingStreamModel extends StreamModel {
    private final IItemCollection items;

    public RecordingStreamModel(IItemCollection items) {
        this.items = items;
    }

    @Override
    public IItemCollection getItems() {
        return items;
    }
}
