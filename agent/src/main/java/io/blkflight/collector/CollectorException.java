package io.blkflight.collector;

/**
 * The collector could not do what was asked. The message says what failed, the errno text, and what
 * the user can do about it; the native library builds it (native/collector.c) so it is thrown once.
 */
public final class CollectorException extends Exception {
    private static final long serialVersionUID = 1L;

    public CollectorException(String message) {
        super(message);
    }

    public CollectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
