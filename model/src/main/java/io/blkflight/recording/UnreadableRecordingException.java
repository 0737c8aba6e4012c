package io.blkflight.recording;

/** A recording, or a folder given as one, that no reader can use; the message is one line for the user. */
public final class UnreadableRecordingException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnreadableRecordingException(String message) {
        super(message);
    }
}
