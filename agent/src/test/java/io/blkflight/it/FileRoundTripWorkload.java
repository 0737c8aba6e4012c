package io.blkflight.it;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A small application for the tests where the agent must step aside: writes a file, forces it, reads
 * it back and says whether the data survived. Argument: a directory.
 */
public final class FileRoundTripWorkload {
    private FileRoundTripWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile(Path.of(args[0]), "roundtrip", ".bin");
        byte[] data = new byte[256 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(data));
            channel.force(true);
        }
        byte[] back = Files.readAllBytes(file);
        Files.delete(file);
        System.out.println(Arrays.equals(data, back) ? "data intact" : "DATA CORRUPTED");
    }
}
