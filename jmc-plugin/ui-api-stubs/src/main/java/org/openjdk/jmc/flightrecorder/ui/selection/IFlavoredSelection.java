package org.openjdk.jmc.flightrecorder.ui.selection;

import org.eclipse.jface.viewers.ISelection;

/** From openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui/selection/IFlavoredSelection.java: the type only (the plugin passes selections, it never calls getFlavors). */
public interface IFlavoredSelection extends ISelection {
    String getName();
}
