package io.blkflight.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the JVM runs, as the kernel side needs to know it: its PID namespace (a container's, or the
 * initial one) and its cgroup v2 directory. Read from the JVM's own /proc, which shows its own namespaces.
 */
public final class OwnProcess {
    /** The inode of the initial PID namespace (PROC_PID_INIT_INO in include/linux/proc_ns.h, stable ABI). */
    static final long INITIAL_PID_NAMESPACE_INODE = 0xEFFFFFFCL;

    private OwnProcess() {
    }

    /** The JVM's PID namespace; {@link NativeCollector.PidNamespace#INITIAL} outside a container's. */
    public static NativeCollector.PidNamespace pidNamespace() throws CollectorException {
        return pidNamespace(Path.of("/proc/self/ns/pid"));
    }

    static NativeCollector.PidNamespace pidNamespace(Path nsFile) throws CollectorException {
        try {
            long inode = ((Number) Files.getAttribute(nsFile, "unix:ino")).longValue();
            long device = ((Number) Files.getAttribute(nsFile, "unix:dev")).longValue();
            return inode == INITIAL_PID_NAMESPACE_INODE ? NativeCollector.PidNamespace.INITIAL
                    : new NativeCollector.PidNamespace(device, inode);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CollectorException("reading the JVM's PID namespace (" + nsFile + ") failed: " + e.getMessage()
                    + "; blkflight needs /proc mounted for the JVM's own PID namespace", e);
        }
    }

    /**
     * The JVM's cgroup v2 directory: its path in /proc/self/cgroup ({@code 0::/path}) under the cgroup2 mount of
     * /proc/self/mountinfo (whose root may itself be a cgroup: a cgroup namespace, a bind mount). Empty when no
     * cgroup v2 hierarchy is mounted where the JVM sees it.
     */
    public static Optional<Path> cgroupDirectory() throws IOException {
        return cgroupDirectory(Files.readAllLines(Path.of("/proc/self/cgroup")),
                Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    static Optional<Path> cgroupDirectory(List<String> cgroupLines, List<String> mountinfoLines) {
        String own = cgroupLines.stream().filter(line -> line.startsWith("0::")).map(line -> line.substring(3))
                .findFirst().orElse(null);
        if (own == null) {
            return Optional.empty();
        }
        for (String line : mountinfoLines) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (dash < 0 || dash + 1 >= fields.length || !fields[dash + 1].equals("cgroup2") || fields.length < 5) {
                continue;
            }
            String root = unescape(fields[3]);
            Path mountPoint = Path.of(unescape(fields[4]));
            if (own.equals(root) || own.startsWith(root.endsWith("/") ? root : root + "/")) {
                String below = own.substring(root.length()).replaceFirst("^/", "");
                return Optional.of(below.isEmpty() ? mountPoint : mountPoint.resolve(below));
            }
        }
        return Optional.empty();
    }

    /** mountinfo escapes space, tab, newline and backslash as octal (\040). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
