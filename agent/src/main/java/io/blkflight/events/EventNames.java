package io.blkflight.events;

/**
 * The name of every blkflight JFR event, defined once and shared by the agent, the report and the
 * Mission Control plugin.
 */
public final class EventNames {
    public static final String BLOCK_REQUEST = "blkflight.BlockRequest";
    public static final String COLLECTOR_STATISTICS = "blkflight.CollectorStatistics";
    public static final String COLLECTOR_CONFIGURATION = "blkflight.CollectorConfiguration";
    public static final String KERNEL_STACK = "blkflight.KernelStack";

    /** The category every blkflight event is filed under in JMC and {@code jfr summary}. */
    public static final String CATEGORY = "blkflight";

    private EventNames() {
    }
}
