package io.blkflight.it;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A loop device with one zeroed file on it ("data.bin"), shared by the tests of a class: made before the
 * first (which needs root, or the class is skipped, loudly) and removed after the last. Register it with
 * {@code @RegisterExtension static final DeviceWithFile DATA = new DeviceWithFile(name, megabytes, blocks)}.
 */
public final class DeviceWithFile implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final int megabytes;
    private final int blocks;
    private LoopDevice device;
    private Path file;

    public DeviceWithFile(String name, int megabytes, int blocks) {
        this.name = name;
        this.megabytes = megabytes;
        this.blocks = blocks;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Privileges.requireRoot();
        device = LoopDevice.create(name, megabytes);
        file = device.zeroFile("data.bin", blocks);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (device != null) {
            device.close();
        }
    }

    public LoopDevice device() {
        return device;
    }

    public Path file() {
        return file;
    }

    public int blocks() {
        return blocks;
    }
}
