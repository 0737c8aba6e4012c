package io.blkflight.report;

import io.blkflight.agent.Agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The agent jar's command line: {@code java -jar blkflight.jar <command> ...}. A report error is one
 * line on standard error and exit code 1; bad arguments say what is accepted and exit with 2.
 */
@Command(name = "blkflight", mixinStandardHelpOptions = true, versionProvider = ReportCommand.Version.class,
        description = "Reads recordings made with the blkflight agent.",
        subcommands = {ReportCommand.SummaryCommand.class, ReportCommand.SettingsCommand.class})
public final class ReportCommand implements Callable<Integer> {
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
            description = "Prints what a recording holds: requests by device and operation, by thread and by system call, and what was lost.")
    static final class SummaryCommand implements Callable<Integer> {
        @Parameters(paramLabel = "RECORDING.jfr", description = "A recording made with the blkflight agent.")
        Path recording;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ReportException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                Summary.print(recording, out);
            }
            spec.commandLine().getOut().print(buffer.toString(StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "Prints blkflight's JFR settings (.jfc), for -XX:StartFlightRecording:settings=default,FILE.")
    static final class SettingsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (InputStream in = Agent.class.getResourceAsStream("blkflight.jfc")) {
                spec.commandLine().getOut().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ReportCommand.class.getPackage().getImplementationVersion();
            return new String[] {"blkflight " + (version != null ? version : "development")};
        }
    }
}
