package io.blkflight.decode;

import java.nio.ByteBuffer;

/**
 * Walks the records the native collector drained into a buffer: each is preceded by its length as a
 * native-endian 32-bit integer. Records of another kind or layout version are skipped and counted,
 * never misread.
 */
public final class RecordBatch {
    /** Receives each request record; the view is only valid during the call. */
    public interface RequestSink {
        void accept(RequestRecord record);
    }

    private final RequestRecord view = new RequestRecord();
    private long malformed;

    /** Visits the records in {@code buffer[0, length)}; returns how many requests it passed on. */
    public int forEach(ByteBuffer buffer, int length, RequestSink sink) {
        int position = 0;
        int requests = 0;
        while (position + Integer.BYTES <= length) {
            int size = buffer.getInt(position);
            int start = position + Integer.BYTES;
            if (size <= 0 || start + size > length) {
                malformed++;
                break;
            }
            view.wrap(buffer, start);
            if (size >= RequestRecord.SIZE && view.kind() == RequestRecord.KIND_REQUEST
                    && view.version() == RequestRecord.LAYOUT_VERSION) {
                sink.accept(view);
                requests++;
            } else {
                malformed++;
            }
            position = start + size;
        }
        return requests;
    }

    /** Records skipped because their kind, version or length did not fit. */
    public long malformed() {
        return malformed;
    }
}
