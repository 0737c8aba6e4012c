package org.openjdk.jmc.flightrecorder.ui.selection;

/** From openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui/selection/FlavoredSelectionBase.java: the type only, as the superclass of ItemBackedSelection. */
public abstract class FlavoredSelectionBase implements IFlavoredSelection {
    protected FlavoredSelectionBase(String name) {
    }

    @Override
    public String getName() {
        throw new UnsupportedOperationException("compile-only mirror of JMC's FlavoredSelectionBase");
    }

    @Override
    public boolean isEmpty() {
        throw new UnsupportedOperationException("compile-only mirror of JMC's FlavoredSelectionBase");
    }
}
