package io.blkflight.model;

import java.util.Locale;

/** The lifecycle stages of a block request that carry a kernel stack, in the order of enum bf_stage (bpf/requests.h). */
public enum Stage {
    SUBMIT, INSERT, ISSUE, COMPLETE;

    /** How many stages there are (values() copies its array on every call). */
    public static final int COUNT = values().length;

    /** The stage's name in events and reports: submit, insert, issue, complete. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stage with this label. */
    public static Stage ofLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
