package io.blkflight.model;

import java.util.List;

/**
 * The Java stack of the call that issued a request, and how the recording provided it.
 *
 * @param source how the link was made
 * @param frames Java frames, innermost first, as {@code package.Class.method}
 * @param lines  the line number of each frame, -1 where unknown
 */
public record JavaLink(Source source, List<String> frames, List<Integer> lines) {
    /** Where a Java stack came from, best first. */
    public enum Source {
        /** A jdk.FileRead, jdk.FileWrite or jdk.FileForce event of the thread whose time window contains the submission. */
        FILE_EVENT("file event"),
        /**
         * Writeback: a jdk.FileWrite (or other file event) of the thread that dirtied the pages, on the same file and
         * near the time it dirtied them, but not containing it (the dirtying write itself was below JFR's threshold).
         */
        NEARBY_FILE_EVENT("nearby file event"),
        /**
         * A blkflight.FaultStack of the thread whose time window contains the submission: the Java stack where the
         * page fault or system call that issued it returned to Java (exact, also for mapped files and native code).
         */
        FAULT_STACK("fault stack"),
        /** A jdk.NativeMethodSample of the thread within the system call's window. */
        NATIVE_SAMPLE("native method sample"),
        /** A jdk.ExecutionSample of the thread within the system call's window. */
        EXECUTION_SAMPLE("execution sample"),
        /** Nothing in the recording links it. */
        NONE("not linked");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static final JavaLink NONE = new JavaLink(Source.NONE, List.of(), List.of());

    public JavaLink {
        frames = List.copyOf(frames);
        lines = List.copyOf(lines);
    }

    public boolean linked() {
        return source != Source.NONE;
    }
}
