package io.blkflight.jmc.rule;

import io.blkflight.jmc.recording.BlockIoConstants;
import io.blkflight.jmc.recording.BlockIoRecording;
import io.blkflight.jmc.recording.RecordedRequest;
import io.blkflight.jmc.recording.RequestTrees;
import io.blkflight.model.CallTree;
import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.Stage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.ItemFilters;
import org.openjdk.jmc.common.item.ItemQueryBuilder;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.JfrAttributes;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultBuilder;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedCollectionResult;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

/**
 * 'Block I/O latency': scores a recording by the 99th percentile of its block requests' latency
 * (submission of the first bio to completion) and names the kernel paths and the Java call sites whose
 * requests were slowest. Registered with ServiceLoader; in JMC through the ruleProvider extension.
 */
public final class BlockIoLatencyRule implements IRule {
    public static final String ID = "blkflight.BlockIoLatency";
    /** The Block I/O page shows this topic's results. */
    public static final String TOPIC = "blkflight.block_io";
    /** How many paths and call sites the result names. */
    static final int NAMED = 3;
    /** Paths and sites with fewer than this share of the requests are not named (as the report hides them). */
    static final double MIN_SHARE = 0.01;

    // A disk that keeps its p99 under 10 ms (a busy HDD or a throttled cloud volume does not) gives no cause for note.
    public static final TypedPreference<IQuantity> INFO_LIMIT = new TypedPreference<>("blkflight.blockio.p99.info",
            "p99 latency for information", "The 99th percentile of block request latency at which the rule starts to report it.",
            UnitLookup.TIMESPAN, UnitLookup.MILLISECOND.quantity(10));
    public static final TypedPreference<IQuantity> WARNING_LIMIT = new TypedPreference<>("blkflight.blockio.p99.warning",
            "p99 latency for a warning", "The 99th percentile of block request latency at which the rule warns.",
            UnitLookup.TIMESPAN, UnitLookup.MILLISECOND.quantity(100));

    public static final TypedResult<IQuantity> P99_LATENCY = new TypedResult<>("p99Latency", "p99 Latency",
            "The 99th percentile of block request latency, submission to completion.", UnitLookup.TIMESPAN, IQuantity.class);
    public static final TypedResult<IQuantity> MAX_LATENCY = new TypedResult<>("maxLatency", "Max Latency",
            "The longest block request, submission to completion.", UnitLookup.TIMESPAN, IQuantity.class);
    public static final TypedResult<IQuantity> REQUESTS = new TypedResult<>("requests", "Requests",
            "The block requests in the recording.", UnitLookup.NUMBER, IQuantity.class);
    public static final TypedCollectionResult<String> SLOWEST_KERNEL_PATHS = new TypedCollectionResult<>("slowestKernelPaths",
            "Slowest Kernel Paths", "The kernel paths (from where the kernel was entered to where a stage's tracepoint fired) "
            + "with the highest p99 latency.", UnitLookup.PLAIN_TEXT, String.class);
    public static final TypedCollectionResult<String> SLOWEST_JAVA_CALL_SITES = new TypedCollectionResult<>("slowestJavaCallSites",
            "Slowest Java Call Sites", "The Java stacks linked to requests with the highest p99 latency, innermost frames first.",
            UnitLookup.PLAIN_TEXT, String.class);

    /**
     * None: requests come as either blkflight.BlockRequest or blkflight.CompactRequest, and JMC asks for every
     * type listed here. A recording with neither gets the rule's own "no requests" result.
     */
    private static final Map<String, EventAvailability> REQUIRED_EVENTS = Map.of();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getTopic() {
        return TOPIC;
    }

    @Override
    public String getName() {
        return "Block I/O latency";
    }

    @Override
    public Map<String, EventAvailability> getRequiredEvents() {
        return REQUIRED_EVENTS;
    }

    @Override
    public Collection<TypedPreference<?>> getConfigurationAttributes() {
        return List.of(INFO_LIMIT, WARNING_LIMIT);
    }

    @Override
    public Collection<TypedResult<?>> getResults() {
        return List.of(TypedResult.SCORE, P99_LATENCY, MAX_LATENCY, REQUESTS, SLOWEST_KERNEL_PATHS,
                SLOWEST_JAVA_CALL_SITES, TypedResult.ITEM_QUERY);
    }

    @Override
    public RunnableFuture<IResult> createEvaluation(IItemCollection items, IPreferenceValueProvider preferences,
                                                    IResultValueProvider dependencyResults) {
        return new FutureTask<>(() -> evaluate(items, preferences));
    }

