package io.blkflight.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each filesystem is mounted as this JVM sees it, from its /proc/self/mountinfo: its own mount namespace
 * (so a container's paths are the container's), bind mounts by their root within the filesystem. The kernel side
 * names a file by its filesystem's device and its path from that filesystem's root; this puts the mount point in
 * front. Paths here are raw (one char per byte, see {@link PathText#raw}).
 */
public final class Mounts {
    /** One line of mountinfo: the filesystem on dev, the directory root of it mounted at point. */
    record Mount(int dev, String root, String point, String type) {
    }

    private final Map<Integer, List<Mount>> byDevice;

    private Mounts(Map<Integer, List<Mount>> byDevice) {
        this.byDevice = byDevice;
    }

    /** The mounts of this process's mount namespace; none when mountinfo cannot be read. */
    public static Mounts ofThisProcess() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return parse("");
        }
    }

    /** Parses mountinfo text (read as ISO-8859-1, one char per byte); lines it cannot read are left out. */
    public static Mounts parse(String mountinfo) {
        Map<Integer, List<Mount>> byDevice = new HashMap<>();
        for (String line : mountinfo.split("\n")) {
            // ID PARENT MAJOR:MINOR ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER_OPTIONS
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 6 || separator < 6 || separator + 1 >= fields.length) {
                continue;
            }
            String[] number = fields[2].split(":");
            if (number.length != 2 || !number[0].matches("\\d{1,9}") || !number[1].matches("\\d{1,9}")) {
                continue;
            }
            int dev = Integer.parseInt(number[0]) << 20 | Integer.parseInt(number[1]);
            byDevice.computeIfAbsent(dev, d -> new ArrayList<>())
                    .add(new Mount(dev, unescape(fields[3]), unescape(fields[4]), unescape(fields[separator + 1])));
        }
        return new Mounts(byDevice);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field.charAt(i + 1)) && isOctal(field.charAt(i + 2))
                    && isOctal(field.charAt(i + 3))) {
                out.append((char) (((field.charAt(i + 1) - '0') << 6 | (field.charAt(i + 2) - '0') << 3 | (field.charAt(i + 3) - '0')) & 0xff));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    /** Whether any filesystem of this device is mounted here. */
    public boolean has(int dev) {
        return byDevice.containsKey(dev);
    }

    /** The filesystem type mounted from this device (ext4, xfs), or null. */
    public String type(int dev) {
        List<Mount> mounts = byDevice.get(dev);
        return mounts == null ? null : mounts.get(0).type();
    }

    /**
     * The raw path from the filesystem's root as this process reaches it: the mount whose root is the longest
     * that contains the path, its point in front of the rest; the first such mount where several are equal. Null
     * when no mount of the device reaches the path.
     */
    public String locate(int dev, String rawPathInFilesystem) {
        Mount best = null;
        for (Mount mount : byDevice.getOrDefault(dev, List.of())) {
            String root = mount.root().equals("/") ? "" : mount.root();
            boolean inside = rawPathInFilesystem.equals(root)
                    || (rawPathInFilesystem.startsWith(root) && rawPathInFilesystem.charAt(root.length()) == '/');
            if (inside && (best == null || root.length() > (best.root().equals("/") ? 0 : best.root().length()))) {
                best = mount;
            }
        }
        if (best == null) {
            return null;
        }
        String rest = rawPathInFilesystem.substring(best.root().equals("/") ? 0 : best.root().length());
        return best.point().equals("/") ? (rest.isEmpty() ? "/" : rest) : best.point() + rest;
    }

    /** The mount point of the filesystem's root directory, or null when no mount shows the whole filesystem. */
    public String rootPoint(int dev) {
        for (Mount mount : byDevice.getOrDefault(dev, List.of())) {
            if (mount.root().equals("/")) {
                return mount.point();
            }
        }
        return null;
    }
}
