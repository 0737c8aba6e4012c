package io.blkflight.export;

import io.blkflight.model.BlockRequest;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A format the export command writes requests in: it is handed the selected requests, one at a time, then writes
 * what it made of them.
 */
public interface RequestExport {
    void add(BlockRequest request);

    /** Writes the export; called once, after the last request. */
    void finish(OutputStream out) throws IOException;
}
