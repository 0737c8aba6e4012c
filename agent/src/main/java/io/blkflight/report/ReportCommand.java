package io.blkflight.report;

import io.blkflight.agent.AgentOptions;
import io.blkflight.agent.AgentSettings;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.Folded;
import io.blkflight.model.RequestFilter;
import io.blkflight.model.ThreadGrouping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The agent jar's command line: {@code java -jar blkflight.jar <command> ...}. A report error is one
 * line on standard error and exit code 1; bad arguments say what is accepted and exit with 2.
 */
@Command(name = "blkflight", mixinStandardHelpOptions = true, versionProvider = ReportCommand.Version.class,
        description = "Reads recordings made with the blkflight agent.",
        subcommands = {ReportCommand.SummaryCommand.class, ReportCommand.TreeCommand.class, ExportCommand.class,
            ReportCommand.SettingsCommand.class, ReportCommand.OptionsCommand.class})
public final class ReportCommand implements Callable<Integer> {
    static final String RECORDING = "A recording made with the blkflight agent, or a JFR repository (the folder of"
            + " chunk files, such as FILE.jfr.repository of the agent's output=FILE.jfr, or the folder that holds one):"
            + " what a killed JVM left unfinished is read up to JFR's last flush.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code (0 ok, 1 failed, 2 bad arguments). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new ReportCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ReportException) {
                err.println("blkflight: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = "Prints what a recording holds: requests by device and operation, by thread, by system call and by file, and what was lost.")
    static final class SummaryCommand implements Callable<Integer> {
        @Parameters(paramLabel = "RECORDING.jfr", description = RECORDING)
        Path recording;

        @CommandLine.Option(names = "--virtual-threads", paramLabel = "GROUPING", description = "Rows of the thread table for"
                + " virtual threads: each (one a thread), carrier (one per carrier thread that carried them) or prefix (one"
                + " per name with its trailing digits as *: vt-reader-*). Default: each, or prefix beyond "
                + Summary.MAX_VIRTUAL_ROWS + " virtual threads.")
        String virtualThreads;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ReportException {
            ThreadGrouping grouping;
            try {
                grouping = virtualThreads == null ? null : ThreadGrouping.parse(virtualThreads);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--virtual-threads " + e.getMessage());
            }
            return printTo(spec, out -> Summary.print(recording, grouping, out, new Progress(System.err)));
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Prints the kernel call tree of the recorded block requests with the Java stacks that caused them, "
                + "latency histograms and stage breakdowns per device and operation, the requests by file, and single requests in detail.")
    static final class TreeCommand implements Callable<Integer> {
        @Parameters(paramLabel = "RECORDING.jfr", description = RECORDING)
        Path recording;

        @CommandLine.Mixin
        SelectionOptions selection = new SelectionOptions();

        @CommandLine.Option(names = "--by-file", description = "Hang the call tree below the file each request read or wrote; with --folded, start each stack with a [file PATH] frame.")
        boolean byFile;

        @CommandLine.Option(names = "--requests", paramLabel = "N", description = "Show this many single requests in detail (default: ${DEFAULT-VALUE}).")
        int requests = 3;

        @CommandLine.Option(names = "--order", paramLabel = "ORDER", description = "Which single requests to show: slowest (the default) or first (the earliest).")
        String order = "slowest";

        @CommandLine.Option(names = "--request", paramLabel = "ADDRESS[:GENERATION]", description = "Show the requests with this struct request address (hex), or one lifecycle of it.")
        String request;

        @CommandLine.Option(names = "--at", paramLabel = "TIME", description = "Show the requests submitted nearest to TIME (as --from).")
        String at;

        @CommandLine.Option(names = "--offsets", description = "Aggregate by call site (kernel offsets, Java line numbers) instead of by function.")
        boolean offsets;

        @CommandLine.Option(names = "--min-share", paramLabel = "PERCENT", description = "Hide tree frames with less than this share of the requests (default: ${DEFAULT-VALUE}).")
        double minShare = 1.0;

        @CommandLine.Option(names = "--folded", description = "Print folded stacks for flamegraph.pl or speedscope instead of the report.")
        boolean folded;

        @CommandLine.Option(names = "--timeline", paramLabel = "INTERVAL", description = "Print the selected requests over time instead of the report: per INTERVAL (e.g. 100ms, 1s) and device, requests/s and MiB/s by operation, requests in flight (mean and max) and latency p50/p99/max.")
        String timeline;

        @CommandLine.Option(names = "--timeline-by", paramLabel = "GROUP", description = "What a --timeline line is for: device (the default), thread or file (the 10 with the most requests, the others together).")
        String timelineBy;

        @CommandLine.Option(names = "--slowest", paramLabel = "N", description = "Print the N slowest selected requests as a table instead of the report: time, disk, operation, size, thread, system call, file, queue and device time, and the Java call site.")
        Integer slowest;

        @CommandLine.Option(names = "--trees", description = "With --slowest: after the table, print each of those requests in detail with its own tree.")
        boolean trees;

        @CommandLine.Option(names = "--html", paramLabel = "FILE", description = "Write the report as one self-contained HTML page (charts over time, latency and offset heatmaps, a flame graph, the tables) to FILE.")
        Path html;

        @CommandLine.Option(names = "--weight", paramLabel = "WEIGHT", description = "What a folded stack weighs: count (requests per stage), bytes, or latency (the submitting call, in microseconds); default: ${DEFAULT-VALUE}.")
        String weight = "count";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ReportException {
            Folded.Weight foldedWeight = folded ? parseWeight(weight) : null;
            if (minShare < 0 || minShare > 100) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--min-share must be between 0 and 100, not " + minShare);
            }
            if (requests < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--requests must be 0 or more, not " + requests);
            }
            if (!order.equals("slowest") && !order.equals("first")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--order takes slowest or first, not '" + order + "'");
            }
            Report.Views views = views();
            // Values are checked before the recording is read, so that a bad one is a bad argument like any other.
            java.util.function.LongFunction<RequestFilter> filter = selection.parse(spec.commandLine());
            Predicate<BlockRequest> chosen = request == null ? r -> true : parseRequest(request);
            java.util.function.LongUnaryOperator atTime = SelectionOptions.time(spec.commandLine(), "--at", at);
            List<String> notes = new ArrayList<>();
            int code = printTo(spec, out -> notes.addAll(Report.print(recording, firstStart -> {
                Comparator<BlockRequest> preference = order.equals("first") ? Comparator.comparingLong(BlockRequest::start)
                        : Comparator.comparingLong(BlockRequest::duration).reversed();
                String chosenBy = order.equals("first") ? "first in time" : "slowest";
                if (at != null) {
                    long target = atTime.applyAsLong(firstStart);
                    preference = Comparator.comparingLong(r -> Math.abs(r.start() - target));
                    chosenBy = "nearest to " + at;
                }
                return new Report.Options(filter.apply(firstStart), chosen, preference, chosenBy, requests, offsets,
                        foldedWeight, minShare / 100, byFile, views);
            }, out, new Progress(System.err))));
            notes.forEach(note -> spec.commandLine().getErr().println("blkflight: " + note));
            spec.commandLine().getErr().flush();
            return code;
        }

        /** --timeline, --timeline-by, --slowest and --trees, checked against each other and --folded. */
        private Report.Views views() {
            long interval = 0;
            if (timeline != null) {
                interval = SelectionOptions.duration(spec.commandLine(), "--timeline", timeline);
                if (interval <= 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--timeline takes an interval longer than 0, such as 100ms or 1s");
                }
            }
            io.blkflight.model.Timeline.By by = io.blkflight.model.Timeline.By.DEVICE;
            if (timelineBy != null) {
                if (timeline == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--timeline-by goes with --timeline INTERVAL");
                }
                try {
                    by = io.blkflight.model.Timeline.By.of(timelineBy);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--timeline-by: " + e.getMessage());
                }
            }
            if (slowest != null && slowest <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--slowest takes a number of requests, 1 or more, not " + slowest);
            }
            if (trees && slowest == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--trees goes with --slowest N");
            }
            Report.Views views = new Report.Views(interval, by, slowest == null ? 0 : slowest, trees, html);
            if (views.any() && folded) {
                throw new CommandLine.ParameterException(spec.commandLine(), (timeline != null ? "--timeline" : slowest != null
                        ? "--slowest" : "--html") + " prints a table or a page, --folded folded stacks: give one of them");
            }
            if (html != null && (html.toAbsolutePath().getParent() == null || !java.nio.file.Files.isDirectory(html.toAbsolutePath().getParent()))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--html " + html + ": its folder does not exist");
            }
            return views;
        }

        private Folded.Weight parseWeight(String text) {
            try {
                return Folded.Weight.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--weight takes count, bytes or latency, not '" + text + "'");
            }
        }

        private Predicate<BlockRequest> parseRequest(String text) {
            String[] parts = text.split(":", 2);
            try {
                long address = Long.parseUnsignedLong(parts[0].replaceFirst("^0[xX]", ""), 16);
                if (parts.length == 1) {
                    return r -> r.requestAddress() == address;
                }
                int generation = Integer.parseInt(parts[1]);
                return r -> r.requestAddress() == address && r.generation() == generation;
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--request takes a hex address and an optional generation, e.g. 0xffff888104a1c000:3, not '" + text + "'");
            }
        }
    }

    /** Prints through a buffer, so that a report that fails half way prints nothing but its error. */
    private interface Printer {
        void print(PrintStream out) throws ReportException;
    }

    private static int printTo(CommandLine.Model.CommandSpec spec, Printer printer) throws ReportException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            printer.print(out);
        }
        spec.commandLine().getOut().print(buffer.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        return 0;
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "Prints blkflight's JFR settings (.jfc), for -XX:StartFlightRecording:settings=default,settings=FILE.")
    static final class SettingsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (InputStream in = AgentSettings.class.getResourceAsStream(AgentSettings.RESOURCE)) {
                spec.commandLine().getOut().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "options", mixinStandardHelpOptions = true,
            description = "Prints every agent option (-javaagent:blkflight.jar=KEY=VALUE,...) with what it accepts and does.")
    static final class OptionsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(AgentOptions.describe());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"blkflight " + version()};
        }
    }

    /** blkflight's version, as the jar's manifest says it. */
    static String version() {
        String version = ReportCommand.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }
}
