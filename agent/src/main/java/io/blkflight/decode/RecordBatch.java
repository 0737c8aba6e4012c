package io.blkflight.decode;

import java.nio.ByteBuffer;

/**
 * Walks the records the native collector drained into a buffer: each ring-buffer sample is preceded by
 * its length as a native-endian 32-bit integer. A sample is a request record, in function-level mode
 * followed by the path record of the same lifecycle, a file's path, or a signal sent for a thread's Java stack.
 * Samples of another kind or layout version, and paths that are not their request's, are skipped and counted,
 * never misread.
 */
public final class RecordBatch {
    /** Receives each request record and its path, or null; the views are only valid during the call. */
    public interface RequestSink {
        void accept(RequestRecord record, PathRecord path);
    }

    /** Receives each file's path record; the view is only valid during the call. */
    public interface FileSink {
        void accept(FileRecord file);
    }

    /** Receives each signal sent for a thread's Java stack; the view is only valid during the call. */
    public interface StackSignalSink {
        void accept(StackSignalRecord signal);
    }

    private final RequestRecord view = new RequestRecord();
    private final PathRecord pathView = new PathRecord();
    private final FileRecord fileView = new FileRecord();
    private final StackSignalRecord signalView = new StackSignalRecord();
    private long malformed;

    /** Visits the request records in {@code buffer[0, length)}; returns how many it passed on. */
    public int forEach(ByteBuffer buffer, int length, RequestSink sink) {
        return forEach(buffer, length, sink, null);
    }

    /**
     * Visits the records in {@code buffer[0, length)}: requests to {@code sink}, files' paths to {@code files}
     * (skipped when null); returns how many requests it passed on.
     */
    public int forEach(ByteBuffer buffer, int length, RequestSink sink, FileSink files) {
        return forEach(buffer, length, sink, files, null);
    }

    /**
     * Visits the records in {@code buffer[0, length)}: requests to {@code sink}, files' paths to {@code files} and
     * stack signals to {@code signals} (each skipped when null); returns how many requests it passed on.
     */
    public int forEach(ByteBuffer buffer, int length, RequestSink sink, FileSink files, StackSignalSink signals) {
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
            if (size >= FileRecord.HEAD && view.kind() == FileRecord.KIND_FILE) {
                if (size > FileRecord.HEAD + FileRecord.PATH_BYTES || view.version() != RequestRecord.LAYOUT_VERSION) {
                    malformed++;
                } else if (files != null) {
                    files.accept(fileView.wrap(buffer, start, size));
                }
                continue;
            }
            if (size == StackSignalRecord.SIZE && view.kind() == StackSignalRecord.KIND_STACK_SIGNAL) {
                if (view.version() != RequestRecord.LAYOUT_VERSION) {
                    malformed++;
                } else if (signals != null) {
                    signals.accept(signalView.wrap(buffer, start));
                }
                continue;
            }
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
