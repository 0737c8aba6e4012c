package io.blkflight.report;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.CallTree;
import io.blkflight.model.FileGlob;
import io.blkflight.model.FileGroups;
import io.blkflight.model.Folded;
import io.blkflight.model.Formats;
import io.blkflight.model.FunctionSummary;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.LinkCounts;
import io.blkflight.model.RequestFilter;
import io.blkflight.model.StageBreakdown;
import io.blkflight.model.Timeline;
import io.blkflight.model.AccessPattern;
import io.blkflight.html.HtmlPage;
import io.blkflight.model.ThreadGrouping;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The report command: the kernel call tree of the selected requests with the Java stacks that caused
 * them, latency histograms and stage breakdowns per device and operation, and the trees of single
 * requests; or folded stacks for flame graphs.
 */
final class Report {
    /**
     * What the report covers and shows.
     *
     * @param filter       the requests the report covers
     * @param selection    which of them may be shown one by one
     * @param preference   the order in which they are chosen (the first requestTrees are shown, in this order)
     * @param chosenBy     how they were chosen, for the heading ("slowest")
     * @param requestTrees how many single requests to show
     * @param offsets      aggregate by call site (offsets, line numbers) instead of function
     * @param folded       print folded stacks with this weight instead of the report, or null
     * @param minShare     hide tree frames with less than this share of the requests
     * @param byFile       hang the tree below each request's file; folded stacks start with a [file PATH] frame
     * @param views        the timeline, the slowest requests or the HTML page, instead of the report's sections
     */
    record Options(RequestFilter filter, Predicate<BlockRequest> selection, Comparator<BlockRequest> preference,
                   String chosenBy, int requestTrees, boolean offsets, Folded.Weight folded, double minShare, boolean byFile,
                   Views views) {
        /** Not by file. */
        Options(RequestFilter filter, Predicate<BlockRequest> selection, Comparator<BlockRequest> preference,
                String chosenBy, int requestTrees, boolean offsets, Folded.Weight folded, double minShare) {
            this(filter, selection, preference, chosenBy, requestTrees, offsets, folded, minShare, false, Views.NONE);
        }
    }

    /**
     * Views that replace the report's sections.
     *
     * @param timeline   the interval of --timeline in nanoseconds, 0 for none
     * @param timelineBy what a series of the timeline is
     * @param slowest    how many of the slowest requests to list (--slowest), 0 for none
     * @param trees      print each of the slowest requests in detail with its tree
     * @param html       write the report as an HTML page to this file, or null
     */
    record Views(long timeline, Timeline.By timelineBy, int slowest, boolean trees, Path html) {
        static final Views NONE = new Views(0, Timeline.By.DEVICE, 0, false, null);

        boolean any() {
            return timeline > 0 || slowest > 0 || html != null;
        }
    }

    /** Slowest requests the HTML page lists. */
    private static final int HTML_SLOWEST = 20;

    private static final int TOP_FILES = 20;
    /** Files kept to say what a --file that matches nothing could have matched (a recording may name millions). */
    private static final int MAX_SEEN_FILES = 100_000;

    /** Builds the options once the recording's first request time is known (times may be relative to it). */
    interface OptionsFactory {
        Options create(long firstRequestStart) throws ReportException;
    }

    private final Options options;
    private final RecordedRequests recorded;
    private final CallTree tree;
    private final Map<String, LatencyHistogram> latencies = new TreeMap<>();
    private final Map<String, StageBreakdown> breakdowns = new TreeMap<>();
    private final Map<String, Long> bytes = new TreeMap<>();
    private final PriorityQueue<BlockRequest> firstRequests;
    private final Folded folded;
    private final LinkCounts links = new LinkCounts();
    private final FunctionSummary functions = new FunctionSummary();
    private final FileGroups files = new FileGroups();
    private final AccessPattern pattern = new AccessPattern();
    private final Timeline timeline;
    private final SlowestTable slowest;
    private final HtmlPage html;
    private long selected;
    private long total;
    /** Every issuer, device and operation of the recording, to say what exists when a filter matches nothing. */
    /** Virtual threads by name prefix (a recording may hold millions of them), platform threads by name. */
    private final Map<String, Long> seenThreads = new java.util.HashMap<>();
    private final java.util.Set<String> matchedThreads = new java.util.HashSet<>();
    private final Map<String, Long> seenDevices = new java.util.HashMap<>();
    private final Map<String, Long> seenOperations = new java.util.HashMap<>();
    private final java.util.Set<String> seenDeviceNumbers = new java.util.HashSet<>();
    private final Map<String, Long> seenFiles = new java.util.HashMap<>();

