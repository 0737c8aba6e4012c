package io.blkflight.collector;

/**
 * The kernel side's counters, in the order of enum bf_counter in bpf/requests.h (checked by a test
 * against the native library).
 */
public enum Counter {
    BIOS_QUEUED,
    REQUESTS_STARTED,
    REQUESTS_EMITTED,
    BELOW_MIN_LATENCY,
    MERGED_AWAY,
    UNTRACKED,
    LOST_RINGBUF_FULL,
    LOST_INFLIGHT_FULL,
    LOST_BIO_MAP_FULL,
    END_UNSEEN,
    STACK_COLLISIONS,
    STACKS_LOST,
    PATH_HITS_LOST,
    PATHS_LOST,
    WRITEBACK_STARTED,
    DIRTY_FILES_LOST,
    FILE_PATHS,
    FILE_PATHS_LOST,
    STACK_SIGNALS_SENT,
    STACK_SIGNALS_OVER_BUDGET,
    STACK_SIGNALS_BLOCKED,
    STACK_SIGNALS_NO_HANDLER,
    STACK_SIGNALS_FAILED,
    STACK_SIGNALS_RING_FULL,
    DIRTIERS_UNTALLIED;
}
