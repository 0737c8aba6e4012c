package io.blkflight.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JVM for one integration-test run: optionally with the agent, running a main class from the test classes. */
public final class ChildJvm {
    /** The JDKs the agent must run on: the build's own (17) and Temurin 25 where present. */
    public static final String JDK_17 = "/usr/lib/jvm/java-17-openjdk-amd64";
    public static final String JDK_25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

    private final String javaHome;
    private final List<String> prefix = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private String agentOptions;
    private final java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
    private String classPath = testClasses();

    private ChildJvm(String javaHome) {
        this.javaHome = javaHome;
    }

    public static ChildJvm of(String javaHome) {
        return new ChildJvm(javaHome);
    }

    public static Path agentJar() {
        return Path.of(System.getProperty("blkflight.agent.jar", "target/blkflight.jar"));
    }

    public static String testClasses() {
        return System.getProperty("blkflight.test.classes", "target/test-classes");
    }

    /** Runs the JVM under another command first, e.g. setpriv to drop capabilities. */
    public ChildJvm under(String... command) {
        prefix.addAll(List.of(command));
        return this;
    }

    public ChildJvm withAgent(String options) {
        this.agentOptions = options;
        return this;
    }

    /** An environment variable of the JVM, besides those of the test's. */
    public ChildJvm environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * The test classes and the test-scope libraries (a workload on a real engine: Kafka), without the agent's own
     * classes, which come from its jar. Failsafe passes that class path as blkflight.test.dependencies.
     */
    public ChildJvm withTestDependencies() {
        String dependencies = System.getProperty("blkflight.test.dependencies", "");
        if (dependencies.isEmpty() || dependencies.contains("${")) {
            throw new IllegalStateException("blkflight.test.dependencies is not set: run the test with failsafe (mvn verify)");
        }
        classPath = testClasses() + java.io.File.pathSeparator + dependencies;
        return this;
    }

    public ChildJvm jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>(prefix);
        // No --enable-native-access on JDK 25: the agent must run as a user starts it, without warnings (CleanStartIT).
        command.add(javaHome + "/bin/java");
        if (agentOptions != null) {
            command.add("-javaagent:" + agentJar().toAbsolutePath() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    public Commands.Result run(String mainClass, String... args) throws IOException, InterruptedException {
        return Commands.runAllowingFailure(120, command(mainClass, args), environment);
    }
}
