package io.blkflight.it;

import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Written by the test workloads around each I/O call, in the same recording as the agent's events:
 * JFR's own measurement of the window in which the call's requests must start and end.
 */
@Name("blkflight.test.IoCall")
@Label("I/O Call")
@StackTrace(false)
public final class IoCallEvent extends jdk.jfr.Event {
    @Label("Operation")
    public String operation;

    @Label("File")
    public String file;

    @Label("Block")
    public long block;
}
