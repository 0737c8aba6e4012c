package io.blkflight.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecordBatchTest {
    private record Seen(long request, int generation, long sector, long bytes, String comm, int syscall, int merges) {
    }

    private static List<Seen> decode(RecordBuilder input, RecordBatch batch) {
        List<Seen> seen = new ArrayList<>();
        batch.forEach(input.buffer(), input.length(), (r, path) -> seen.add(
                new Seen(r.request(), r.generation(), r.sector(), r.bytes(), r.comm(), r.syscallNumber(), r.merges())));
        return seen;
    }

    @Test
    void decodesEveryFieldOfConsecutiveRecords() {
        RecordBuilder input = new RecordBuilder()
                .begin().request(0xffff8881_2345_6000L, 1).where(7 << 20, 17026, 4096, 0, 1)
                .issuer(100, 101, "reader-1", 17, 5).counts(2, 0xffff, 0).end()
                .begin().request(0xffff8881_2345_6000L, 2).where(7 << 20, 17034, 0xfffff000, 1, 0)
                .issuer(100, 102, "a-very-long-thread-name", -1, 0).end();
        RecordBatch batch = new RecordBatch();

        List<Seen> seen = decode(input, batch);

        assertThat(seen).containsExactly(
                new Seen(0xffff8881_2345_6000L, 1, 17026, 4096, "reader-1", 17, 0xffff),
                new Seen(0xffff8881_2345_6000L, 2, 17034, 0xfffff000L, "a-very-long-thr", -1, 0));
        assertThat(batch.malformed()).isZero();
    }

    @Test
    void skipsAndCountsRecordsOfAnotherKindOrVersion() {
        RecordBuilder input = new RecordBuilder()
                .begin().request(1, 1).kindAndVersion(99, 1).end()
                .begin().request(2, 1).kindAndVersion(1, 99).end()
                .begin().request(3, 1).end();
        RecordBatch batch = new RecordBatch();

        assertThat(decode(input, batch)).extracting(Seen::request).containsExactly(3L);
        assertThat(batch.malformed()).isEqualTo(2);
    }

    @Test
    void stopsAtATruncatedRecordInsteadOfMisreadingIt() {
        RecordBuilder input = new RecordBuilder().begin().request(1, 1).end();
        input.buffer().putInt(4096);
        input.raw(16, (byte) 0x7f);
        RecordBatch batch = new RecordBatch();

        assertThat(decode(input, batch)).extracting(Seen::request).containsExactly(1L);
        assertThat(batch.malformed()).isEqualTo(1);
    }

    @Test
    void passesEachRequestWithItsOwnPathOnly() {
        RecordBuilder input = new RecordBuilder()
                .begin().request(0x1000, 7).end()
                .path(0x1000, 7, 3, new long[] {100, 0, 1, -1}, new long[] {250, 4, 0, 12})
                .begin().request(0x2000, 1).end()
                .path(0x2000, 2, 0, new long[] {300, 1, 0, -1})
                .begin().request(0x3000, 1).end();
        RecordBatch batch = new RecordBatch();
        List<String> seen = new ArrayList<>();

        int requests = batch.forEach(input.buffer(), input.length(), (r, path) -> {
            StringBuilder line = new StringBuilder(Long.toHexString(r.request()));
            if (path != null) {
                line.append(" lost=").append(path.overflow());
                for (int i = 0; i < path.hits(); i++) {
                    line.append(' ').append(path.hitNanos(i)).append(':').append(path.hitFunction(i))
                            .append(path.hitInIssuer(i) ? "i" : "-").append(path.hitStack(i));
                }
            }
            seen.add(line.toString());
        });

        assertThat(requests).isEqualTo(3);
        // The second path names another generation: it is not this request's, and is skipped and counted.
        assertThat(seen).containsExactly("1000 lost=3 100:0i-1 250:4-12", "2000", "3000");
        assertThat(batch.malformed()).isEqualTo(1);
    }

    @Test
    void stackSignalsGoToTheirSinkBetweenRequestsAndAnotherVersionIsCounted() {
        RecordBuilder input = new RecordBuilder().begin().request(1, 1).end();
        ByteBuffer buffer = input.buffer();
        int position = input.length();
        for (int version : new int[] {RequestRecord.LAYOUT_VERSION, 99}) {
            buffer.putInt(position, StackSignalRecord.SIZE);
            buffer.putInt(position + 4, StackSignalRecord.KIND_STACK_SIGNAL);
            buffer.putInt(position + 8, version);
            buffer.putLong(position + 4 + StackSignalRecord.NS, 123_456_789L);
            buffer.putInt(position + 4 + StackSignalRecord.TID, 4242);
            buffer.putInt(position + 4 + StackSignalRecord.HOST_TID, 14242);
            position += 4 + StackSignalRecord.SIZE;
        }
        RecordBatch batch = new RecordBatch();
        List<long[]> signals = new ArrayList<>();
        List<Long> requests = new ArrayList<>();

        batch.forEach(buffer, position, (r, path) -> requests.add(r.request()), null,
                s -> signals.add(new long[] {s.nanos(), s.tid(), s.hostTid()}));

        assertThat(requests).containsExactly(1L);
        assertThat(signals).hasSize(1);
        assertThat(signals.get(0)).containsExactly(123_456_789L, 4242, 14242);
        assertThat(batch.malformed()).as("the signal of another layout version").isEqualTo(1);
        assertThat(new RecordBatch().forEach(buffer, position, (r, path) -> { })).as("without a signal sink they are skipped")
                .isEqualTo(1);
    }
}
