package org.openjdk.jmc.flightrecorder.ui;

import org.openjdk.jmc.common.item.IItemCollection;

/** From openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui/StreamModel.java: the one method the plugin calls (JMC constructs it; its constructor is package-private). */
public class StreamModel {
    StreamModel() {
    }

    public IItemCollection getItems() {
        throw new UnsupportedOperationException("compile-only mirror of JMC's StreamModel");
    }
}
