package org.openjdk.jmc.flightrecorder.ui;

import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.ui.selection.IFlavoredSelection;
import org.openjdk.jmc.flightrecorder.ui.selection.SelectionStore;

/**
 * From openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui/IPageContainer.java: only the methods the plugin calls (JMC's editor implements the interface;
 * the others are getDisplayablePage, navigateTo, getRecordingRange, showResults, getRuleManager, getConfig and
 * currentPageRefresh).
 */
public interface IPageContainer {
    /** Makes the items JMC's selection: the Stack Trace, Threads and Flame Graph views show them. */
    void showSelection(IItemCollection items);

    void showSelection(IFlavoredSelection selection);

    SelectionStore getSelectionStore();
}
