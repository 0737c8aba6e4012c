package io.blkflight.model;

/**
 * How the views that group requests by thread or file name a request's group, alike in the summary, the report's
 * timeline and pattern tables, the exports and the JMC page.
 */
public final class RequestLabels {
    /** The file group of requests whose recording does not name their file (files=off, or older agents). */
    public static final String NO_FILE = "(file not recorded)";

    private RequestLabels() {
    }

    /**
     * The thread a request counts for: its Java thread; for writeback, the thread that dirtied its pages, marked
     * "(writeback)" (the issuer is then a flusher kernel thread); else the issuer, said to be no Java thread.
     */
    public static String thread(BlockRequest request) {
        if (request.javaThreadName() != null) {
            return request.javaThreadName() + (request.isWriteback() ? " (writeback)" : "");
        }
        if (!request.isWriteback()) {
            return "(" + request.comm() + ", not a Java thread)";
        }
        return request.otherDirtier().isEmpty() ? "(writeback by " + request.comm() + ", dirtier not known)"
                : "(" + request.otherDirtierLabel() + ", writeback)";
    }

    /** The file the request read or wrote, or {@link #NO_FILE}. */
    public static String file(BlockRequest request) {
        return request.hasFile() ? request.file() : NO_FILE;
    }

    /** The system call, or for writeback the flusher's "[writeback: reason]". */
    public static String call(BlockRequest request) {
        return request.isWriteback() ? CallTree.writebackFrame(request) : request.syscall();
    }
}
