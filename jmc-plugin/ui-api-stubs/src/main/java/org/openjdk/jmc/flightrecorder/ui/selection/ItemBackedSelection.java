package org.openjdk.jmc.flightrecorder.ui.selection;

import org.openjdk.jmc.common.item.IItemCollection;

/** From openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui/selection/ItemBackedSelection.java: the constructor the plugin calls. */
public class ItemBackedSelection extends FlavoredSelectionBase {
    public ItemBackedSelection(IItemCollection selectedItems, String name) {
        super(name);
        throw new UnsupportedOperationException("compile-only mirror of JMC's ItemBackedSelection");
    }
}
