package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A kernel stack that block requests refer to, written once per chunk before the first request that
 * names it. Requests name stacks by {@link #stackId}.
 */
@Name(EventNames.KERNEL_STACK)
@Label("Kernel Stack")
@Category({EventNames.CATEGORY, "Block I/O"})
@Description("A kernel stack seen at a stage of block requests, symbolized from /proc/kallsyms, innermost frame first.")
@StackTrace(false)
public final class KernelStackEvent extends jdk.jfr.Event {
    @Label("Stack Id")
    @Description("The id BlockRequest events use for this stack (never 0).")
    public long stackId;

    @Label("Frames")
    @Description("One frame per line, innermost first, as function+0xoffset (a module's functions with [module]).")
    public String frames;

    @Label("Depth")
    public int depth;

    @Label("Truncated")
    @Description("The stack was deeper than the frames kept: its outermost frames are missing.")
    public boolean truncated;
}
