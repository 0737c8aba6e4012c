package io.blkflight.agent;

/** A bad agent option: the message names it and says what is accepted. */
public final class OptionException extends Exception {
    private static final long serialVersionUID = 1L;

    public OptionException(String message) {
        super(message);
    }
}