    private Report(Options options, RecordedRequests recorded) {
        this.options = options;
        this.recorded = recorded;
        this.tree = new CallTree(options.offsets(), recorded.stacksSampled(), true, options.byFile());
        // Requests with kernel stacks first, as far as the selection has them: their detail shows where the time went.
        this.firstRequests = new PriorityQueue<>(Comparator.comparing(BlockRequest::hasKernelStacks)
                .thenComparing(options.preference().reversed()));
        this.folded = options.folded() == null ? null : new Folded(options.folded(), recorded.stacksSampled(), options.byFile());
        Views views = options.views();
        this.timeline = views.timeline() > 0 ? new Timeline(views.timeline(), views.timelineBy()) : null;
        this.slowest = views.slowest() > 0 || views.html() != null
                ? new SlowestTable(Math.max(views.slowest(), views.html() != null ? HTML_SLOWEST : 0)) : null;
        this.html = views.html() == null ? null : new HtmlPage(recorded.stacksSampled());
    }

    /**
     * Prints the report, or the folded stacks, to out; returns what the user should read on standard error
     * (with folded stacks, which go to another program, the notes the report would print).
     */
    static List<String> print(Path file, OptionsFactory factory, PrintStream out, Progress progress) throws ReportException {
        try (RecordedRequests recorded = RecordedRequests.open(file, progress)) {
            Report report = new Report(factory.create(recorded.firstStart()), recorded);
            recorded.forEach(report::add);
            List<String> misses = report.filterMisses();
            if (report.folded != null) {
                report.folded.lines().forEach(out::println);
                // Folded stacks go to another program; the user reads what they are on standard error.
                List<String> notes = new ArrayList<>();
                recorded.partialNote().ifPresent(notes::add);
                notes.addAll(misses);
                String stacks = report.stacksNote(report.folded.weights());
                if (stacks != null) {
                    notes.add(stacks);
                }
                return notes;
            }
            if (report.options.views().any()) {
                report.printViews(recorded, out);
            } else {
                report.print(recorded, out);
            }
            misses.forEach(miss -> out.println("  " + miss));
            return List.of();
        }
    }

    /** For each filter value that no request of the recording has: what the recording has instead. */
    private List<String> filterMisses() {
        List<String> misses = new ArrayList<>();
        // A thread is asked for by name, and a virtual thread also by name prefix or carrier: what matched is no miss.
        miss(misses, "--thread", "threads", options.filter().threads().stream()
                .filter(thread -> !matchedThreads.contains(thread)).collect(java.util.stream.Collectors.toSet()), seenThreads);
        // A disk is named by its name or its major:minor; only a value that is neither is a miss.
        miss(misses, "--device", "devices", options.filter().devices().stream()
                .filter(device -> !seenDeviceNumbers.contains(device)).collect(java.util.stream.Collectors.toSet()), seenDevices);
        miss(misses, "--operation", "operations", options.filter().operations(), seenOperations);
        for (String glob : new java.util.TreeSet<>(options.filter().files())) {
            if (seenFiles.keySet().stream().noneMatch(file -> FileGlob.matches(glob, file))) {
                miss(misses, "--file", "files", java.util.Set.of(glob), seenFiles);
            }
        }
        return misses;
    }

    private static void miss(List<String> misses, String option, String what, java.util.Set<String> asked,
                             Map<String, Long> seen) {
        for (String value : new java.util.TreeSet<>(asked)) {
            if (!seen.containsKey(value)) {
                List<String> present = new ArrayList<>(seen.keySet());
                present.sort(Comparator.comparing((String key) -> seen.get(key)).reversed().thenComparing(key -> key));
                String listed = String.join(", ", present.subList(0, Math.min(20, present.size())))
                        + (present.size() > 20 ? ", ... (" + (present.size() - 20) + " more)" : "");
                misses.add(option + " " + value + " matches no request; the recording's " + what + ", most requests first: "
                        + (present.isEmpty() ? "none" : listed));
            }
        }
    }

