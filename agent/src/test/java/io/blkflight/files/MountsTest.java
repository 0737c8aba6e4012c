package io.blkflight.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where this JVM reaches a filesystem's paths, from mountinfo. */
class MountsTest {
    private static final int LOOP3 = 7 << 20 | 3;
    private static final int VDA1 = 254 << 20 | 1;

    private static final String MOUNTINFO = String.join("\n",
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
            "90 22 7:3 / /mnt/db rw,noatime shared:40 - ext4 /dev/loop3 rw",
            "91 22 7:3 /wal /srv/wal\\040dir rw,noatime shared:40 master:3 - ext4 /dev/loop3 rw",
            "92 22 0:51 / /dev/shm rw - tmpfs tmpfs rw",
            "garbage line",
            "");

    @Test
    void theMountWithTheLongestRootThatHoldsThePathWins() {
        Mounts mounts = Mounts.parse(MOUNTINFO);

        assertThat(mounts.locate(LOOP3, "/data/000012.sst")).isEqualTo("/mnt/db/data/000012.sst");
        assertThat(mounts.locate(LOOP3, "/wal/000013.log")).as("the bind mount of /wal, its octal escape read")
                .isEqualTo("/srv/wal dir/000013.log");
        assertThat(mounts.locate(LOOP3, "/wal")).isEqualTo("/srv/wal dir");
        assertThat(mounts.locate(LOOP3, "/walrus")).as("/wal is no prefix of /walrus's component").isEqualTo("/mnt/db/walrus");
        assertThat(mounts.locate(VDA1, "/var/lib/x")).as("the root filesystem at /").isEqualTo("/var/lib/x");
        assertThat(mounts.locate(VDA1, "/")).isEqualTo("/");
        assertThat(mounts.locate(7 << 20 | 9, "/a")).as("a device not mounted here").isNull();
    }

    @Test
    void onlyBindMountsOfASubdirectoryCannotReachTheRestOfTheFilesystem() {
        Mounts mounts = Mounts.parse("91 22 7:3 /wal /srv/wal rw - ext4 /dev/loop3 rw");

        assertThat(mounts.locate(LOOP3, "/data/x")).isNull();
        assertThat(mounts.rootPoint(LOOP3)).as("no mount shows the filesystem's root").isNull();
    }

    @Test
    void knowsEachDevicesFilesystemType() {
        Mounts mounts = Mounts.parse(MOUNTINFO);

        assertThat(mounts.type(LOOP3)).isEqualTo("ext4");
        assertThat(mounts.type(7 << 20 | 9)).isNull();
        assertThat(mounts.has(VDA1)).isTrue();
        assertThat(mounts.rootPoint(LOOP3)).isEqualTo("/mnt/db");
    }
}
