package org.openjdk.jmc.flightrecorder.ui;

import org.eclipse.jface.resource.ImageDescriptor;
import org.openjdk.jmc.common.IState;

/** From openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui/IPageDefinition.java (complete). */
public interface IPageDefinition {
    String getName();

    String getDescription();

    String[] getTopics();

    ImageDescriptor getImageDescriptor();

    IState getState();
}
