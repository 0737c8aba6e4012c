package io.blkflight.report;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The report command run in the test's JVM: its exit code and what it printed on each stream. */
record CommandRun(int exitCode, String out, String err) {
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(code, out.toString(), err.toString());
    }
}
