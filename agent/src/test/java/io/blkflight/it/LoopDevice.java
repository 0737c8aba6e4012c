package io.blkflight.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An isolated, real block device for one test: a file in /dev/shm behind a loop device (blk-mq, no
 * scheduler) with ext4 (or xfs) in 4 KiB blocks, mounted in a temporary directory; removed again on close.
 */
public final class LoopDevice implements AutoCloseable {
    public static final int BLOCK_SIZE = 4096;
    private static final Pattern EXTENT = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\.\\.\\s*(\\d+):\\s+(\\d+)\\.\\.\\s*(\\d+):");

    private final Path backing;
    private final String device;
    private final Path mountPoint;
    private final String filesystem;

    private LoopDevice(Path backing, String device, Path mountPoint, String filesystem) {
        this.backing = backing;
        this.device = device;
        this.mountPoint = mountPoint;
        this.filesystem = filesystem;
    }

    public static LoopDevice create(String name, int megabytes) throws IOException, InterruptedException {
        return create(name, megabytes, "ext4");
    }

    /** With ext4 or xfs (4 KiB blocks both). */
    public static LoopDevice create(String name, int megabytes, String filesystem) throws IOException, InterruptedException {
        return create(name, megabytes, filesystem, List.of(), "noatime");
    }

    /**
     * ext4 with more mkfs options (e.g. "-O", "^has_journal") and mount options (e.g. "noatime,discard": without a
     * journal, ext4 discards freed blocks in the freeing system call itself).
     */
    public static LoopDevice create(String name, int megabytes, List<String> mkfsOptions, String mountOptions)
            throws IOException, InterruptedException {
        return create(name, megabytes, "ext4", mkfsOptions, mountOptions);
    }

    /** ext4 or xfs with more mkfs and mount options. */
    public static LoopDevice create(String name, int megabytes, String filesystem, List<String> mkfsOptions,
                                    String mountOptions) throws IOException, InterruptedException {
        Path backing = Files.createTempFile(Path.of("/dev/shm"), "blkflight-" + name + "-", ".img");
        Commands.run("truncate", "-s", megabytes + "M", backing.toString());
        String device = Commands.run("losetup", "--find", "--show", backing.toString()).trim();
        Path mountPoint = Files.createTempDirectory("blkflight-" + name + "-mnt");
        LoopDevice loop = new LoopDevice(backing, device, mountPoint, filesystem);
        try {
            // The kernel's default readahead (128 KiB): a loop device keeps what an earlier user of its number set
            // or what its earlier backing file's device suggested (2,560 KiB seen), and mapped-file scans then come
            // in fewer, larger requests than a test counts on.
            Files.writeString(Path.of("/sys/block", loop.name(), "queue", "read_ahead_kb"), "128");
            // No lazy initialisation: ext4lazyinit would write to the device in the background during the test.
            List<String> mkfs = new java.util.ArrayList<>(filesystem.equals("xfs")
                    ? List.of("mkfs.xfs", "-q", "-f", "-b", "size=" + BLOCK_SIZE)
                    : List.of("mkfs.ext4", "-q", "-F", "-b", Integer.toString(BLOCK_SIZE),
                            "-E", "lazy_itable_init=0,lazy_journal_init=0"));
            mkfs.addAll(mkfsOptions);
            mkfs.add(device);
            Commands.run(mkfs.toArray(String[]::new));
            Commands.run("mount", "-o", mountOptions, device, mountPoint.toString());
        } catch (IOException e) {
            Commands.runAllowingFailure(30, "losetup", "-d", device);
            Files.deleteIfExists(backing);
            throw e;
        }
        return loop;
    }

    /** ext4 or xfs. */
    public String filesystem() {
        return filesystem;
    }

    /** Unmounts and mounts the filesystem again: its files' pages leave the page cache (no global drop_caches). */
    public void remount() throws IOException, InterruptedException {
        Commands.run("umount", mountPoint.toString());
        Commands.run("mount", "-o", "noatime", device, mountPoint.toString());
    }

    /** The device's name as the kernel has it, e.g. loop3. */
    public String name() {
        return device.substring(device.lastIndexOf('/') + 1);
    }

    public String path() {
        return device;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** A file of that many zeroed blocks on the device, written through and synced before it returns. */
    public Path zeroFile(String name, int blocks) throws IOException {
        Path file = mountPoint.resolve(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(blocks * BLOCK_SIZE));
            channel.force(true);
        }
        return file;
    }

    /** "major:minor" of the loop device. */
    public String number() throws IOException {
        return Files.readString(Path.of("/sys/class/block", name(), "dev")).trim();
    }

    /**
     * The physical block on the device of each logical block of the file, from {@code filefrag -v}: the
     * exact oracle for the sector of a request that reads or writes that block.
     */
    public Map<Long, Long> physicalBlocks(Path file) throws IOException, InterruptedException {
        return parseFilefrag(Commands.run("filefrag", "-v", "-b" + BLOCK_SIZE, file.toString()));
    }

    /** Logical block to physical block, from the output of {@code filefrag -v -b4096} (here or in a guest). */
    public static Map<Long, Long> parseFilefrag(String output) {
        Map<Long, Long> blocks = new HashMap<>();
        for (String line : output.split("\n")) {
            Matcher m = EXTENT.matcher(line);
            if (m.find()) {
                long logicalStart = Long.parseLong(m.group(1));
                long logicalEnd = Long.parseLong(m.group(2));
                long physicalStart = Long.parseLong(m.group(3));
                for (long l = logicalStart; l <= logicalEnd; l++) {
                    blocks.put(l, physicalStart + (l - logicalStart));
                }
            }
        }
        return blocks;
    }

    /** The request sector (512 bytes) that a file's logical block lands on. */
    public long sectorOf(Path file, long logicalBlock) throws IOException, InterruptedException {
        Long physical = physicalBlocks(file).get(logicalBlock);
        if (physical == null) {
            throw new IOException("filefrag shows no physical block for block " + logicalBlock + " of " + file);
        }
        return physical * (BLOCK_SIZE / 512);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Commands.runAllowingFailure(60, "umount", mountPoint.toString());
        Commands.runAllowingFailure(60, "losetup", "-d", device);
        Files.deleteIfExists(mountPoint);
        Files.deleteIfExists(backing);
    }
}
