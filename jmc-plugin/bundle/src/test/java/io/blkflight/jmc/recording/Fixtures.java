package io.blkflight.jmc.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;

/**
 * The real recordings the tests read: the agent's own fixture with its golden report (read where the agent
 * keeps them, so both modules test the same file), and this module's H2 recording with the report the
 * command printed for it (jmc-plugin/scripts/regenerate-fixture.sh makes both).
 */
public final class Fixtures {
    /** 9 O_DIRECT requests on loop devices: reads, writes and an fsync, every one linked by a file event. */
    public static final Path DIRECT_IO = agentFixtures().resolve("recordings/direct-io.jfr");
    public static final Path DIRECT_IO_REPORT = agentFixtures().resolve("golden/report.txt");
    /** 1,695 requests of the H2 demo on the root disk (virtio-blk, mq-deadline): reads, fsyncs, discards, page faults. */
    public static final Path H2_DEMO = Path.of("src/test/resources/recordings/h2-demo.jfr");
    public static final Path H2_DEMO_REPORT = Path.of("src/test/resources/golden/h2-demo-report.txt");
    /**
     * Function-level mode on Debian's 6.12 under qemu (fentry), from the kernel matrix's run functions-vda
     * (agent/target/kernels/6.12/results/functions-vda.jfr): the direct-I/O workload with every request's path.
     */
    public static final Path FUNCTIONS_6_12 = Path.of("src/test/resources/recordings/functions-6.12.jfr");
    /**
     * Fault stacks: two threads' cold scans of 4 MiB mapped files (the agent's MappedScanWorkload, as FaultStacksIT
     * runs it, on JDK 17 with faultStacks=20000/s,stacks=all on a loop device): 65 page-fault requests, each linked by
     * its blkflight.FaultStack.
     */
    public static final Path FAULT_STACKS = agentFixtures().resolve("recordings/fault-stacks.jfr");

    /**
     * Virtual threads on JDK 25 (agent/src/test/java/io/blkflight/report/VirtualThreadsWorkload.java on a loop device,
     * scripts/regenerate-virtual-threads-fixture.sh; the agent's fixture): vt-reader-0..7 with 200 O_DIRECT reads each, eight
     * unnamed virtual threads reading cold files, platform threads pt-reader-0 and 1 with 200 each, vt-custom-0..3 (50
     * each) on a scheduler of one platform thread, custom-carrier, which read 100 blocks of its own between their turns.
     */
    public static final Path VIRTUAL_THREADS = agentFixtures().resolve("recordings/virtual-threads.jfr");

    private Fixtures() {
    }

    private static Path agentFixtures() {
        return Path.of(System.getProperty("blkflight.agent.fixtures", "../../agent/src/test/resources"));
    }

    public static IItemCollection load(Path recording) {
        try {
            return JfrLoaderToolkit.loadEvents(recording.toFile());
        } catch (IOException | CouldNotLoadRecordingException e) {
            throw new AssertionError("cannot load " + recording.toAbsolutePath() + ": " + e, e);
        }
    }

    public static BlockIoRecording read(Path recording) {
        return BlockIoRecording.read(load(recording));
    }

    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file.toAbsolutePath() + ": " + e, e);
        }
    }
}
