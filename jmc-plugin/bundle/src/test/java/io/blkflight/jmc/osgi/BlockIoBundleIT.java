package io.blkflight.jmc.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.w3c.dom.Element;

/**
 * The packaged bundle in a real Equinox with JMC's core bundles, SWT, JFace, the extension registry, and
 * stand-ins for JMC's UI bundle and Eclipse Forms ({@link StandInBundles}): it resolves, and JMC's two ways
 * of finding it work: the page factory through the datapage extension point, the rule through the
 * ruleProvider extension and ServiceLoader on the bundle's class loader (as JMC's ExtensionRuleProvider does).
 */
class BlockIoBundleIT {
    private static final String BUNDLE = "io.blkflight.jmc";
    private static final String DATAPAGE = "org.openjdk.jmc.flightrecorder.ui.datapage";
    private static final String RULE_PROVIDER = "org.openjdk.jmc.flightrecorder.rules.ruleProvider";

    private static Framework framework;
    private static final Map<String, Bundle> bundles = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path jars = Path.of(System.getProperty("blkflight.osgi.bundles"));
        Path work = Files.createDirectories(Path.of("target", "osgi-it"));
        List<Path> install = new ArrayList<>();
        for (String jar : List.of("common", "flightrecorder", "flightrecorder.rules", "flightrecorder.rules.jdk", "encoder",
                "lz4-java", "org.eclipse.swt", "org.eclipse.swt.gtk.linux.x86_64", "org.eclipse.jface",
                "org.eclipse.core.commands", "org.eclipse.equinox.common", "org.eclipse.equinox.registry")) {
            install.add(jars.resolve(jar + ".jar"));
        }
        install.add(StandInBundles.uiForms(jars.resolve("org.eclipse.ui.forms.jar"), work));
        install.add(StandInBundles.flightRecorderUi(jars.resolve("blkflight-jmc-ui-api.jar"), work));
        install.add(Path.of(System.getProperty("blkflight.bundle")));

        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, work.resolve("storage").toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // SWT's GTK fragment applies to this platform only.
        config.put("osgi.ws", "gtk");
        config.put("osgi.os", "linux");
        config.put("osgi.arch", "x86_64");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        BundleContext context = framework.getBundleContext();
        for (Path jar : install) {
            Bundle bundle = context.installBundle(jar.toUri().toString());
            bundles.put(bundle.getSymbolicName(), bundle);
        }
        framework.adapt(FrameworkWiring.class).resolveBundles(null);
        bundles.get("org.eclipse.equinox.common").start();
        bundles.get("org.eclipse.equinox.registry").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void everyBundleResolves() {
        List<String> unresolved = bundles.values().stream().filter(b -> b.getState() == Bundle.INSTALLED)
                .map(Bundle::getSymbolicName).toList();
        assertThat(unresolved).as("bundles Equinox could not resolve").isEmpty();
        assertThat(bundles.get(BUNDLE).getState()).as("state of " + BUNDLE).isIn(Bundle.RESOLVED, Bundle.STARTING, Bundle.ACTIVE);
    }

    @Test
    void modelIsEmbeddedAndNothingIsExported() throws Exception {
        Bundle bundle = bundles.get(BUNDLE);
        assertThat(bundle.loadClass("io.blkflight.model.CallTree").getClassLoader())
                .as("class loader of the embedded model").isSameAs(bundle.adapt(BundleWiring.class).getClassLoader());
        assertThat(bundle.getHeaders().get(Constants.EXPORT_PACKAGE)).as("exported packages").isNull();
        assertThat(bundle.getEntry("org/openjdk/jmc/flightrecorder/ui/IDataPageFactory.class"))
                .as("the compile-only UI API mirror inside the bundle").isNull();
    }

    @Test
    void pageFactoryIsRegisteredAndInstantiates() throws Exception {
        List<Object> elements = configurationElements(DATAPAGE, BUNDLE);
        Object factory = elements.stream().filter(e -> "factory".equals(call(e, "getName"))).findFirst()
                .orElseThrow(() -> new AssertionError("no factory element of " + BUNDLE + " at " + DATAPAGE));
        assertThat(call(factory, "getAttribute", "id")).as("factory id").isEqualTo("io.blkflight.jmc.blockio");

        Object pageFactory = call(factory, "createExecutableExtension", "class");
        Class<?> api = bundles.get("org.openjdk.jmc.flightrecorder.ui").loadClass("org.openjdk.jmc.flightrecorder.ui.IDataPageFactory");
        assertThat(api.isInstance(pageFactory)).as("the factory is JMC's IDataPageFactory, as the UI bundle loads it").isTrue();
        Class<?> state = bundles.get("org.openjdk.jmc.common").loadClass("org.openjdk.jmc.common.IState");
        assertThat(api.getMethod("getName", state).invoke(pageFactory, (Object) null)).as("page name").isEqualTo("Block I/O");
        assertThat(api.getMethod("getImageDescriptor", state).invoke(pageFactory, (Object) null)).as("page icon").isNotNull();

        Object pages = elements.stream().filter(e -> "pages".equals(call(e, "getName"))).findFirst()
                .orElseThrow(() -> new AssertionError("no pages element of " + BUNDLE));
        String file = (String) call(pages, "getAttribute", "file");
        Element page;
        try (InputStream in = bundles.get(BUNDLE).getEntry(file).openStream()) {
            page = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getElementsByTagName("page").item(0);
        }
        assertThat(page.getAttribute("factory")).as("the default page's factory").isEqualTo("io.blkflight.jmc.blockio");
        assertThat(page.getAttribute("parent")).as("the default page's parent").isEqualTo("org.openjdk.jmc.flightrecorder.ui.javaapplication");
    }

