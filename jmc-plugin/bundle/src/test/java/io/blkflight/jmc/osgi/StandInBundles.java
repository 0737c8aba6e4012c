package io.blkflight.jmc.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The two bundles the OSGi test cannot take from Maven Central as they are:
 * <ul>
 * <li>JMC's org.openjdk.jmc.flightrecorder.ui, which is not there: a stand-in with the UI API mirror's
 * classes and the declaration of the datapage extension point, as JMC's plugin.xml declares it;</li>
 * <li>org.eclipse.ui.forms, whose manifest requires the workbench's CSS engine (org.eclipse.e4.ui.css.*,
 * Apache Batik): its real classes with a manifest that requires only JFace and equinox.common, since
 * nothing in the test draws a form.</li>
 * </ul>
 */
final class StandInBundles {
    private StandInBundles() {
    }

    static Path flightRecorderUi(Path uiApiJar, Path into) throws IOException {
        Manifest manifest = manifest(Map.of(
                "Bundle-SymbolicName", "org.openjdk.jmc.flightrecorder.ui;singleton:=true",
                "Bundle-Version", "9.1.0.standin",
                "Bundle-Name", "Stand-in for JMC's Flight Recorder UI (declares its extension point, exports its API)",
                "Require-Bundle", "org.openjdk.jmc.common,org.openjdk.jmc.flightrecorder,org.eclipse.swt,org.eclipse.jface,"
                        + "org.eclipse.ui.forms",
                "Export-Package", "org.openjdk.jmc.flightrecorder.ui,org.openjdk.jmc.flightrecorder.ui.selection"));
        String pluginXml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?eclipse version=\"3.4\"?>\n<plugin>\n"
                + "   <extension-point id=\"datapage\" name=\"Flight Recorder Data Page\" schema=\"schema/datapage.exsd\"/>\n"
                + "</plugin>\n";
        Path bundle = into.resolve("org.openjdk.jmc.flightrecorder.ui-standin.jar");
        try (JarFile api = new JarFile(uiApiJar.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(bundle), manifest)) {
            copyClasses(api, out);
            out.putNextEntry(new JarEntry("plugin.xml"));
            out.write(pluginXml.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bundle;
    }

    static Path uiForms(Path realJar, Path into) throws IOException {
        Path bundle = into.resolve("org.eclipse.ui.forms-trimmed.jar");
        try (JarFile real = new JarFile(realJar.toFile())) {
            Attributes original = real.getManifest().getMainAttributes();
            Manifest manifest = manifest(Map.of(
                    "Bundle-SymbolicName", original.getValue("Bundle-SymbolicName"),
                    "Bundle-Version", original.getValue("Bundle-Version"),
                    "Export-Package", original.getValue("Export-Package"),
                    "Require-Bundle", "org.eclipse.jface,org.eclipse.equinox.common"));
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(bundle), manifest)) {
                copyClasses(real, out);
            }
        }
        return bundle;
    }

    private static Manifest manifest(Map<String, String> headers) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        headers.forEach(main::putValue);
        return manifest;
    }

    /** Copies the classes (not the manifest, nor the signature that covered the old manifest). */
    private static void copyClasses(JarFile from, JarOutputStream out) throws IOException {
        for (Enumeration<JarEntry> entries = from.entries(); entries.hasMoreElements();) {
            JarEntry entry = entries.nextElement();
            if (entry.isDirectory() || !entry.getName().endsWith(".class")) {
                continue;
            }
            out.putNextEntry(new JarEntry(entry.getName()));
            try (InputStream in = from.getInputStream(entry)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
    }
}
