package io.blkflight.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs system commands for the integration tests; a failure names the command and what it printed. */
public final class Commands {
    /** What a finished process printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The lines the agent printed on standard error (each starts with "[blkflight]"). */
        public List<String> agentLines() {
            return stderr.lines().filter(line -> line.startsWith("[blkflight]")).toList();
        }
    }

    private Commands() {
    }

    public static String run(String... command) throws IOException, InterruptedException {
        Result result = runAllowingFailure(60, command);
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + result.exitCode() + ": "
                    + result.stderr() + result.stdout());
        }
        return result.stdout();
    }

    public static Result runAllowingFailure(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return runAllowingFailure(timeoutSeconds, Arrays.asList(command));
    }

    public static Result runAllowingFailure(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        return runAllowingFailure(timeoutSeconds, command, java.util.Map.of());
    }

    /** As above, with these environment variables added to the test's. */
    public static Result runAllowingFailure(long timeoutSeconds, List<String> command, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        Thread out = drain(process.getInputStream(), stdout);
        Thread err = drain(process.getErrorStream(), stderr);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s; stderr: " + stderr);
        }
        out.join();
        err.join();
        return new Result(process.exitValue(), stdout.toString(), stderr.toString());
    }

    private static Thread drain(java.io.InputStream in, StringBuilder into) {
        Thread thread = new Thread(() -> {
            try {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (into) {
                    into.append(text);
                }
            } catch (IOException ignored) {
                // The process is gone; what it printed so far is kept.
            }
        });
        thread.start();
        return thread;
    }
}
