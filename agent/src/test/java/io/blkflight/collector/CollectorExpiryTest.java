package io.blkflight.collector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The expiry cutoff: within the first lifecycle timeout after boot nothing can have expired. A negative
 * cutoff, read as unsigned by the kernel side, once expired every open lifecycle in freshly booted guests
 * (the kernel matrix lost a request that way).
 */
class CollectorExpiryTest {
    private static final long TIMEOUT = 120_000_000_000L;

    @Test
    void nothingExpiresBeforeTheTimeoutHasPassedSinceBoot() {
        assertThat(Collector.expiryCutoff(30_000_000_000L, TIMEOUT)).isZero();
        assertThat(Collector.expiryCutoff(TIMEOUT, TIMEOUT)).isZero();
    }

    @Test
    void laterTheCutoffIsTheTimeoutBeforeNow() {
        assertThat(Collector.expiryCutoff(500_000_000_000L, TIMEOUT)).isEqualTo(380_000_000_000L);
    }
}
