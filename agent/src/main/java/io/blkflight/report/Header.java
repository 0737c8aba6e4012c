package io.blkflight.report;

import io.blkflight.model.EventNames;
import io.blkflight.model.Formats;
import io.blkflight.model.Text;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import jdk.jfr.consumer.RecordedEvent;

/** The first lines of the summary and the report: what the collector ran with and what it lost. */
final class Header {
    private static final String[] LOSSES = {
        "lostRingBufferFull", "lostInflightMapFull", "lostBioMapFull", "lostUnfinished", "lostExpired",
        "lostNotRecorded", "stackCollisions", "stacksLost", "functionHitsLost", "functionPathsLost", "dirtyFilesLost",
        "dirtyingsUntallied",
        "filePathsLost", "pushProfilesLost", "pushRequestsLost", "faultStacksNotSent", "faultStacksDropped",
        "carriersWithoutSlot", "virtualThreadsNotHandedOver",
    };

    /**
     * Faults and calls that got no fault stack by design or by the JVM's refusal (the budget, a blocked or taken
     * signal, AsyncGetCallTrace failing, a thread ending first): said on the fault stacks line, since their requests
     * may still be linked by file events (the link line counts what stayed unlinked). Stacks the kernel side could not
     * send or the agent could not record are losses (above).
     */
    private static final String[][] FAULT_STACKS_NOT_TAKEN = {
        {"faultStacksOverBudget", "over the budget"}, {"faultStacksSignalBlocked", "signal blocked by the thread"},
        {"faultStacksSignalTaken", "signal taken by other code"}, {"faultStacksUnwalkable", "not walkable"},
        {"faultStacksUndelivered", "thread ended or call did not return first"},
    };

    /**
     * Requests that were recorded but whose attribution is incomplete, with the cause a reader needs: a count
     * field of blkflight.CollectorStatistics and what it means.
     */
    private static final String[][] INCOMPLETE = {
        {"unresolvedThreads", "without their Java thread (it ended before it was named, or is not a Java thread)"},
        {"writebackUncredited", "written back without the thread that dirtied the pages (the kernel side had forgotten it)"},
        {"filesUnnamed", "naming their file by inode only (its path was lost or forgotten; asked for again)"},
        {"virtualThreadsById", "naming their virtual thread by id only (the agent no longer held it)"},
    };

    private Header() {
    }

