package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Committed once, at the JVM's exit, by push= after the collector's last drain, on the same thread: the agent's own
 * JFR stream knows, once it reads this event, that it has read every request recorded before the JVM began to exit,
 * and sends the last, unfinished interval's profile. Off unless push= runs (only its stream enables it); JFR then
 * writes it into the chunk, so a recording of that JVM holds it too.
 */
@Name(EventNames.PUSH_MARK)
@Label("Push Mark")
@Category({EventNames.CATEGORY, "Collector"})
@Description("Where the agent's push, at the JVM's exit, had read every request recorded before; holds nothing else.")
@StackTrace(false)
@Enabled(false)
public final class PushMarkEvent extends jdk.jfr.Event {
}
