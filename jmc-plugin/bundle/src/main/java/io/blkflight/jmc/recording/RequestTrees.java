package io.blkflight.jmc.recording;

import io.blkflight.model.CallTree;
import io.blkflight.model.LatencyHistogram;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The trees the page shows and the requests under a node of them. The kernel tree is the report's call
 * tree, either as the report prints it (Java stacks on top of the stages that ran in the issuing thread) or
 * of kernel frames alone; the Java tree merges the linked Java stacks alone, outermost frame first.
 */
public final class RequestTrees {
    private RequestTrees() {
    }

    /** With sampled stacks (stacks=N/s) the kernel frames' requests and bytes are estimates ({@link CallTree}). */
    public static CallTree kernelTree(Collection<RecordedRequest> requests, boolean javaOnTop) {
        CallTree tree = new CallTree(false, requests.stream().anyMatch(RecordedRequest::stacksSampled), javaOnTop, false);
        requests.forEach(r -> tree.add(r.kernelView(javaOnTop)));
        return tree;
    }

    /** The Java stacks of the requests; the root also counts the requests that no Java stack is linked to. */
    public static CallTree javaTree(Collection<RecordedRequest> requests) {
        CallTree tree = new CallTree(false, false, false, false);
        requests.forEach(r -> tree.add(r.javaView()));
        return tree;
    }

    /** The requests whose kernel tree passes through the node at the path (all of them for the empty path). */
    public static List<RecordedRequest> throughKernelNode(Collection<RecordedRequest> requests, List<String> path,
                                                          boolean javaOnTop) {
        if (path.isEmpty()) {
            return List.copyOf(requests);
        }
        CallTree shape = new CallTree(false, false, javaOnTop, false);
        List<RecordedRequest> through = new ArrayList<>();
        for (RecordedRequest r : requests) {
            if (shape.passesThrough(r.kernelView(javaOnTop), path)) {
                through.add(r);
            }
        }
        return through;
    }

    /** The requests whose Java stack passes through the frame at the path (all of them for the empty path). */
    public static List<RecordedRequest> throughJavaFrame(Collection<RecordedRequest> requests, List<String> path) {
        if (path.isEmpty()) {
            return List.copyOf(requests);
        }
        CallTree shape = new CallTree(false, false, false, false);
        List<RecordedRequest> through = new ArrayList<>();
        for (RecordedRequest r : requests) {
            if (r.request().javaLink().frames().size() >= path.size() && shape.passesThrough(r.javaView(), path)) {
                through.add(r);
            }
        }
        return through;
    }

    /** Submission-to-completion latency of the requests. */
    public static LatencyHistogram latency(Collection<RecordedRequest> requests) {
        LatencyHistogram histogram = new LatencyHistogram();
        requests.forEach(r -> histogram.add(r.request().duration()));
        return histogram;
    }
}
