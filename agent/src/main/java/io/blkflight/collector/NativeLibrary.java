package io.blkflight.collector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads libblkflight.so once per JVM: from an explicit path (agent option {@code library=} or system
 * property {@code blkflight.library}), else from the copy inside the agent jar, extracted into a freshly
 * created private directory (mode 0700, unpredictable name) and deleted right after loading: Linux keeps
 * a loaded library mapped, and nothing is ever loaded from a predictable path in a shared directory.
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "blkflight.library";
    static final String RESOURCE_DIRECTORY = "/native/";
    static final String LIBRARY_NAME = "libblkflight.so";

    private static String loadedFrom;

    private NativeLibrary() {
    }

    /** Loads the library if it is not loaded yet; returns where it was loaded from. */
    public static synchronized String load(String explicitPath) throws CollectorException {
        if (loadedFrom != null) {
            return loadedFrom;
        }
        String path = explicitPath != null ? explicitPath : System.getProperty(PATH_PROPERTY);
        if (path != null) {
            Path library = Path.of(path).toAbsolutePath();
            if (!Files.isRegularFile(library)) {
                throw new CollectorException("the native library " + library + " does not exist (given by "
                        + (explicitPath != null ? "the library option" : "-D" + PATH_PROPERTY) + ")");
            }
            loadFile(library);
            loadedFrom = library.toString();
            return loadedFrom;
        }
        loadedFrom = extractAndLoad(platformResource(), Path.of(System.getProperty("java.io.tmpdir")), NativeLibrary::loadFile);
        return loadedFrom;
    }

    /** Loads a library file; the seam that tests watch the extraction through. */
    interface Loader {
        void load(Path library) throws CollectorException;
    }

    static String platformResource() throws CollectorException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new CollectorException("blkflight runs on Linux x86_64 only; this JVM is on " + os + "/" + arch);
        }
        return RESOURCE_DIRECTORY + "linux-x86_64/" + LIBRARY_NAME;
    }

    /**
     * Copies the resource into a new directory under tempRoot, loads it and deletes both. The directory is
     * created atomically with an unpredictable name and mode 0700 (Files.createTempDirectory on POSIX),
     * so nobody else can have planted or swapped the file that is loaded.
     */
    static String extractAndLoad(String resource, Path tempRoot, Loader loader) throws CollectorException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new CollectorException("the agent jar has no " + resource + "; it was built without the native"
                        + " library (run the full Maven build)");
            }
            Path directory = Files.createTempDirectory(tempRoot, "blkflight-");
            Path library = directory.resolve(LIBRARY_NAME);
            try {
                Files.copy(in, library);
                loader.load(library);
                return resource + " (extracted to " + directory + ", removed after loading)";
            } finally {
                Files.deleteIfExists(library);
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            throw new CollectorException("extracting the native library failed: " + e.getMessage()
                    + "; set java.io.tmpdir to a writable directory or give library=PATH", e);
        }
    }

    private static void loadFile(Path library) throws CollectorException {
        try {
            System.load(library.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new CollectorException("loading the native library " + library + " failed: " + e.getMessage()
                    + " (it needs glibc, libelf.so.1 and libz.so.1)", e);
        } catch (IllegalCallerException e) {
            throw new CollectorException("the JVM denies blkflight native access (--illegal-native-access=deny): add"
                    + " --enable-native-access=ALL-UNNAMED to let the agent load its collector library", e);
        }
    }
}
