package io.blkflight.bench;

import io.blkflight.collector.NativeCollector;
import io.blkflight.collector.NativeLibrary;
import io.blkflight.decode.RecordBatch;
import io.blkflight.decode.RequestRecord;
import io.blkflight.resolve.KernelStacks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.blkflight.model.Stage;

/**
 * Records real ring-buffer records for the pipeline benchmark: runs the kernel side (stacks on, files on)
 * while this process's threads do 4 KiB O_DIRECT random reads and writes on a file, and saves the first N
 * request records exactly as the native drain wrote them (with the file path records among them), with the
 * frame addresses of every kernel stack they name. Needs root. Arguments: the file to do I/O on (preallocated, on the disk to trace), output
 * (.gz), N (default 10,000).
 */
public final class RecordCapture {
    static final int MAGIC = 0x424b4643; // "BKFC"

    private RecordCapture() {
    }

    /** A capture read back: the records as the ring buffer held them, and the frames of their stacks. */
    public record Capture(int count, ByteBuffer records, int length, Map<Integer, long[]> stackFrames) {
        /** The checked-in capture of 10,000 records (bench/records-10k.gz). */
        public static Capture tenThousand() throws IOException {
            try (InputStream resource = RecordCapture.class.getResourceAsStream("/bench/records-10k.gz")) {
                if (resource == null) {
                    throw new IOException("bench/records-10k.gz is not on the class path");
                }
                return read(new GZIPInputStream(resource));
            }
        }

        static Capture read(InputStream input) throws IOException {
            DataInputStream in = new DataInputStream(input);
            if (in.readInt() != MAGIC) {
                throw new IOException("not a record capture");
            }
            int count = in.readInt();
            int length = in.readInt();
            ByteBuffer records = ByteBuffer.allocateDirect(length).order(ByteOrder.nativeOrder());
            records.put(in.readNBytes(length)).flip();
            Map<Integer, long[]> stackFrames = new HashMap<>();
            for (int stackCount = in.readInt(); stackCount > 0; stackCount--) {
                int id = in.readInt();
                long[] frames = new long[in.readInt()];
                for (int i = 0; i < frames.length; i++) {
                    frames[i] = in.readLong();
                }
                stackFrames.put(id, frames);
            }
            return new Capture(count, records, length, stackFrames);
        }

        /** The capture's stacks as the kernel side's stack map would give them. */
        public KernelStacks.Source stackSource() {
            return (id, into) -> {
                long[] frames = stackFrames.getOrDefault(id, new long[0]);
                System.arraycopy(frames, 0, into, 0, frames.length);
                return frames.length;
            };
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path output = Path.of(args[1]);
        int wanted = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        NativeLibrary.load(null);
        int pid = (int) ProcessHandle.current().pid();
        ByteBuffer drained = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());
        ByteBuffer kept = ByteBuffer.allocate(wanted * (RequestRecord.SIZE + 16) + (1 << 20)).order(ByteOrder.nativeOrder());
        Set<Integer> stackIds = new HashSet<>();
        RecordBatch batch = new RecordBatch();
        int records = 0;
        try (NativeCollector kernel = NativeCollector.open(new NativeCollector.Settings(NativeCollector.SCOPE_SELF, pid,
                NativeCollector.PidNamespace.INITIAL, null, new int[0], 0, 8 << 20, 16384, 65536, 2 << 20, 8192,
                NativeCollector.STACKS_ALL, 0, null, 0, true, 8192, true, 0, 0, 16384))) {
            Thread[] workers = startWorkers(file, 4);
            while (records < wanted) {
                kernel.await(100);
                drained.clear();
                int length = kernel.drain(drained);
                int position = 0;
                while (position < length && records < wanted) {
                    int size = drained.getInt(position);
                    for (int i = 0; i < Integer.BYTES + size; i++) {
                        kept.put(drained.get(position + i));
                    }
                    // Files' paths are kept too, where they came: the requests after them name those files.
                    if (drained.getInt(position + Integer.BYTES) == RequestRecord.KIND_REQUEST) {
                        records++;
                    }
                    position += Integer.BYTES + size;
                }
                batch.forEach(drained, position, (r, path) -> {
                    for (Stage stage : Stage.values()) {
                        if (r.stack(stage) >= 0) {
                            stackIds.add(r.stack(stage));
                        }
                    }
                });
            }
            for (Thread worker : workers) {
                worker.interrupt();
                worker.join();
            }
            try (OutputStream raw = new GZIPOutputStream(Files.newOutputStream(output));
                 DataOutputStream out = new DataOutputStream(raw)) {
                out.writeInt(MAGIC);
                out.writeInt(records);
                out.writeInt(kept.position());
                out.write(kept.array(), 0, kept.position());
                long[] frames = new long[64];
                out.writeInt(stackIds.size());
                for (int id : stackIds) {
                    int depth = kernel.stack(id, frames);
                    out.writeInt(id);
                    out.writeInt(depth);
                    for (int i = 0; i < depth; i++) {
                        out.writeLong(frames[i]);
                    }
                }
            }
        }
        System.out.printf("captured %,d records and %d kernel stacks into %s (%,d bytes)%n", records, stackIds.size(), output,
                Files.size(output));
    }

    private static Thread[] startWorkers(Path file, int count) throws IOException {
        Thread[] workers = new Thread[count];
        for (int t = 0; t < count; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                try (RandomBlocks io = new RandomBlocks(file, index, 70)) {
                    while (!Thread.currentThread().isInterrupted()) {
                        io.next();
                    }
                } catch (IOException e) {
                    // interrupted: the capture is complete
                }
            }, "io-" + (t + 1));
            workers[t].start();
        }
        return workers;
    }
}
