package io.blkflight.resolve;

import io.blkflight.agent.Log;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names a cgroup (v2) id as the path of its directory below the cgroup2 mount the JVM sees: a cgroup's id is
 * the inode number of its directory in cgroupfs. Inside a container with a cgroup namespace the paths are the
 * container's ("/" its own cgroup). An id the JVM cannot see (another container's) is named {@code cgroup#ID}.
 * The hierarchy is walked again on a miss, at most once per {@link #MIN_WALK_INTERVAL_NANOS}, and at most
 * {@link #MAX_CGROUPS} are kept.
 */
public final class Cgroups {
    static final long MIN_WALK_INTERVAL_NANOS = 1_000_000_000L;
    static final int MAX_CGROUPS = 65_536;

    private final Supplier<Optional<Path>> root;
    private final Map<Long, String> names = new HashMap<>();
    private long lastWalk = Long.MIN_VALUE;

    public Cgroups() {
        this(Cgroups::mountPoint);
    }

    /** Over the hierarchy mounted at the given root (tests). */
    public Cgroups(Supplier<Optional<Path>> root) {
        this.root = root;
    }

    /** The cgroup's path, "" for id 0 (unknown). */
    public synchronized String name(long id) {
        if (id == 0) {
            return "";
        }
        String name = names.get(id);
        if (name == null && (lastWalk == Long.MIN_VALUE || System.nanoTime() - lastWalk >= MIN_WALK_INTERVAL_NANOS)) {
            walk();
            name = names.get(id);
        }
        return name != null ? name : "cgroup#" + id;
    }

    private void walk() {
        lastWalk = System.nanoTime();
        Optional<Path> mount = root.get();
        if (mount.isEmpty()) {
            return;
        }
        names.clear();
        Path top = mount.get();
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    if (names.size() >= MAX_CGROUPS) {
                        return FileVisitResult.TERMINATE;
                    }
                    Object inode = Files.getAttribute(dir, "unix:ino");
                    names.put(((Number) inode).longValue(), "/" + top.relativize(dir).toString());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException e) {
            Log.debug("cgroups not named: walking " + top + " failed: " + e.getMessage());
        }
    }

    /** Where the JVM sees the cgroup v2 hierarchy mounted (its root, not the JVM's own cgroup). */
    static Optional<Path> mountPoint() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                int dash = List.of(fields).indexOf("-");
                if (dash > 4 && dash + 1 < fields.length && fields[dash + 1].equals("cgroup2")) {
                    return Optional.of(Path.of(fields[4].replace("\\040", " ")));
                }
            }
        } catch (IOException e) {
            Log.debug("cgroups not named: /proc/self/mountinfo: " + e.getMessage());
        }
        return Optional.empty();
    }
}
