package io.blkflight.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel stacks of block requests merged into one tree, as the bpftrace script this project grew
 * from printed them: the roots are where the kernel was entered (a system call, an interrupt, a kernel
 * thread), the branches the functions that handled the requests, and each node knows the stages whose
 * stacks pass through it and the stages whose tracepoint fired in it. A stage that ran in the issuing
 * thread hangs below that thread's Java stack, when the request is linked to one, or below a node that
 * says why it has none; a request with neither Java stack nor kernel stacks hangs there too, so that
 * every request of the selection is somewhere in the tree. A writeback request (pages a Java thread dirtied,
 * written later by a flusher) hangs below the dirtying call's Java stack, then a "[writeback: reason]" frame,
 * then the flusher's kernel frames.
 *
 * <p>Each node counts the requests that pass through it (once per request), their bytes and latency. When
 * the recording's kernel stacks are a sample ({@link KindWeights#sampled()}), kernel frames count only the
 * sampled requests, so their requests and bytes are estimates: each sampled request stands for its kind's
 * requests over its kind's sampled ones; Java frames, which every linked request reaches, stay exact. Latency
 * percentiles of kernel frames are those of the sampled requests.
 */
public final class CallTree {
    /** What a node's frame is: FILE, with {@link #byFile}, the file the requests below it read or wrote. */
    public enum Kind { ROOT, FILE, JAVA, WRITEBACK, KERNEL }

    /** One frame of the tree. */
    public static final class Node {
        private final String frame;
        private final Kind kind;
        private final Node parent;
        private final Map<String, Node> children = new LinkedHashMap<>();
        private final LatencyHistogram latency = new LatencyHistogram();
        private final EnumSet<Stage> stages = EnumSet.noneOf(Stage.class);
        private final EnumSet<Stage> sites = EnumSet.noneOf(Stage.class);
        private final KindWeights weights;
        private long requests;
        private long bytes;
        /** Kernel frames of a sampled tree: per kind of request, the picks' weights through the frame and weighted bytes. */
        private Map<Integer, double[]> byKind;
        private long lastRequest = -1;
        private boolean functionSite;

        private Node(String frame, Kind kind, Node parent, KindWeights weights) {
            this.frame = frame;
            this.kind = kind;
            this.parent = parent;
            this.weights = weights;
        }

        public String frame() {
            return frame;
        }

        public Kind kind() {
            return kind;
        }

        public Node parent() {
            return parent;
        }

        /** Children, the ones with the most requests first. */
        public List<Node> children() {
            List<Node> sorted = new ArrayList<>(children.values());
            sorted.sort(Comparator.comparingLong(Node::requests).reversed());
            return sorted;
        }

        public Node child(String frame) {
            return children.get(frame);
        }

        /** The requests through this frame: estimated for a kernel frame of a sampled tree ({@link #estimated()}). */
        public long requests() {
            return estimated() ? Math.round(estimate(0)) : requests;
        }

        /** Their bytes, estimated like {@link #requests()}. */
        public long bytes() {
            return estimated() ? Math.round(estimate(1)) : bytes;
        }

        /** The requests in the recording that pass through this frame (for a sampled tree's kernel frame: the sampled ones). */
        public long recordedRequests() {
            return requests;
        }

        /** Whether requests and bytes are estimates scaled from sampled kernel stacks. */
        public boolean estimated() {
            return kind == Kind.KERNEL && weights.sampled();
        }

        private double estimate(int what) {
            double sum = 0;
            if (byKind != null) {
                for (Map.Entry<Integer, double[]> entry : byKind.entrySet()) {
                    sum += entry.getValue()[what] * (what == 0 ? weights.weight(entry.getKey()) : weights.byteWeight(entry.getKey()));
                }
            }
            return sum;
        }

        /** Latency (submission to completion) of the requests through this node. */
        public LatencyHistogram latency() {
            return latency;
        }

        /** The stages whose stacks pass through this node. */
        public Set<Stage> stages() {
            return EnumSet.copyOf(stages);
        }

        /** The stages whose tracepoint fired in this frame (the innermost frame of their stacks). */
        public Set<Stage> sites() {
            return EnumSet.copyOf(sites);
        }

        /** Whether a traced function (function-level mode) was entered here. */
        public boolean functionSite() {
            return functionSite;
        }

        /** The frames from the first below the root down to this node. */
        public List<String> path() {
            List<String> path = new ArrayList<>();
            for (Node node = this; node.parent != null; node = node.parent) {
                path.add(0, node.frame);
            }
            return path;
        }

        private void count(BlockRequest request, long serial) {
            if (lastRequest != serial) {
                lastRequest = serial;
                requests++;
                bytes += request.bytes();
                latency.add(request.duration());
                if (estimated()) {
                    double[] counts = (byKind == null ? byKind = new java.util.HashMap<>() : byKind)
                            .computeIfAbsent(request.sampleKind(), k -> new double[2]);
                    counts[0] += request.stackWeight();
                    counts[1] += (double) request.stackWeight() * request.bytes();
                }
            }
        }
    }

    /** The frame of a request without a Java stack, in place of one: why it has none. */
    public static final String NOT_A_JAVA_THREAD = "(not a Java thread)";
    public static final String SHARED_JOURNAL = "(journal commit of the JVM's changes, shared: no thread of the JVM waited for it)";
    public static final String DIRTIER_UNKNOWN = "(written back; the thread that dirtied the pages is not known)";
    public static final String NO_JAVA_STACK = "(Java thread, no Java stack linked: no file event or method sample in its call)";

