package io.blkflight.resolve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Block device numbers and names, from sysfs. The kernel side reports a disk as its dev_t in the
 * kernel's internal encoding (major &lt;&lt; 20 | minor).
 */
public final class Devices {
    private final Path sysfs;
    private final Map<Integer, String> names = new ConcurrentHashMap<>();

    public Devices() {
        this(Path.of("/sys"));
    }

    Devices(Path sysfs) {
        this.sysfs = sysfs;
    }

    public static int major(int dev) {
        return dev >>> 20;
    }

    public static int minor(int dev) {
        return dev & 0xfffff;
    }

    public static int dev(int major, int minor) {
        return major << 20 | minor;
    }

    /** "major:minor". */
    public static String number(int dev) {
        return major(dev) + ":" + minor(dev);
    }

    /** The disk's name (vda, loop0), or its number when sysfs no longer knows it. */
    public String name(int dev) {
        return names.computeIfAbsent(dev, this::lookUpName);
    }

    private String lookUpName(int dev) {
        try {
            for (String line : Files.readAllLines(sysfs.resolve("dev/block/" + number(dev) + "/uevent"))) {
                if (line.startsWith("DEVNAME=")) {
                    return line.substring("DEVNAME=".length());
                }
            }
        } catch (IOException | RuntimeException e) {
            // The device is gone or sysfs is not mounted: its number is still exact.
        }
        return number(dev);
    }

    /**
     * The whole disk that a user's device name or major:minor refers to; a partition (vda1) means its
     * disk (vda), since the kernel side follows requests per disk.
     */
    public int resolveDisk(String spec) throws IOException {
        Path block;
        if (spec.matches("\\d+:\\d+")) {
            block = sysfs.resolve("dev/block/" + spec);
        } else {
            block = sysfs.resolve("class/block/" + spec);
        }
        if (!Files.exists(block)) {
            throw new IOException("no block device '" + spec + "' (the devices in " + sysfs.resolve("class/block")
                    + " are accepted, by name or major:minor)");
        }
        Path real = block.toRealPath();
        if (Files.exists(real.resolve("partition"))) {
            real = real.getParent();
        }
        String number = Files.readString(real.resolve("dev")).trim();
        int colon = number.indexOf(':');
        return dev(Integer.parseInt(number.substring(0, colon)), Integer.parseInt(number.substring(colon + 1)));
    }
}