    static void print(RecordedRequests recorded, PrintStream out) {
        recorded.partialNote().ifPresent(note -> out.println("  " + note));
        RecordedEvent configuration = recorded.configuration();
        if (configuration != null) {
            String state = text(configuration, "state");
            String probes = text(configuration, "probes");
            out.println("  collector: " + state + ("failed".equals(state) ? " (" + text(configuration, "reason") + ")" : "")
                    + ", kernel " + text(configuration, "kernelRelease") + ", scope " + text(configuration, "scope")
                    + ", devices " + text(configuration, "devices") + ", " + text(configuration, "mode")
                    + " (" + (probes.isEmpty() ? 0 : probes.split(",").length) + " probes)");
            String writeback = configuration.hasField(EventNames.Configuration.WRITEBACK)
                    ? text(configuration, EventNames.Configuration.WRITEBACK) : "";
            if (!writeback.isEmpty() && !writeback.equals("on")) {
                out.println("  writeback of the JVM's dirty pages: " + writeback + (writeback.equals("off")
                        ? " (writeback=off: requests of the flusher threads for its pages are not recorded)" : ""));
            }
            String virtual = configuration.hasField(EventNames.Configuration.VIRTUAL_THREADS)
                    ? text(configuration, EventNames.Configuration.VIRTUAL_THREADS) : "";
            if (!virtual.isEmpty() && !virtual.equals("on") && !virtual.startsWith("none")) {
                out.println("  virtual threads: " + virtual + " (requests of virtual threads are credited to their carrier threads)");
            }
            String functions = configuration.hasField("functionTracing") ? text(configuration, "functionTracing") : "off";
            if (functions.equals("refused")) {
                out.println("  function-level mode: refused (" + text(configuration, "functionTracingProblem") + ")");
            } else if (!functions.equals("off")) {
                Object attached = configuration.hasField("functionsAttached") ? configuration.getValue("functionsAttached") : null;
                long count = attached instanceof String list && !list.isEmpty() ? list.lines().count() : 0;
                out.println("  function-level mode: " + count
                        + " kernel functions through " + functions);
            }
        } else {
            out.println("  collector: the recording has no blkflight.CollectorConfiguration event");
        }
        RecordedEvent statistics = recorded.statistics();
        String faultStacks = configuration != null && configuration.hasField(EventNames.Configuration.FAULT_STACKS)
                ? text(configuration, EventNames.Configuration.FAULT_STACKS) : "";
        if (!faultStacks.isEmpty() && !faultStacks.equals("off")) {
            out.println("  fault stacks: " + faultStacks + (statistics != null && isLong(statistics, "faultStacks")
                    ? "; " + Formats.count(statistics.getLong("faultStacks")) + " Java stacks of faults and calls taken"
                    + (isLong(statistics, "faultStacksNotJava") && statistics.getLong("faultStacksNotJava") > 0
                    ? ", " + Formats.count(statistics.getLong("faultStacksNotJava")) + " of threads without Java frames" : "")
                    + notTaken(statistics)
                    : ""));
        }
        if (statistics != null) {
            List<String> losses = new ArrayList<>();
            for (String loss : LOSSES) {
                if (isLong(statistics, loss) && statistics.getLong(loss) > 0) {
                    String label = Text.clean(statistics.getEventType().getField(loss).getLabel());
                    losses.add((label.startsWith("Lost: ") ? label.substring(6) : label) + ": " + Formats.count(statistics.getLong(loss)));
                }
            }
            List<String> incomplete = counted(statistics, INCOMPLETE);
            if (isLong(statistics, "ownIoNotFollowed") && statistics.getLong("ownIoNotFollowed") > 0) {
                losses.add("this JVM's own I/O not followed: " + Formats.bytes(statistics.getLong("ownIoNotFollowed"))
                        + " (its /proc/self/io grew while the collector followed none of its requests: the scope did not"
                        + " match it)");
            }
            out.println("  losses: " + (losses.isEmpty() ? "none" : String.join(", ", losses))
                    + (incomplete.isEmpty() ? "" : "; recorded with incomplete attribution: " + String.join(", ", incomplete))
                    + (isLong(statistics, "untracked") ? "; requests of other processes or disks not followed: "
                    + Formats.count(statistics.getLong("untracked")) : ""));
            if (isLong(statistics, "endUnseen") && statistics.getLong("endUnseen") > 0) {
                out.println("  requests whose end the kernel side did not see (status end-unseen): "
                        + Formats.count(statistics.getLong("endUnseen")));
            }
        }
    }

    private static boolean isLong(RecordedEvent event, String field) {
        return event.getEventType().getField(field) != null && event.getEventType().getField(field).getTypeName().equals("long");
    }

    private static String text(RecordedEvent event, String field) {
        if (!event.hasField(field)) {
            return "?";
        }
        Object value = event.getValue(field);
        return value == null ? "" : Text.clean(value.toString());
    }

    /** "; not taken: 1,842 over the budget, ..." for the fault stacks line, or "" when every one was taken. */
    private static String notTaken(RecordedEvent statistics) {
        List<String> causes = counted(statistics, FAULT_STACKS_NOT_TAKEN);
        return causes.isEmpty() ? "" : "; not taken: " + String.join(", ", causes);
    }

    /** "N what" for each {field, what} of the table whose count is above 0, in the table's order. */
    private static List<String> counted(RecordedEvent statistics, String[][] table) {
        List<String> counted = new ArrayList<>();
        for (String[] cause : table) {
            if (isLong(statistics, cause[0]) && statistics.getLong(cause[0]) > 0) {
                counted.add(Formats.count(statistics.getLong(cause[0])) + " " + cause[1]);
            }
        }
        return counted;
    }
}