    @Test
    void ruleIsFoundAsJmcFindsItAndEvaluatesARecording() throws Exception {
        assertThat(contributors(RULE_PROVIDER)).as("bundles contributing rules").contains(BUNDLE, "org.openjdk.jmc.flightrecorder.rules.jdk");

        Bundle rules = bundles.get("org.openjdk.jmc.flightrecorder.rules");
        Class<?> ruleType = rules.loadClass("org.openjdk.jmc.flightrecorder.rules.IRule");
        List<Object> found = new ArrayList<>();
        ServiceLoader.load(ruleType, bundles.get(BUNDLE).adapt(BundleWiring.class).getClassLoader()).forEach(found::add);
        assertThat(found).extracting(rule -> rule.getClass().getName()).as("IRule services of the bundle")
                .contains("io.blkflight.jmc.rule.BlockIoLatencyRule");
        Object rule = found.stream().filter(r -> r.getClass().getName().equals("io.blkflight.jmc.rule.BlockIoLatencyRule")).findFirst().get();
        assertThat(ruleType.getMethod("getName").invoke(rule)).as("rule name").isEqualTo("Block I/O latency");

        // The rule runs inside the framework on JMC's parser: the embedded model links against JMC's bundles.
        Class<?> loader = bundles.get("org.openjdk.jmc.flightrecorder").loadClass("org.openjdk.jmc.flightrecorder.JfrLoaderToolkit");
        Object items = loader.getMethod("loadEvents", File.class).invoke(null, Path.of(System.getProperty("blkflight.agent.fixtures"),
                "recordings", "direct-io.jfr").toFile());
        Class<?> preferences = bundles.get("org.openjdk.jmc.common").loadClass("org.openjdk.jmc.common.util.IPreferenceValueProvider");
        Class<?> collection = bundles.get("org.openjdk.jmc.common").loadClass("org.openjdk.jmc.common.item.IItemCollection");
        Class<?> results = rules.loadClass("org.openjdk.jmc.flightrecorder.rules.IResultValueProvider");
        RunnableFuture<?> evaluation = (RunnableFuture<?>) ruleType.getMethod("createEvaluation", collection, preferences, results)
                .invoke(rule, items, preferences.getField("DEFAULT_VALUES").get(null), null);
        evaluation.run();
        Object result = ((Future<?>) evaluation).get();
        Class<?> resultType = rules.loadClass("org.openjdk.jmc.flightrecorder.rules.IResult");
        assertThat(resultType.getMethod("getSeverity").invoke(result).toString()).as("severity of the direct-I/O recording").isEqualTo("OK");
        assertThat((String) resultType.getMethod("getSummary").invoke(result)).as("summary template").contains("{requests} requests");
    }

    private static Object registry() {
        BundleContext context = bundles.get("org.eclipse.equinox.registry").getBundleContext();
        ServiceReference<?> reference = context.getServiceReference("org.eclipse.core.runtime.IExtensionRegistry");
        assertThat(reference).as("the extension registry service").isNotNull();
        return context.getService(reference);
    }

    private static List<Object> configurationElements(String point, String contributor) {
        Object[] elements = (Object[]) call(registry(), "getConfigurationElementsFor", point);
        return Arrays.stream(elements).filter(e -> contributor.equals(call(call(e, "getContributor"), "getName"))).toList();
    }

    private static List<String> contributors(String point) {
        Object[] elements = (Object[]) call(registry(), "getConfigurationElementsFor", point);
        return Arrays.stream(elements).map(e -> (String) call(call(e, "getContributor"), "getName")).toList();
    }

    /** Calls a public method of an object from the framework (its classes are not this test's). */
    private static Object call(Object target, String name, Object... args) {
        try {
            for (Method method : target.getClass().getMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                    method.setAccessible(true);
                    return method.invoke(target, args);
                }
            }
            throw new AssertionError(target.getClass() + " has no method " + name);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("calling " + name + " on " + target + ": " + e, e);
        }
    }
}
