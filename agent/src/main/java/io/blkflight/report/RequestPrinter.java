package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.CallTree;
import io.blkflight.model.Formats;
import io.blkflight.model.FunctionHit;
import io.blkflight.model.JavaLink;

import java.io.PrintStream;

/**
 * One request in detail: where it went, who issued it, its timeline, the Java stack of the call, and
 * the merged kernel tree of its stages' stacks with offsets, as the original bpftrace script printed it.
 */
final class RequestPrinter {
    private RequestPrinter() {
    }

    /** @param noStacksWhy why a request may have no kernel stacks in this recording (its stacks option) */
    static void print(BlockRequest request, PrintStream out, String noStacksWhy) {
        out.printf("request 0x%x generation %d: %s (%s) %s, sector %d, %s%s, status %s%n", request.requestAddress(),
                request.generation(), request.device(), request.deviceNumber(), request.operation(), request.sector(),
                Formats.bytes(request.bytes()), request.flags().isEmpty() ? "" : ", flags " + request.flags(),
                request.status());
        if (request.isWriteback()) {
            boolean journal = request.writeback().equals("journal");
            boolean data = !request.credit().equals("fsync") && !request.sharedJournal();
            out.printf("  %s by %s (tid %d of pid %d) at %s, %s%s%n", journal ? "journal commit" : "writeback ("
                    + request.writeback() + ")", request.comm(), request.osThreadId(), request.pid(),
                    Report.time(request.start()), data ? "of pages " : "", dirtier(request));
        } else {
            out.printf("  issued by %s (tid %d of pid %d) in %s at %s%n", request.javaThreadName() != null
                            ? request.javaThreadName() + ", " + threadKind(request) : request.comm(), request.osThreadId(),
                    request.pid(), request.syscall(), Report.time(request.start()));
        }
        out.println("  timeline: submit 0, alloc " + at(request.allocationTime()) + ", insert " + at(request.insertTime())
                + ", issue " + at(request.queueTime()) + ", complete +" + Formats.nanos(request.duration())
                + " (service " + Formats.nanos(request.serviceTime()) + ")");
        if (request.hasFile()) {
            out.println("  file: " + request.file() + (request.inode() != 0 ? " (inode " + Long.toUnsignedString(request.inode())
                    + (request.fileKind().isEmpty() ? "" : ", " + request.fileKind()) + ")" : "")
                    + (request.otherFiles() > 0 ? "; its bios were merged with those of " + request.otherFiles() + " other file"
                    + (request.otherFiles() == 1 ? "" : "s") : ""));
        }
        if (request.generation() > 1) {
            out.println("  the kernel handed out this struct request before: this is its lifecycle number "
                    + request.generation() + " since the collector started, a new request, not the same one again");
        }
        JavaLink link = request.javaLink();
        out.println("  Java stack: " + (link.linked() ? "from a " + link.source().label() + (request.isWriteback()
                ? " of the dirtying call, on top of the writeback's stages" : ", on top of the stages that ran in the thread")
                : request.javaThreadId() < 0 ? (request.isWriteback() ? "none (the dirtier is not known)" : "none (not issued by a Java thread)")
                : request.isWriteback() ? "not linked (no file event or sample of the thread near the time it dirtied the pages)"
                : "not linked (no file event or sample of the thread covers the request)"));
        if (!request.functionPath().isEmpty() || request.functionHitsLost() > 0) {
            out.println("  kernel functions in order (function-level mode; i: in the issuing thread)"
                    + (request.functionHitsLost() > 0 ? ", " + request.functionHitsLost() + " more not kept (the path holds 32)" : "") + ":");
            for (FunctionHit hit : request.functionPath()) {
                out.printf("    %12s %s %s%n", Report.signed(hit.offsetNanos()), hit.inIssuer() ? "i" : " ", hit.function());
            }
        }
        boolean functionStacks = request.functionPath().stream().anyMatch(hit -> !hit.kernelStack().isEmpty());
        if (!request.hasKernelStacks() && !functionStacks) {
            out.println("  stacks: none recorded for this request (" + noStacksWhy + ")");
            return;
        }
        CallTree tree = new CallTree(true);
        tree.add(request);
        out.println("  stacks (Q submit, I insert, D issue, C complete" + (functionStacks ? "; fn: a traced function" : "") + "):");
        new TreePrinter(out, false, 0, "    ").print(tree);
    }

    /** "dirtied by writer-1, Java thread, 1.52 s before, credited by pages (2 threads dirtied them)". */
    private static String dirtier(BlockRequest request) {
        if (request.sharedJournal()) {
            return "in a journal transaction holding the JVM's changes, shared (no thread of the JVM waited for its commit)";
        }
        if (request.credit().equals("fsync")) {
            String waiter = request.javaThreadName() != null ? request.javaThreadName() + ", Java thread"
                    : request.otherDirtier().isEmpty() ? "a thread that had ended" : request.otherDirtierLabel();
            return "the commit " + waiter + " waits for in fsync"
                    + (request.dirtiedTime() == BlockRequest.NOT_AVAILABLE ? ""
                            : " (since " + Formats.nanos(request.start() - request.dirtiedTime()) + " before)")
                    + (request.dirtiers() > 1 ? " (" + request.dirtiers() + " threads waited)" : "");
        }
        if (request.javaThreadName() == null) {
            return !request.otherDirtier().isEmpty() ? "dirtied by " + request.otherDirtierLabel()
                    : "whose dirtier is not known (" + (request.credit().isEmpty() ? "the kernel side had forgotten it"
                    : "its thread had ended before it was named") + ")";
        }
        return "dirtied by " + request.javaThreadName() + ", " + threadKind(request)
                + (request.dirtiedTime() == BlockRequest.NOT_AVAILABLE ? ""
                        : ", " + Formats.nanos(request.start() - request.dirtiedTime()) + " before")
                + ", credited by " + (request.credit().equals("file") ? "its file's last dirtier" : "its pages")
                + (request.dirtiers() > 1 ? " (" + request.dirtiers() + " threads dirtied them; this one most)" : "");
    }

    /** "Java thread", or "virtual thread carried by ForkJoinPool-1-worker-1" (whose tid the request names). */
    private static String threadKind(BlockRequest request) {
        if (!request.virtualThread()) {
            return "Java thread";
        }
        return "virtual thread" + (request.carrierThreadName() == null ? "" : " carried by " + request.carrierThreadName());
    }

    private static String at(long sinceSubmit) {
        return sinceSubmit == BlockRequest.NOT_AVAILABLE ? "n/a" : "+" + Formats.nanos(sinceSubmit);
    }
}
