package io.blkflight.agent;

import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the agent in a module of its own, {@value #NAME}, defined from the agent jar in a module layer above
 * the boot layer, and gives that module (and no other) native access.
 *
 * <p>Why: JDK 24 and later (JEP 472) restrict {@code System.load} and the binding of native methods to
 * modules with native access, and warn (four lines on standard error) when code without it loads a
 * library. The JDK offers a jar no manifest attribute that grants it to an agent ({@code Enable-Native-Access}
 * is read for {@code java -jar} only), and {@code --enable-native-access=ALL-UNNAMED} would grant it to the
 * whole class path. An agent may redefine modules through its {@link Instrumentation}: the agent's module is
 * let into {@code java.lang}, where it enables native access for itself. Under
 * {@code --illegal-native-access=deny} it respects the user's choice and grants nothing: it runs in the class
 * path's unnamed module if the command line grants that native access, else the collector says it cannot
 * load its library and the agent steps aside.
 */
final class AgentModule {
    /** The module name the agent jar declares ({@code Automatic-Module-Name}). */
    static final String NAME = "io.blkflight.agent";

    private AgentModule() {
    }

    static void start(String options, Instrumentation instrumentation) throws ReflectiveOperationException {
        Optional<Module> module = Optional.empty();
        String why;
        try {
            module = define();
            why = module.isPresent() ? "" : "the agent is not running from a jar";
        } catch (RuntimeException | URISyntaxException e) {
            why = e.toString();
        }
        if (module.isEmpty()) {
            Log.debug("running in the class path's unnamed module: " + why);
            Agent.startHere(options);
            return;
        }
        Module own = module.get();
        if (deniesNativeAccess()) {
            // The user's policy stands: the agent runs where the user granted native access, if anywhere.
            if (grantsNativeAccessToClassPath()) {
                Agent.startHere(options);
                return;
            }
        } else {
            grantNativeAccess(own, instrumentation);
        }
        Class<?> entry = Class.forName(Agent.class.getName(), true, own.getClassLoader());
        entry.getMethod("startHere", String.class).invoke(null, options);
    }

    /** The agent's module in a new layer, or empty when the agent classes do not come from a jar file. */
    private static Optional<Module> define() throws URISyntaxException {
        CodeSource source = Agent.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        Path jar = Path.of(source.getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(ModuleFinder.of(jar), ModuleFinder.of(), Set.of(NAME));
        ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(configuration, List.of(boot),
                ClassLoader.getPlatformClassLoader()).layer();
        return layer.findModule(NAME);
    }

    /**
     * Enables native access for the agent's own module on JDKs that restrict it. java.lang is opened to that
     * module only, which then sets its own flag (Module.implAddEnableNativeAccess, the method the JDK uses
     * for --enable-native-access).
     */
    private static void grantNativeAccess(Module own, Instrumentation instrumentation) {
        if (Runtime.version().feature() < 22) {
            return;
        }
        try {
            Module base = Object.class.getModule();
            instrumentation.redefineModule(base, Set.of(), Map.of(), Map.of("java.lang", Set.of(own)), Set.of(), Map.of());
            Class<?> grant = Class.forName(AgentModule.class.getName() + "$Grant", true, own.getClassLoader());
            grant.getMethod("enable").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.debug("native access not enabled for the agent's module: " + e);
        }
    }

    /** Whether the JVM was told to deny native access to modules without it (JEP 472). */
    static boolean deniesNativeAccess() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.equals("--illegal-native-access=deny"));
    }

    /** Whether the command line grants native access to the class path (then the agent may run there under deny). */
    static boolean grantsNativeAccessToClassPath() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--enable-native-access="))
                .anyMatch(argument -> List.of(argument.substring(argument.indexOf('=') + 1).split(",")).contains("ALL-UNNAMED"));
    }

    /** Runs in the agent's module (the only one java.lang is opened to), on its own module. */
    public static final class Grant {
        private Grant() {
        }

        public static void enable() throws ReflectiveOperationException {
            Method enable = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
            enable.setAccessible(true);
            enable.invoke(Grant.class.getModule());
        }
    }
}
