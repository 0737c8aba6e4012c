package io.blkflight.agent;

import io.blkflight.recording.ReadableChunks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import javax.management.JMException;
import javax.management.ObjectName;

import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;

/**
 * Where JFR keeps the output= recording until the JVM exits. JFR writes a recording to disk as it goes, in chunk
 * files it flushes every second, in its repository (by default {@code /tmp/<date>_<pid>/}), and writes the output
 * file only at exit. A JVM killed with SIGKILL (what the OOM killer sends) never exits: the file stays empty, and
 * the repository holds the recording up to the last flush, about a second before the kill. So the agent moves the
 * repository next to the file ({@code app.jfr.repository/} for {@code app.jfr}), where a user looks for it, and a
 * normal exit removes it: JFR removes its chunks once it has written the file, and then the emptied folder goes.
 *
 * <p>The repository is the JVM's, not the recording's: every recording of the JVM writes its chunks there. So it
 * stays where it is when the user chose it ({@code -XX:FlightRecorderOptions:repository=}) or JFR already records
 * (the agent attached to a running JVM); the agent's line then says where it is.
 */
final class RecordingRepository {
    private RecordingRepository() {
    }

    /**
     * Moves JFR's repository next to the recording's file unless the user or a running recording placed it; says in a
     * debug line why it stays where it is.
     */
    static void placeNextTo(Path output) {
        Path folder = ReadableChunks.repositoryFor(output.toAbsolutePath());
        boolean existed = Files.exists(folder);
        String result;
        try {
            String placed = placedAlready();
            if (placed != null) {
                Log.debug("JFR's repository stays where it is: " + placed);
                return;
            }
            result = configureRepository(folder);
        } catch (JMException | RuntimeException e) {
            // The recording does not depend on it: it starts in JFR's own repository, which the agent's line names.
            Log.debug("JFR's repository could not be moved to " + folder + ": " + e);
            return;
        }
        // JFR.configure reports a repository it cannot use in its output rather than as an exception.
        if (!result.startsWith("Repository path: " + folder)) {
            Log.debug("JFR's repository could not be moved to " + folder + ": " + result.strip());
            return;
        }
        if (!existed) {
            // Deleted after every shutdown hook has run, JFR's (which writes the file and clears its chunks) among them;
            // a folder that still holds anything (a killed run's repository, preserve-repository=true) stays.
            folder.toFile().deleteOnExit();
        }
    }

    /** Why JFR's repository is not the agent's to move, or null when it is. */
    private static String placedAlready() {
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-XX:FlightRecorderOptions") && argument.contains("repository="))) {
            return "chosen with -XX:FlightRecorderOptions";
        }
        // JFR sets the property when it creates its repository, for the first recording to disk.
        if (System.getProperty("jdk.jfr.repository") != null) {
            return "JFR records there already";
        }
        if (FlightRecorder.isInitialized() && FlightRecorder.getFlightRecorder().getRecordings().stream()
                .anyMatch(recording -> recording.getState() == RecordingState.RUNNING)) {
            return "JFR records already";
        }
        return null;
    }

    /**
     * JFR.configure through the DiagnosticCommand MBean, the one supported way to move the repository of a running
     * JVM (JDK 17 and later). The diagnostic command splits its arguments at spaces unless a value is quoted.
     */
    private static String configureRepository(Path folder) throws JMException {
        if (folder.toString().contains("\"")) {
            throw new IllegalArgumentException("the path has a double quote, which a diagnostic command cannot take");
        }
        Object output = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "jfrConfigure",
                new Object[] {new String[] {"repositorypath=\"" + folder + "\""}}, new String[] {String[].class.getName()});
        return String.valueOf(output);
    }

    /** The folder of this JVM's chunk files, once JFR records to disk. */
    static Optional<String> current() {
        return Optional.ofNullable(System.getProperty("jdk.jfr.repository"));
    }
}