    private void add(BlockRequest request) {
        total++;
        seenThreads.merge(ThreadGrouping.PREFIX.label(request), 1L, Long::sum);
        for (String thread : options.filter().threads()) {
            if (!matchedThreads.contains(thread) && ThreadGrouping.matches(java.util.Set.of(thread), request)) {
                matchedThreads.add(thread);
            }
        }
        seenDevices.merge(request.device(), 1L, Long::sum);
        seenDeviceNumbers.add(request.deviceNumber());
        seenOperations.merge(request.operation(), 1L, Long::sum);
        if (request.hasFile() && (seenFiles.size() < MAX_SEEN_FILES || seenFiles.containsKey(request.file()))) {
            seenFiles.merge(request.file(), 1L, Long::sum);
        }
        if (!options.filter().test(request)) {
            return;
        }
        selected++;
        links.add(request);
        if (folded != null) {
            folded.add(request);
            return;
        }
        if (options.views().any()) {
            if (timeline != null) {
                timeline.add(request);
            }
            if (slowest != null) {
                slowest.add(request);
            }
            if (html != null) {
                html.add(request);
            }
            return;
        }
        tree.add(request);
        pattern.add(request);
        functions.add(request);
        files.add(request);
        String group = request.device() + " " + request.operation();
        latencies.computeIfAbsent(group, k -> new LatencyHistogram()).add(request.duration());
        breakdowns.computeIfAbsent(group, k -> new StageBreakdown()).add(request);
        bytes.merge(group, request.bytes(), Long::sum);
        if (options.requestTrees() > 0 && options.selection().test(request)) {
            firstRequests.add(request);
            if (firstRequests.size() > options.requestTrees()) {
                firstRequests.poll();
            }
        }
    }

    private void printHeader(RecordedRequests recorded, PrintStream out) {
        out.println("blkflight report of " + recorded.source());
        Header.print(recorded, out);
        out.println("  selected " + Formats.count(selected) + " of " + Formats.count(total) + " requests"
                + (recorded.malformed() > 0 ? "; " + recorded.malformedNote() : ""));
        out.println("  " + links.describe());
    }

    /** The timeline, the slowest requests and the HTML page, in place of the report's sections. */
    private void printViews(RecordedRequests recorded, PrintStream out) throws ReportException {
        if (timeline != null && timeline.intervals() > Timeline.MAX_INTERVALS) {
            long shortest = (timeline.intervals() * timeline.interval() + Timeline.MAX_INTERVALS - 1) / Timeline.MAX_INTERVALS;
            throw new ReportException("--timeline " + io.blkflight.model.Durations.format(timeline.interval()) + " cuts the "
                    + Formats.nanos(timeline.intervals() * timeline.interval()) + " of the selected requests into "
                    + Formats.count(timeline.intervals()) + " intervals, more than the " + Formats.count(Timeline.MAX_INTERVALS)
                    + " a timeline prints: give an interval of at least " + Formats.nanos(shortest)
                    + ", or select a shorter time with --from and --to");
        }
        printHeader(recorded, out);
        if (selected == 0) {
            if (html != null) {
                out.println("  no request selected: no HTML report written to " + options.views().html());
            }
            return;
        }
        if (timeline != null) {
            TimelineTable.print(timeline, out);
        }
        if (options.views().slowest() > 0) {
            slowest.print(out, selected, options.views().trees(), noStacksWhy(), options.views().slowest());
        }
        if (html != null) {
            writeHtml(recorded, out);
        }
    }

