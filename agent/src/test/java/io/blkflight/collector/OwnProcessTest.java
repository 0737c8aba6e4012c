package io.blkflight.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class OwnProcessTest {
    private static final String HYBRID_MOUNTS = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw""";

    @Test
    void findsTheJvmsCgroupBelowTheCgroup2Mount() {
        assertThat(OwnProcess.cgroupDirectory(List.of("4:memory:/x", "0::/system.slice/app.service"), HYBRID_MOUNTS.lines().toList()))
                .contains(Path.of("/sys/fs/cgroup/unified/system.slice/app.service"));
        assertThat(OwnProcess.cgroupDirectory(List.of("0::/"), HYBRID_MOUNTS.lines().toList()))
                .as("the root cgroup").contains(Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void inACgroupNamespaceTheMountIsTheContainersOwnCgroup() {
        String container = "1200 1100 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw";
        assertThat(OwnProcess.cgroupDirectory(List.of("0::/"), List.of(container))).contains(Path.of("/sys/fs/cgroup"));
        String bound = "77 60 0:27 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw";
        assertThat(OwnProcess.cgroupDirectory(List.of("0::/kubepods/pod1/c1"), List.of(bound)))
                .as("a mount whose root is a cgroup").contains(Path.of("/sys/fs/cgroup/c1"));
        assertThat(OwnProcess.cgroupDirectory(List.of("0::/elsewhere"), List.of(bound)))
                .as("a cgroup outside the mount's root is not reachable").isEmpty();
    }

    @Test
    void withoutCgroupV2ThereIsNoDirectory() {
        assertThat(OwnProcess.cgroupDirectory(List.of("4:memory:/x"), HYBRID_MOUNTS.lines().toList())).isEmpty();
        assertThat(OwnProcess.cgroupDirectory(List.of("0::/"), List.of("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw")))
                .isEmpty();
    }

    @Test
    void mountinfoEscapesAreRead() {
        assertThat(OwnProcess.unescape("/mnt/with\\040space")).isEqualTo("/mnt/with space");
        assertThat(OwnProcess.unescape("/back\\134slash")).isEqualTo("/back\\slash");
        assertThat(OwnProcess.unescape("/trailing\\04")).isEqualTo("/trailing\\04");
    }

    @Test
    void theInitialPidNamespaceIsRecognised() throws Exception {
        // This test's own JVM: on the build machines it runs outside any container's namespace.
        NativeCollector.PidNamespace own = OwnProcess.pidNamespace();
        assertThat(own.inode()).as("an inode, or 0 for the initial namespace").isNotNegative();
    }

    @Test
    void ownIoThatNothingFollowedIsCountedAndWarnedOnce() {
        AtomicLong read = new AtomicLong();
        AtomicLong followed = new AtomicLong();
        OwnIoWatch watch = new OwnIoWatch(() -> new long[] {read.get(), 0}, followed::get, "scope=self", 0);

        read.set(100 << 10);
        watch.check(1_000_000_000L);
        assertThat(watch.missedBytes()).as("below the evidence for a warning, still counted").isEqualTo(100 << 10);
        read.set(512 << 10);
        watch.check(2_000_000_000L);
        assertThat(watch.missedBytes()).isEqualTo(512 << 10);
        followed.set(1);
        read.set(4 << 20);
        watch.check(3_000_000_000L);
        assertThat(watch.missedBytes()).as("once a request of the JVM is followed the count stays").isEqualTo(512 << 10);
    }

    @Test
    void bufferedWritesAloneWaitForWriteback() {
        AtomicLong written = new AtomicLong();
        OwnIoWatch watch = new OwnIoWatch(() -> new long[] {0, written.get()}, () -> 0, "scope=self", 0);
        written.set(8 << 20);
        watch.check(OwnIoWatch.WRITEBACK_GRACE_NANOS - 1);
        assertThat(watch.missedBytes()).isEqualTo(8 << 20);
    }

    @Test
    void withoutTaskIoAccountingNothingIsClaimed() {
        OwnIoWatch watch = new OwnIoWatch(() -> null, () -> 0, "scope=self", 0);
        watch.check(10_000_000_000L);
        assertThat(watch.missedBytes()).isZero();
    }
}
