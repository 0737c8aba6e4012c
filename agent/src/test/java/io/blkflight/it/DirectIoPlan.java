package io.blkflight.it;

import java.util.List;

/** What the direct-I/O workload does, shared by the workload and the test that checks the recording. */
public final class DirectIoPlan {
    /** One I/O call of 4 KiB: "read" and "write" with O_DIRECT, "fsync" a buffered write then force(true). */
    public record Step(String thread, String operation, String file, long block) {
    }

    public static final String DATA = "data.bin";
    public static final String OTHER = "other.bin";
    public static final int DATA_BLOCKS = 64;

    public static final List<Step> STEPS = List.of(
            new Step("reader-1", "read", DATA, 1),
            new Step("reader-1", "read", DATA, 5),
            new Step("reader-1", "read", DATA, 9),
            new Step("reader-2", "read", DATA, 20),
            new Step("reader-2", "read", DATA, 33),
            new Step("reader-2", "read", OTHER, 2),
            new Step("writer-1", "write", DATA, 3),
            new Step("writer-1", "write", DATA, 40),
            new Step("syncer", "fsync", DATA, 50));

    /** The byte a written block is filled with, so the test can check what landed on disk. */
    public static byte fill(long block) {
        return (byte) (block * 7 + 1);
    }

    private DirectIoPlan() {
    }
}
