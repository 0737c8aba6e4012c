package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupsTest {
    @TempDir
    Path hierarchy;

    private static long inode(Path directory) throws Exception {
        return ((Number) Files.getAttribute(directory, "unix:ino")).longValue();
    }

    @Test
    void namesACgroupByItsDirectoryBelowTheMount() throws Exception {
        Path service = Files.createDirectories(hierarchy.resolve("system.slice/app.service"));
        Cgroups cgroups = new Cgroups(() -> Optional.of(hierarchy));

        assertThat(cgroups.name(inode(service))).isEqualTo("/system.slice/app.service");
        assertThat(cgroups.name(inode(hierarchy))).as("the mount's root").isEqualTo("/");
        assertThat(cgroups.name(0)).as("unknown").isEmpty();
        assertThat(cgroups.name(123_456_789_012L)).as("one the JVM cannot see").isEqualTo("cgroup#123456789012");
    }

    @Test
    void withoutAHierarchyIdsAreNamedByNumber() {
        assertThat(new Cgroups(Optional::empty).name(42)).isEqualTo("cgroup#42");
    }
}
