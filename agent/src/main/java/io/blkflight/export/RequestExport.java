package io.blkflight.export;

import io.blkflight.model.BlockRequest;

import java.io.IOException;

/**
 * One export format: takes a recording's requests one by one, in the recording's order, each joined with its shape,
 * address, file and Java stack, and writes them to the stream it was made with ({@link Exports#create}).
 */
public interface RequestExport {
    void add(BlockRequest request) throws IOException;

    /** After the last request: writes what is left and flushes; the stream stays open. */
    void finish() throws IOException;
}
