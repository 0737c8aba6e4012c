package org.openjdk.jmc.flightrecorder.ui.selection;

/**
 * From openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui/selection/SelectionStore.java: the methods the plugin calls. A stored selection can be picked in other
 * pages' focus menus; the current one is what those pages show when "use focused selection" is on.
 */
public class SelectionStore {
    public void addSelection(IFlavoredSelection selection) {
        throw new UnsupportedOperationException("compile-only mirror of JMC's SelectionStore");
    }

    public void addAndSetAsCurrentSelection(IFlavoredSelection selection) {
        throw new UnsupportedOperationException("compile-only mirror of JMC's SelectionStore");
    }
}
