package io.blkflight.decode;

import java.nio.ByteBuffer;

/**
 * Walks the records the native collector drained into a buffer: each ring-buffer sample is preceded by
 * its length as a native-endian 32-bit integer. A sample is a request record, in function-level mode
 * followed by the path record of the same lifecycle. Samples of another kind or layout version, and paths
 * that are not their request's, are skipped and counted, never misread.
 */
public final class RecordBatch {
    /** Receives each request record and its path, or null; the views are only valid during the call. */
    public interface RequestSink {
        void accept(RequestRecord record, PathRecord path);
    }

    private final RequestRecord view = new RequestRecord();
    private final PathRecord pathView = new PathRecord();
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
            position = start + size;
            view.wrap(buffer, start);
            if (size < RequestRecord.SIZE || view.kind() != RequestRecord.KIND_REQUEST
                    || view.version() != RequestRecord.LAYOUT_VERSION) {
                malformed++;
                continue;
            }
            PathRecord path = null;
            if (size >= RequestRecord.SIZE + PathRecord.SIZE) {
                pathView.wrap(buffer, start + RequestRecord.SIZE);
                if (pathView.kind() == PathRecord.KIND_PATH && pathView.version() == RequestRecord.LAYOUT_VERSION
                        && pathView.request() == view.request() && pathView.generation() == view.generation()) {
                    path = pathView;
                } else {
                    malformed++;
                }
            }
            sink.accept(view, path);
            requests++;
        }
        return requests;
    }

    /** Records skipped because their kind, version or length did not fit, or a path was not its request's. */
    public long malformed() {
        return malformed;
    }
}