    private void writeHtml(RecordedRequests recorded, PrintStream out) throws ReportException {
        java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
        try (PrintStream lines = new PrintStream(header, true, java.nio.charset.StandardCharsets.UTF_8)) {
            printHeader(recorded, lines);
        }
        List<String> notes = new ArrayList<>();
        String stacks = stacksNote(html.weights());
        if (stacks != null) {
            notes.add(stacks);
        }
        Path file = options.views().html();
        try {
            html.write(file, recorded.source(), List.of(header.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")),
                    slowest.slowest().subList(0, Math.min(HTML_SLOWEST, slowest.slowest().size())), notes);
        } catch (java.io.IOException e) {
            throw new ReportException("writing the HTML report to " + file + " failed: " + e.getMessage());
        }
        out.println();
        out.println("wrote the HTML report to " + file + " (" + Formats.bytes(file.toFile().length()) + ")");
    }

    private void print(RecordedRequests recorded, PrintStream out) {
        printHeader(recorded, out);
        if (selected == 0) {
            return;
        }
        out.println();
        out.println("latency by device and operation (submission to completion)");
        for (Map.Entry<String, LatencyHistogram> group : latencies.entrySet()) {
            LatencyHistogram h = group.getValue();
            out.println();
            out.println("  " + group.getKey() + ": " + Formats.count(h.count()) + " requests, " + Formats.bytes(bytes.get(group.getKey()))
                    + ", p50 " + Formats.nanos(h.percentile(50)) + ", p99 " + Formats.nanos(h.percentile(99))
                    + ", max " + Formats.nanos(h.max()));
            Histograms.print(h, out, "    ");
            out.println();
            Histograms.printBreakdown(breakdowns.get(group.getKey()), out, "    ");
        }
        PatternTables.print(pattern, out);
        FilesTable.print(files, out, TOP_FILES, "requests by file and operation");
        if (functions.requestsWithPath() > 0) {
            printFunctions(out);
        }
        out.println();
        out.println("kernel call tree of the selected requests, " + (options.byFile() ? "below the file each read or wrote, " : "")
                + "Java stacks on top"
                + (options.minShare() > 0 ? " (frames in fewer than " + (options.minShare() * 100) + "% of them hidden)" : "")
                + "; stages Q submit, I insert, D issue, C complete");
        String stacks = stacksNote(tree.weights());
        if (stacks != null) {
            out.println("  " + stacks);
        }
        new TreePrinter(out, true, options.minShare(), "  ").print(tree);
        List<BlockRequest> chosen = new ArrayList<>(firstRequests);
        chosen.sort(Comparator.comparing(BlockRequest::hasKernelStacks).reversed().thenComparing(options.preference()));
        if (!chosen.isEmpty()) {
            boolean sampled = chosen.stream().anyMatch(BlockRequest::hasKernelStacks) && recorded.stacksSampled();
            out.println();
            out.println("single requests (" + chosen.size() + ", " + options.chosenBy() + (sampled ? " of those with kernel stacks" : "")
                    + "; --order and --at choose others)");
        }
        for (BlockRequest request : chosen) {
            out.println();
            RequestPrinter.print(request, out, noStacksWhy());
        }
    }

    /**
     * What a tree or folded output must say about its kernel stacks: that they are estimates from a sample, or
     * that there are none and how to get them; null when every request has its stacks.
     */
    private String stacksNote(io.blkflight.model.KindWeights weights) {
        if (weights.requests() == 0) {
            return null;
        }
        if (weights.withStacks() == 0) {
            return "no kernel stacks in the selected requests (" + noStacksWhy() + "): the tree holds Java frames only;"
                    + " record with the agent's default stacks=200/s, or stacks=all, for the kernel call tree";
        }
        if (!weights.sampled()) {
            return null;
        }
        long unrepresented = weights.unrepresented();
        return "kernel frames from " + Formats.count(weights.withStacks()) + " sampled requests of " + Formats.count(weights.requests())
                + " (stacks=" + recorded.stacksOption() + "); their requests and bytes (~) are estimates, each sampled request"
                + " standing for its kind's; latency percentiles are the sampled requests'"
                + (unrepresented > 0 ? "; " + Formats.count(unrepresented) + " requests of kinds with no sampled request are"
                + " not in the kernel frames" : "");
    }

    /** Why a request may have no kernel stacks in this recording. */
    private String noStacksWhy() {
        String option = recorded.stacksOption();
        if (option == null) {
            return "the agent recorded stacks only with stacks=on; this recording does not say it did";
        }
        if (option.equals("off")) {
            return "the recording was made with stacks=off";
        }
        return option.endsWith("/s") ? "with stacks=" + option + " only a sample of the requests gets its stacks"
                : "its stacks were lost; the statistics count stacks not kept";
    }

    private void printFunctions(PrintStream out) {
        out.println();
        out.println("kernel functions the requests passed through (function-level mode), in the order of their mean time "
                + "from the request's start; " + Formats.count(functions.requestsWithPath()) + " requests with a path"
                + (functions.hitsLost() > 0 ? ", " + Formats.count(functions.hitsLost()) + " hits not kept (paths hold 32)" : ""));
        out.printf("  %10s %10s %8s %12s  %s%n", "requests", "hits", "issuer", "mean at", "function");
        for (FunctionSummary.Row row : functions.rows()) {
            out.printf("  %10s %10s %7d%% %12s  %s%n", Formats.count(row.requests()), Formats.count(row.hits()),
                    Math.round(100.0 * row.inIssuer() / row.hits()), signed(row.meanOffsetNanos()), row.function());
        }
    }

    static String signed(long nanos) {
        return nanos < 0 ? "-" + Formats.nanos(-nanos) : "+" + Formats.nanos(nanos);
    }

    static String time(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos).toString();
    }
}
