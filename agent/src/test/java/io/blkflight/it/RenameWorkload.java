package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Files renamed while they are open and in use, each way in a thread of its name, for {@code RenamesIT}. Argument:
 * the directory RenamesIT prepared (the files of {@link #PREPARED} and the directory {@link #SUBDIR}, cold: the
 * filesystem was mounted again). Each way does I/O on its file, renames it in the same directory, does I/O, moves
 * it to {@link #SUBDIR}, does I/O again, all on the same open file (the directory way renames and moves the file's
 * directory instead); every rename inside an IoCallEvent(operation =
 * "rename", file = "WAY:STEP"). Prints "renames done" at the end, and the storm's numbers.
 */
public final class RenameWorkload {
    static final String SUBDIR = "sub";
    /** Page-cache reads (cold): 4 KiB preads STRIDE blocks apart, each its own request. */
    static final String READ = "read.bin";
    static final String DIRECT = "direct.bin";
    static final String MV = "mv.bin";
    static final String OVER_A = "over-a.bin";
    static final String OVER_B = "over-b.bin";
    /** Read through the page cache (cold) while a hard link is made to it, then while its first name is removed. */
    static final String LINK = "link.bin";
    static final String LINK_OTHER = "link-other.bin";
    /** Files the storm renames: storm-I-K is file I after K renames. */
    static final int STORM_FILES = 8;
    static final int STORM_BLOCKS = 2048;
    /** Blocks of each prepared file (but the storm's). */
    /** Read with O_DIRECT while the directory it is in is renamed, then moved into SUBDIR. */
    static final String IN_DIR = "dir-way/in-dir.bin";
    static final List<String> PREPARED = List.of(READ, DIRECT, MV, OVER_A, OVER_B, LINK, IN_DIR);
    static final int BLOCKS = 512;
    static final int STRIDE = 32;
    /** The page-cache write way's file, made by the workload. */
    static final String WRITE = "write.bin";
    /** Requests of one way between two renames. */
    static final int PER_STEP = 4;
    private static final long STORM_NANOS = 3_000_000_000L;
    private static final int BLOCK = LoopDevice.BLOCK_SIZE;

    private RenameWorkload() {
    }

    /** The names a way's file has, step by step: NAME, NAME-renamed (same directory), sub/NAME-moved. */
    static List<String> names(String file) {
        if (file.equals(LINK)) {
            // The link way's steps: a second name made (link-other.bin), then the first one removed.
            return List.of(LINK, LINK + "+" + LINK_OTHER, LINK_OTHER);
        }
        if (file.equals(IN_DIR)) {
            // The directory way's steps: its directory renamed, then moved into SUBDIR; the file keeps its name.
            return List.of(IN_DIR, "dir-way-renamed/in-dir.bin", SUBDIR + "/dir-way-moved/in-dir.bin");
        }
        String base = file.substring(0, file.lastIndexOf('.'));
        return List.of(file, base + "-renamed.bin", SUBDIR + "/" + base + "-moved.bin");
    }

    /** The link way's "renames": link(2) of a second name, then unlink(2) of the first. */
    private static void linkThenUnlink(Path from, Path to) throws Exception {
        Path dir = from.getParent();
        if (Files.exists(dir.resolve(LINK_OTHER))) {
            Files.delete(dir.resolve(LINK));
        } else {
            Files.createLink(dir.resolve(LINK_OTHER), dir.resolve(LINK));
        }
    }

    static String stormName(int file, int renames) {
        return "storm-" + file + "-" + renames;
    }

    private interface Step {
        void run(int step) throws Exception;
    }

    private interface Rename {
        void run(Path from, Path to) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);

        try (FileChannel channel = FileChannel.open(dir.resolve(READ), StandardOpenOption.READ)) {
            renamed("rn-read", dir, READ, Files::move, step -> {
                for (int i = 0; i < PER_STEP; i++) {
                    channel.read(ByteBuffer.allocate(BLOCK), (long) (step * PER_STEP + i) * STRIDE * BLOCK);
                }
            });
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(WRITE), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            renamed("rn-write", dir, WRITE, Files::move, step -> {
                for (int i = 0; i < PER_STEP; i++) {
                    channel.write(filled(BLOCK, step), (long) (step * PER_STEP + i) * BLOCK);
                }
                channel.force(true);
            });
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(DIRECT), StandardOpenOption.READ, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            renamed("rn-direct", dir, DIRECT, Files::move, step -> {
                for (int i = 0; i < PER_STEP; i++) {
                    long block = (long) step * 2 * PER_STEP + i;
                    buffer.clear();
                    channel.read(buffer, block * BLOCK);
                    buffer.clear();
                    channel.write(buffer, (block + PER_STEP) * BLOCK);
                }
            });
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(MV), StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            renamed("rn-mv", dir, MV, RenameWorkload::mv, step -> {
                for (int i = 0; i < PER_STEP; i++) {
                    buffer.clear();
                    channel.read(buffer, (long) (step * PER_STEP + i) * BLOCK);
                }
            });
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(LINK), StandardOpenOption.READ)) {
            renamed("rn-link", dir, LINK, RenameWorkload::linkThenUnlink, step -> {
                for (int i = 0; i < PER_STEP; i++) {
                    channel.read(ByteBuffer.allocate(BLOCK), (long) (step * PER_STEP + i) * STRIDE * BLOCK);
                }
            });
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(IN_DIR), StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            renamed("rn-dir", dir, IN_DIR, (from, to) -> Files.move(from.getParent(), to.getParent()), step -> {
                for (int i = 0; i < PER_STEP; i++) {
                    buffer.clear();
                    channel.read(buffer, (long) (step * PER_STEP + i) * BLOCK);
                }
            });
        }
        over(dir, buffer);
        storm(dir, buffer);
        System.out.println("renames done, pid " + ProcessHandle.current().pid());
    }

    /** In a thread of that name: I/O, a rename in the directory, I/O, a move to SUBDIR, I/O. */
    private static void renamed(String way, Path dir, String file, Rename rename, Step io) throws Exception {
        inThread(way, () -> {
            List<String> names = names(file);
            for (int step = 0; step < names.size(); step++) {
                if (step > 0) {
                    IoCallEvent call = new IoCallEvent();
                    call.operation = "rename";
                    call.file = way + ":" + step;
                    call.begin();
                    rename.run(dir.resolve(names.get(step - 1)), dir.resolve(names.get(step)));
                    call.commit();
                }
                io.run(step);
            }
        });
    }

    /** Another process renames the file: mv(1). */
    private static void mv(Path from, Path to) throws Exception {
        Process mv = new ProcessBuilder("mv", from.toString(), to.toString()).inheritIO().start();
        if (mv.waitFor() != 0) {
            throw new IllegalStateException("mv " + from + " " + to + " exited with " + mv.exitValue());
        }
    }

    /**
     * over-a.bin renamed over over-b.bin while both are open: O_DIRECT writes to both before and after. A's name is
     * then B's; B has no name left (its later requests must say deleted, never take A's name).
     */
    private static void over(Path dir, ByteBuffer buffer) throws Exception {
        inThread("rn-over", () -> {
            try (FileChannel a = FileChannel.open(dir.resolve(OVER_A), StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                 FileChannel b = FileChannel.open(dir.resolve(OVER_B), StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                for (int step = 0; step < 2; step++) {
                    if (step == 1) {
                        IoCallEvent call = new IoCallEvent();
                        call.operation = "rename";
                        call.file = "rn-over:1";
                        call.begin();
                        Files.move(dir.resolve(OVER_A), dir.resolve(OVER_B), StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.ATOMIC_MOVE);
                        call.commit();
                    }
                    for (int i = 0; i < PER_STEP; i++) {
                        long block = (long) step * PER_STEP + i;
                        buffer.clear();
                        a.write(buffer, block * BLOCK);
                        buffer.clear();
                        b.write(buffer, block * BLOCK);
                    }
                }
            }
        });
    }

    /**
     * Thousands of renames a second of files doing I/O: each of STORM_FILES open files read (O_DIRECT, one request)
     * at block K while it is named storm-I-K, then renamed storm-I-(K+1), round and round, for STORM_NANOS or
     * STORM_BLOCKS rounds.
     */
    private static void storm(Path dir, ByteBuffer buffer) throws Exception {
        inThread("rn-storm", () -> {
            List<FileChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < STORM_FILES; i++) {
                    channels.add(FileChannel.open(dir.resolve(stormName(i, 0)), StandardOpenOption.READ, ExtendedOpenOption.DIRECT));
                }
                long start = System.nanoTime();
                long reads = 0;
                long renames = 0;
                int round = 0;
                for (; round < STORM_BLOCKS && System.nanoTime() - start < STORM_NANOS; round++) {
                    for (int i = 0; i < STORM_FILES; i++) {
                        buffer.clear();
                        channels.get(i).read(buffer, (long) round * BLOCK);
                        reads++;
                        if (round + 1 < STORM_BLOCKS) {
                            Files.move(dir.resolve(stormName(i, round)), dir.resolve(stormName(i, round + 1)));
                            renames++;
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("storm: %d reads, %d renames in %.2f s (%.0f renames/s), %d rounds%n", reads, renames,
                        seconds, renames / seconds, round);
            } finally {
                for (FileChannel channel : channels) {
                    channel.close();
                }
            }
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void inThread(String name, Body body) throws Exception {
        Exception[] failure = new Exception[1];
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, name);
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw new IllegalStateException(name + " failed", failure[0]);
        }
    }

    private static ByteBuffer filled(int size, int seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }
}
