package io.blkflight.it;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The child JVM of the direct-I/O integration test: runs {@link DirectIoPlan#STEPS} from named threads,
 * one thread after another, each call inside an {@link IoCallEvent}. Arguments: the data directory on
 * the traced device, the directory of the other device.
 */
public final class DirectIoWorkload {
    private DirectIoWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path other = Path.of(args[1]);
        Map<String, List<DirectIoPlan.Step>> byThread = DirectIoPlan.STEPS.stream()
                .collect(Collectors.groupingBy(DirectIoPlan.Step::thread, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<DirectIoPlan.Step>> entry : byThread.entrySet()) {
            Thread thread = new Thread(() -> {
                for (DirectIoPlan.Step step : entry.getValue()) {
                    Path dir = step.file().equals(DirectIoPlan.OTHER) ? other : data;
                    try {
                        perform(step, dir.resolve(step.file()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }, entry.getKey());
            thread.start();
            thread.join();
        }
        System.out.println("workload done, pid " + ProcessHandle.current().pid());
    }

    private static void perform(DirectIoPlan.Step step, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * LoopDevice.BLOCK_SIZE).alignedSlice(LoopDevice.BLOCK_SIZE);
        buffer.limit(LoopDevice.BLOCK_SIZE);
        long position = step.block() * LoopDevice.BLOCK_SIZE;
        IoCallEvent call = new IoCallEvent();
        call.operation = step.operation();
        call.file = step.file();
        call.block = step.block();
        switch (step.operation()) {
            case "read":
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                    call.begin();
                    channel.read(buffer, position);
                    call.commit();
                }
                break;
            case "write":
                fill(buffer, step.block());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                    call.begin();
                    channel.write(buffer, position);
                    call.commit();
                }
                break;
            case "fsync":
                fill(buffer, step.block());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    call.begin();
                    channel.write(buffer, position);
                    channel.force(true);
                    call.commit();
                }
                break;
            default:
                throw new IllegalArgumentException(step.operation());
        }
    }

    private static void fill(ByteBuffer buffer, long block) {
        buffer.clear().limit(LoopDevice.BLOCK_SIZE);
        while (buffer.hasRemaining()) {
            buffer.put(DirectIoPlan.fill(block));
        }
        buffer.flip();
    }
}
