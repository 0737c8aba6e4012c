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
        if (request.sharedJournal()) {
            return "(" + request.comm() + ", journal commit shared by the JVM)";
        }
        return request.otherDirtier().isEmpty() ? "(writeback by " + request.comm() + ", dirtier not known)"
                : "(" + request.otherDirtierLabel() + ", writeback)";
    }

    /** The file the request read or wrote, or {@link #NO_FILE}. */
    public static String file(BlockRequest request) {
        return request.hasFile() ? request.file() : NO_FILE;
    }

    /**
     * The Java call site that caused the request, innermost frame first with line numbers, at most {@code frames} of
     * them ("at Class.method:line <- ...  [file event]"; for writeback "dirtied at ..."), or why there is none.
     */
    public static String callSite(BlockRequest request, int frames) {
        JavaLink link = request.javaLink();
        if (!link.linked() || link.frames().isEmpty()) {
            return request.javaThreadId() < 0 ? (request.sharedJournal() ? "no Java stack: a journal commit no thread of the JVM waited for"
                    : request.isWriteback() ? "no Java stack: the dirtier is not known"
                    : "no Java stack: not issued by a Java thread")
                    : "no Java stack linked: no file event or sample of the thread " + (request.isWriteback()
                    ? "near the time it dirtied the pages" : "covers the request");
        }
        StringBuilder site = new StringBuilder(request.credit().equals("fsync") ? "waited in fsync at "
                : request.isWriteback() ? "dirtied at " : "at ");
        int shown = Math.min(frames, link.frames().size());
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                site.append(" <- ");
            }
            site.append(link.frames().get(i));
            int line = link.lines().get(i);
            if (line > 0) {
                site.append(':').append(line);
            }
        }
        if (link.frames().size() > shown) {
            site.append(" <- ... (").append(link.frames().size() - shown).append(" more)");
        }
        return site.append("  [").append(link.source().label()).append(']').toString();
    }

    /** The system call, or for writeback the flusher's "[writeback: reason]". */
    public static String call(BlockRequest request) {
        return request.isWriteback() ? CallTree.writebackFrame(request) : request.syscall();
    }
}
