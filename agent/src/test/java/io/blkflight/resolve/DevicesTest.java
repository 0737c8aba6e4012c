package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {
    @TempDir
    Path sysfs;

    /** A sysfs tree as the kernel lays it out: /sys/devices/... with /sys/class/block and /sys/dev/block links. */
    private void disk(String name, int major, int minor, String partition, int partMinor) throws IOException {
        Path device = Files.createDirectories(sysfs.resolve("devices/virtual/block/" + name));
        Files.writeString(device.resolve("dev"), major + ":" + minor + "\n");
        Files.writeString(device.resolve("uevent"), "MAJOR=" + major + "\nMINOR=" + minor + "\nDEVNAME=" + name + "\nDEVTYPE=disk\n");
        Files.createDirectories(sysfs.resolve("class/block"));
        Files.createDirectories(sysfs.resolve("dev/block"));
        Files.createSymbolicLink(sysfs.resolve("class/block/" + name), device);
        Files.createSymbolicLink(sysfs.resolve("dev/block/" + major + ":" + minor), device);
        if (partition != null) {
            Path part = Files.createDirectories(device.resolve(partition));
            Files.writeString(part.resolve("dev"), major + ":" + partMinor + "\n");
            Files.writeString(part.resolve("partition"), "1\n");
            Files.createSymbolicLink(sysfs.resolve("class/block/" + partition), part);
        }
    }

    @Test
    void namesDisksFromTheirNumbers() throws IOException {
        disk("vda", 254, 0, null, 0);
        Devices devices = new Devices(sysfs);

        assertThat(devices.name(Devices.dev(254, 0))).isEqualTo("vda");
        assertThat(devices.name(Devices.dev(7, 3))).as("a device sysfs does not know keeps its number").isEqualTo("7:3");
        assertThat(Devices.number(Devices.dev(259, 1048575))).isEqualTo("259:1048575");
    }

    @Test
    void resolvesNamesNumbersAndPartitionsToTheirDisk() throws IOException {
        disk("vda", 254, 0, "vda1", 1);
        Devices devices = new Devices(sysfs);

        assertThat(devices.resolveDisk("vda")).isEqualTo(Devices.dev(254, 0));
        assertThat(devices.resolveDisk("254:0")).isEqualTo(Devices.dev(254, 0));
        assertThat(devices.resolveDisk("vda1")).as("a partition means its disk").isEqualTo(Devices.dev(254, 0));
    }

    @Test
    void anUnknownDeviceSaysWhatIsAccepted() {
        Devices devices = new Devices(sysfs);

        assertThatThrownBy(() -> devices.resolveDisk("sdz"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no block device 'sdz'")
                .hasMessageContaining("class/block");
    }
}