    private IResult evaluate(IItemCollection items, IPreferenceValueProvider preferences) {
        List<RecordedRequest> requests = BlockIoRecording.read(items.apply(BlockIoConstants.BLOCK_IO_AND_LINKS)).requests();
        if (requests.isEmpty()) {
            return ResultBuilder.createFor(this, preferences).setSeverity(Severity.NA)
                    .setSummary("The recording has no blkflight block I/O requests.").build();
        }
        LatencyHistogram latency = RequestTrees.latency(requests);
        long p99 = latency.percentile(99);
        double score = RulesToolkit.mapExp100(p99,
                preferences.getPreferenceValue(INFO_LIMIT).clampedLongValueIn(UnitLookup.NANOSECOND),
                preferences.getPreferenceValue(WARNING_LIMIT).clampedLongValueIn(UnitLookup.NANOSECOND));
        Severity severity = Severity.get(score);
        long threshold = Math.max(1, (long) Math.ceil(requests.size() * MIN_SHARE));
        List<String> kernelPaths = slowest(RequestTrees.kernelTree(requests, false), node -> !node.sites().isEmpty(),
                threshold, BlockIoLatencyRule::kernelPath);
        List<String> javaSites = slowest(RequestTrees.javaTree(requests), node -> node.children().isEmpty(),
                threshold, BlockIoLatencyRule::javaSite);

        ResultBuilder result = ResultBuilder.createFor(this, preferences).setSeverity(severity)
                .addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(score))
                .addResult(P99_LATENCY, UnitLookup.NANOSECOND.quantity(p99))
                .addResult(MAX_LATENCY, UnitLookup.NANOSECOND.quantity(latency.max()))
                .addResult(REQUESTS, UnitLookup.NUMBER_UNITY.quantity(requests.size()))
                .addResult(SLOWEST_KERNEL_PATHS, kernelPaths)
                .addResult(SLOWEST_JAVA_CALL_SITES, javaSites)
                .addResult(TypedResult.ITEM_QUERY, ItemQueryBuilder
                        .fromWhere(ItemFilters.and(BlockIoConstants.BLOCK_REQUESTS,
                                ItemFilters.moreOrEqual(JfrAttributes.DURATION, UnitLookup.NANOSECOND.quantity(p99))))
                        // Device, operation and system call are fields of full requests only (a compact one names
                        // them through its shape); the times, sector, size and thread are fields of both.
                        .select(JfrAttributes.START_TIME, JfrAttributes.DURATION, BlockIoConstants.DEVICE,
                                BlockIoConstants.OPERATION, BlockIoConstants.SECTOR, BlockIoConstants.BYTES,
                                BlockIoConstants.QUEUE_TIME, BlockIoConstants.SERVICE_TIME, BlockIoConstants.SYSCALL,
                                BlockIoConstants.JAVA_THREAD)
                        .build())
                .setExplanation("Slowest kernel paths, by p99 latency: {slowestKernelPaths}. Slowest Java call sites: "
                        + (javaSites.isEmpty() ? "none (no request is linked to a Java stack)" : "{slowestJavaCallSites}")
                        + ". Latency runs from the submission of a request's first bio to its completion; a path names "
                        + "where the kernel was entered and where a stage's tracepoint fired (submit, insert, issue, complete).");
        if (severity == Severity.OK) {
            return result.setSummary("The 99th percentile of block I/O latency is {p99Latency} over {requests} requests.").build();
        }
        return result.setSummary("Block I/O is slow: the 99th percentile of request latency is {p99Latency} "
                + "(longest {maxLatency}) over {requests} requests.")
                .setSolution("Open the Block I/O page: select the slowest kernel path to see the Java code that caused its "
                        + "requests, and whether the time went to the scheduler queue or the device.")
                .build();
    }

    /**
     * The qualifying nodes, grouped by the name they are shown with (paths are abbreviated, so stacks that
     * differ only in frames not shown are one entry), slowest p99 first, more requests first among equals.
     */
    private static List<String> slowest(CallTree tree, Predicate<CallTree.Node> qualifies, long threshold,
                                        Function<CallTree.Node, String> name) {
        List<CallTree.Node> nodes = new ArrayList<>();
        collect(tree.root(), qualifies, threshold, nodes);
        Map<String, LatencyHistogram> latency = new LinkedHashMap<>();
        Map<String, Long> requests = new HashMap<>();
        for (CallTree.Node node : nodes) {
            String shown = name.apply(node);
            latency.computeIfAbsent(shown, n -> new LatencyHistogram()).addAll(node.latency());
            requests.merge(shown, node.requests(), Long::sum);
        }
        return latency.keySet().stream()
                .sorted(Comparator.comparingLong((String shown) -> latency.get(shown).percentile(99)).reversed()
                        .thenComparing(Comparator.comparingLong(requests::get).reversed()))
                .limit(NAMED)
                .map(shown -> shown + " (p99 " + Formats.nanos(latency.get(shown).percentile(99)) + ", "
                        + Formats.count(requests.get(shown)) + " requests)")
                .toList();
    }

    private static void collect(CallTree.Node node, Predicate<CallTree.Node> qualifies, long threshold, List<CallTree.Node> into) {
        for (CallTree.Node child : node.children()) {
            if (child.requests() >= threshold) {
                if (qualifies.test(child)) {
                    into.add(child);
                }
                collect(child, qualifies, threshold, into);
            }
        }
    }

    /** "entry_SYSCALL_64_after_hwframe > do_syscall_64 > __x64_sys_fsync > ... > submit_bio_noacct_nocheck <- submit". */
    static String kernelPath(CallTree.Node node) {
        List<String> path = node.path();
        String frames = path.size() <= 5 ? String.join(" > ", path)
                : String.join(" > ", path.subList(0, 3)) + " > ... > " + String.join(" > ", path.subList(path.size() - 2, path.size()));
        String sites = node.sites().stream().map(Stage::label).collect(Collectors.joining(" "));
        return frames + " <- " + sites;
    }

    /** "sun.nio.ch.FileChannelImpl.force < org.h2.mvstore.SingleFileStore.sync < ...": the innermost frames, callee first. */
    static String javaSite(CallTree.Node node) {
        List<String> path = node.path();
        List<String> innermost = new ArrayList<>();
        for (int i = path.size() - 1; i >= 0 && innermost.size() < 3; i--) {
            innermost.add(path.get(i));
        }
        return String.join(" < ", innermost) + (path.size() > 3 ? " < ..." : "");
    }
}