    private final boolean offsets;
    private final boolean explainMissingJava;
    private final boolean byFile;
    private final KindWeights weights;
    private final Node root;
    private long serial;

    /**
     * An exact tree: every request's kernel stacks are in the recording.
     *
     * @param offsets one node per call site: kernel frames keep their offsets and Java frames their line
     *                numbers, instead of merging by function and method
     */
    public CallTree(boolean offsets) {
        this(offsets, false);
    }

    /** @param sampled the recording's kernel stacks are a sample ({@code stacks=N/s}): kernel frames are estimated */
    public CallTree(boolean offsets, boolean sampled) {
        this(offsets, sampled, true, false);
    }

    /**
     * @param explainMissingJava a request without a Java stack hangs below a node that says why; false for trees of
     *                           one kind of frame (kernel frames alone, or Java stacks alone), which show no such node
     * @param byFile             each request hangs below a frame naming its file ({@link #fileFrame}), its Java and
     *                           kernel frames below that
     */
    public CallTree(boolean offsets, boolean sampled, boolean explainMissingJava, boolean byFile) {
        this.offsets = offsets;
        this.explainMissingJava = explainMissingJava;
        this.byFile = byFile;
        this.weights = new KindWeights(sampled);
        this.root = new Node("all requests", Kind.ROOT, null, weights);
    }

    /** The frame between a writeback request's Java stack (the dirtying call) and the flusher's kernel frames. */
    public static String writebackFrame(BlockRequest request) {
        return request.writeback().equals("journal") ? "[journal commit]" : "[writeback: " + request.writeback() + "]";
    }

    /** The frame of a file in a tree by file, and in folded stacks: "[file PATH]". */
    public static String fileFrame(BlockRequest request) {
        return "[file " + (request.hasFile() ? request.file() : "not recorded") + "]";
    }

    public Node root() {
        return root;
    }

    /** The selection's requests by kind, and those with kernel stacks. */
    public KindWeights weights() {
        return weights;
    }

    public void add(BlockRequest request) {
        long id = serial++;
        weights.add(request);
        root.count(request, id);
        Node top = byFile ? descend(root, List.of(fileFrame(request)), Kind.FILE, request, id, null) : root;
        List<String> java = Frames.outermostFirst(offsets ? Frames.withLines(request.javaLink()) : request.javaLink().frames());
        if (java.isEmpty() && explainMissingJava) {
            java = List.of(request.javaThreadName() != null ? NO_JAVA_STACK
                    : !request.isWriteback() ? NOT_A_JAVA_THREAD
                    : request.sharedJournal() ? SHARED_JOURNAL
                    : request.otherDirtier().isEmpty() ? DIRTIER_UNKNOWN
                    : "(dirtied by " + request.otherDirtierLabel() + ")");
        }
        // Writeback: the issuer's stages ran in the flusher, below the dirtier's Java stack and the reason.
        List<String> writeback = request.isWriteback() && !java.isEmpty() ? List.of(writebackFrame(request)) : List.of();
        boolean anyStack = false;
        for (Stage stage : Stage.values()) {
            List<String> stack = request.kernelStack(stage);
            if (stack.isEmpty()) {
                continue;
            }
            anyStack = true;
            Node node = top;
            if (request.inIssuer(stage)) {
                node = descend(node, java, Kind.JAVA, request, id, stage);
                node = descend(node, writeback, Kind.WRITEBACK, request, id, stage);
            }
            List<String> kernel = Frames.outermostFirst(stack);
            if (!offsets) {
                kernel.replaceAll(Frames::function);
            }
            node = descend(node, kernel, Kind.KERNEL, request, id, stage);
            node.sites.add(stage);
        }
        for (FunctionHit hit : request.functionPath()) {
            if (hit.kernelStack().isEmpty()) {
                continue;
            }
            anyStack = true;
            Node node = hit.inIssuer()
                    ? descend(descend(top, java, Kind.JAVA, request, id, null), writeback, Kind.WRITEBACK, request, id, null)
                    : top;
            List<String> kernel = Frames.outermostFirst(hit.kernelStack());
            if (!offsets) {
                kernel.replaceAll(Frames::function);
            }
            // The stack is taken on entry to the function: where the entry shows as the innermost frame
            // (kprobes) it is the site; where it does not (fentry's trampoline), the function is added.
            if (!Frames.function(kernel.get(kernel.size() - 1)).equals(hit.function())) {
                kernel.add(hit.function());
            }
            node = descend(node, kernel, Kind.KERNEL, request, id, null);
            node.functionSite = true;
        }
        if (!anyStack && !java.isEmpty()) {
            descend(descend(top, java, Kind.JAVA, request, id, null), writeback, Kind.WRITEBACK, request, id, null);
        }
    }

    private Node descend(Node from, List<String> frames, Kind kind, BlockRequest request, long id, Stage stage) {
        Node node = from;
        for (String frame : frames) {
            Node parent = node;
            node = parent.children.computeIfAbsent(frame, f -> new Node(f, kind, parent, weights));
            node.count(request, id);
            if (stage != null) {
                node.stages.add(stage);
            }
        }
        return node;
    }

    /** The node at this path below the root, or null. */
    public Node find(List<String> path) {
        Node node = root;
        for (String frame : path) {
            node = node.children.get(frame);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Whether any of the request's paths through the tree passes through the path (from the root). */
    public boolean passesThrough(BlockRequest request, List<String> path) {
        CallTree single = new CallTree(offsets, false, explainMissingJava, byFile);
        single.add(request);
        return single.find(path) != null;
    }
}
