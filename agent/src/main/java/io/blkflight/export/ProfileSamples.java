package io.blkflight.export;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.CallTree;
import io.blkflight.model.Frames;
import io.blkflight.model.JavaLink;
import io.blkflight.model.KindWeights;
import io.blkflight.model.Stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Block requests as the samples of a profile, for every profile format: one sample per request, its stack the Java
 * frames of the call that issued it above the kernel frames of its first stage with a kernel stack (the submission,
 * as a rule) and a pseudo-frame naming that stage as the leaf, "[submit]"; its labels what the request was (device,
 * operation, thread, system call, file, origin); its values the request (1), its bytes, latency, queue time and
 * service time ({@link #VALUE_TYPES}). Samples with the same stack and labels are added up, so that every value of a
 * profile adds up to the selection's totals.
 *
 * <p>The stack is built as {@link CallTree} hangs a request's stage: the Java frames only when the stage ran in the
 * issuing thread; a writeback request's Java frames are those of the call that dirtied its pages, then
 * "[writeback: reason]" above the flusher's kernel frames; a request without a Java stack gets the tree's frame that
 * says why ("(not a Java thread)", ...). A request without any kernel stack ends in "[no kernel stack]".
 *
 * <p>With sampled kernel stacks ({@code stacks=N/s}) only the picked requests have kernel frames. Each pick then
 * stands for its kind's requests as in the trees ({@link KindWeights}): its values are scaled by its weight, and the
 * requests of its kind without stacks are left out, so that each kind still adds up to its exact requests and bytes
 * (latency, queue and service times are estimates). Requests of a kind none of whose requests has stacks are kept
 * with their own values, ending in "[no kernel stack]".
 */
public final class ProfileSamples {
    /** A value's type and unit, as pprof and OTLP name them. */
    public record ValueType(String type, String unit) {
    }

    /** What each sample holds, in this order; latency is the one a profile shows first. */
    public static final List<ValueType> VALUE_TYPES = List.of(new ValueType("requests", "count"),
            new ValueType("bytes", "bytes"), new ValueType("latency", "nanoseconds"),
            new ValueType("queue", "nanoseconds"), new ValueType("service", "nanoseconds"));
    /** The index of latency in {@link #VALUE_TYPES}. */
    public static final int LATENCY = 2;

    /** What kind of code a frame is: the program's (Java), the kernel's, or a pseudo-frame blkflight names. */
    public enum FrameKind { JAVA, KERNEL, PSEUDO }

    /**
     * One frame: a Java method ({@code package.Class.method}) with its line (0 if unknown) and the source file its
     * class's name gives (JFR records no source file name), a kernel function as the trees name it (a module's with
     * " [module]"), or a pseudo-frame.
     */
    public record Frame(String function, FrameKind kind, String file, int line) {
    }

    /** One sample: its stack (leaf first), its labels (in {@link #LABELS} order, absent ones left out) and values. */
    public record Sample(List<Frame> stack, Map<String, String> labels, long[] values) {
    }

    /** The labels of a sample, in the order they are written. */
    public static final List<String> LABELS = List.of("device", "operation", "thread", "syscall", "file", "origin", "writeback");

    static final String NO_KERNEL_STACK = "[no kernel stack]";

    private record Key(List<Frame> stack, List<String> labels) {
    }

    /** Per kind of request: the values of its picks (weighted by their stack weight) and of its requests without stacks. */
    private static final class Values {
        final Map<Integer, double[]> picked = new HashMap<>();
        final Map<Integer, double[]> unpicked = new HashMap<>();
    }

    private final KindWeights weights;
    private final int maxSamples;
    private final Map<Key, Values> samples = new LinkedHashMap<>();
    private final Map<String, String> strings = new HashMap<>();
    private long requests;
    private long overflow;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    /**
     * @param sampled    the recording's kernel stacks are a sample (its configuration says stacks=N/s)
     * @param maxSamples distinct samples (stack and labels) kept; a request that would make one more is added to a
     *                   sample without its file label, else counted in {@link #overflow()}
     */
    public ProfileSamples(boolean sampled, int maxSamples) {
        this.weights = new KindWeights(sampled);
        this.maxSamples = maxSamples;
    }

    /** Without a bound (a profile written from a recording). */
    public ProfileSamples(boolean sampled) {
        this(sampled, Integer.MAX_VALUE);
    }

    public void add(BlockRequest request) {
        requests++;
        first = Math.min(first, request.start());
        last = Math.max(last, request.end());
        weights.add(request);
        Stage stage = firstStageWithStack(request);
        List<Frame> stack = stack(request, stage);
        List<String> labels = labels(request);
        Values values = samples.get(new Key(stack, labels));
        if (values == null) {
            if (samples.size() >= maxSamples) {
                // Past the bound, a request joins a sample of its stack and other labels without its file, if any.
                labels = new ArrayList<>(labels);
                labels.set(LABELS.indexOf("file"), null);
                values = samples.get(new Key(stack, labels));
                if (values == null) {
                    overflow++;
                    return;
                }
            } else {
                values = new Values();
                samples.put(new Key(stack, labels), values);
            }
        }
        double weight = stage == null ? 1 : request.stackWeight();
        double[] sums = (stage == null ? values.unpicked : values.picked)
                .computeIfAbsent(request.sampleKind(), kind -> new double[VALUE_TYPES.size()]);
        sums[0] += weight;
        sums[1] += weight * request.bytes();
        sums[2] += weight * request.duration();
        sums[3] += weight * available(request.queueTime());
        sums[4] += weight * available(request.serviceTime());
    }

    private static long available(long span) {
        return span == BlockRequest.NOT_AVAILABLE ? 0 : span;
    }

    private static Stage firstStageWithStack(BlockRequest request) {
        for (Stage stage : Stage.values()) {
            if (!request.kernelStack(stage).isEmpty()) {
                return stage;
            }
        }
        return null;
    }

    private List<Frame> stack(BlockRequest request, Stage stage) {
        List<Frame> outermostFirst = new ArrayList<>();
        boolean java = stage == null || request.inIssuer(stage);
        if (java) {
            JavaLink link = request.javaLink();
            for (int i = link.frames().size() - 1; i >= 0; i--) {
                String function = intern(link.frames().get(i));
                int line = i < link.lines().size() ? Math.max(0, link.lines().get(i)) : 0;
                outermostFirst.add(new Frame(function, FrameKind.JAVA, sourceFile(function), line));
            }
            if (outermostFirst.isEmpty()) {
                outermostFirst.add(pseudo(request.javaThreadName() != null ? CallTree.NO_JAVA_STACK
                        : !request.isWriteback() ? CallTree.NOT_A_JAVA_THREAD
                        : request.otherDirtier().isEmpty() ? CallTree.DIRTIER_UNKNOWN
                        : "(dirtied by " + request.otherDirtierLabel() + ")"));
            } else if (request.isWriteback()) {
                outermostFirst.add(pseudo(CallTree.writebackFrame(request)));
            }
        }
        if (stage == null) {
            outermostFirst.add(pseudo(NO_KERNEL_STACK));
        } else {
            for (String frame : Frames.outermostFirst(request.kernelStack(stage))) {
                outermostFirst.add(new Frame(intern(Frames.function(frame)), FrameKind.KERNEL, "", 0));
            }
            outermostFirst.add(pseudo("[" + stage.label() + "]"));
        }
        Collections.reverse(outermostFirst);
        return List.copyOf(outermostFirst);
    }

    private Frame pseudo(String name) {
        return new Frame(intern(name), FrameKind.PSEUDO, "", 0);
    }

    /**
     * The source file a Java class's name gives, {@code org/h2/mvstore/FileStore.java} for
     * {@code org.h2.mvstore.FileStore$Inner.method}: JFR records no source file, and this is the usual layout.
     */
    static String sourceFile(String javaFrame) {
        int method = javaFrame.lastIndexOf('.');
        String type = method < 0 ? javaFrame : javaFrame.substring(0, method);
        int nested = type.indexOf('$');
        return (nested < 0 ? type : type.substring(0, nested)).replace('.', '/') + ".java";
    }

    private List<String> labels(BlockRequest request) {
        String thread;
        if (!request.isWriteback()) {
            thread = request.issuer();
        } else {
            // Writeback: the thread that dirtied the pages, not the flusher that wrote them.
            thread = request.javaThreadName() != null ? request.javaThreadName()
                    : !request.otherDirtier().isEmpty() ? request.otherDirtier() : "(dirtier unknown)";
        }
        List<String> labels = new ArrayList<>(LABELS.size());
        labels.add(intern(request.device()));
        labels.add(intern(request.operation()));
        labels.add(intern(thread));
        labels.add(intern(request.syscall()));
        labels.add(request.hasFile() ? intern(request.file()) : null);
        labels.add(request.isWriteback() ? "writeback" : "thread");
        labels.add(request.isWriteback() ? intern(request.writeback()) : null);
        return labels;
    }

    private String intern(String text) {
        return strings.computeIfAbsent(text, t -> t);
    }

    /**
     * The samples with their values (rounded; with sampled stacks scaled per kind), the biggest latency first; samples
     * whose values all round to 0 are left out.
     */
    public List<Sample> samples() {
        List<Sample> result = new ArrayList<>(samples.size());
        for (Map.Entry<Key, Values> entry : samples.entrySet()) {
            double[] sum = new double[VALUE_TYPES.size()];
            for (Map.Entry<Integer, double[]> kind : entry.getValue().picked.entrySet()) {
                double countWeight = weights.weight(kind.getKey());
                double byteWeight = weights.byteWeight(kind.getKey());
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += kind.getValue()[i] * (i == 1 ? byteWeight : countWeight);
                }
            }
            for (Map.Entry<Integer, double[]> kind : entry.getValue().unpicked.entrySet()) {
                // A kind with picks stands for its requests without stacks; one without any keeps them as they are.
                if (!weights.sampled() || weights.weight(kind.getKey()) == 0) {
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += kind.getValue()[i];
                    }
                }
            }
            long[] values = new long[sum.length];
            boolean any = false;
            for (int i = 0; i < sum.length; i++) {
                values[i] = Math.round(sum[i]);
                any |= values[i] != 0;
            }
            if (any) {
                Map<String, String> labels = new LinkedHashMap<>();
                for (int i = 0; i < LABELS.size(); i++) {
                    String value = entry.getKey().labels().get(i);
                    if (value != null && !value.isEmpty()) {
                        labels.put(LABELS.get(i), value);
                    }
                }
                result.add(new Sample(entry.getKey().stack(), labels, values));
            }
        }
        result.sort((a, b) -> Long.compare(b.values()[LATENCY], a.values()[LATENCY]));
        return result;
    }

    /** Requests added. */
    public long requests() {
        return requests;
    }

    /** Requests not in any sample: past the bound on samples, with no sample of their stack and labels to join. */
    public long overflow() {
        return overflow;
    }

    /** The selection's requests by kind, and those with kernel stacks. */
    public KindWeights weights() {
        return weights;
    }

    /** The earliest start of a request added (epoch nanoseconds), Long.MAX_VALUE when none was. */
    public long firstStart() {
        return first;
    }

    /** The latest end of a request added (epoch nanoseconds), Long.MIN_VALUE when none was. */
    public long lastEnd() {
        return last;
    }

    /** Drops every sample and count, keeping the bound: the next interval's profile starts empty. */
    public ProfileSamples emptyCopy() {
        return new ProfileSamples(weights.sampled(), maxSamples);
    }
}
