package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ThreadGroupingTest {
    private static BlockRequest issuedBy(String name, long id, String carrier) {
        BlockRequest.Builder b = BlockRequest.builder().issuer(1, 2, "comm", name, id);
        if (carrier != null) {
            b.virtualThread(carrier);
        }
        return b.build();
    }

    @Test
    void aPrefixIsTheNameWithItsTrailingDigitsAsAStar() {
        assertThat(ThreadGrouping.prefix("vt-reader-12")).isEqualTo("vt-reader-*");
        assertThat(ThreadGrouping.prefix("VirtualThread#981")).isEqualTo("VirtualThread#*");
        assertThat(ThreadGrouping.prefix("worker")).isEqualTo("worker");
        assertThat(ThreadGrouping.prefix("42")).isEqualTo("*");
    }

    @Test
    void onlyVirtualThreadsAreGrouped() {
        BlockRequest virtual = issuedBy("vt-reader-3", 40, "ForkJoinPool-1-worker-2");
        BlockRequest platform = issuedBy("pool-2-thread-7", 41, null);
        assertThat(ThreadGrouping.EACH.label(virtual)).isEqualTo("vt-reader-3");
        assertThat(ThreadGrouping.PREFIX.label(virtual)).isEqualTo("vt-reader-*");
        assertThat(ThreadGrouping.CARRIER.label(virtual)).isEqualTo("virtual threads on ForkJoinPool-1-worker-2");
        assertThat(ThreadGrouping.PREFIX.label(platform)).as("a platform thread keeps its name").isEqualTo("pool-2-thread-7");
        assertThat(ThreadGrouping.CARRIER.label(platform)).isEqualTo("pool-2-thread-7");
        assertThat(ThreadGrouping.CARRIER.label(issuedBy("vt", 42, ""))).isEqualTo("virtual threads on (carrier unknown)");
    }

    @Test
    void aVirtualThreadIsSelectedByNameByPrefixOrByItsCarrier() {
        BlockRequest virtual = issuedBy("vt-reader-3", 40, "ForkJoinPool-1-worker-2");
        BlockRequest platform = issuedBy("pool-2-thread-7", 41, null);
        assertThat(ThreadGrouping.matches(Set.of("vt-reader-3"), virtual)).isTrue();
        assertThat(ThreadGrouping.matches(Set.of("vt-reader-*"), virtual)).isTrue();
        assertThat(ThreadGrouping.matches(Set.of("ForkJoinPool-1-worker-2"), virtual)).isTrue();
        assertThat(ThreadGrouping.matches(Set.of("vt-reader-4"), virtual)).isFalse();
        assertThat(ThreadGrouping.matches(Set.of("pool-2-thread-*"), platform)).as("platform threads by name only").isFalse();
        assertThat(RequestFilter.ALL.test(virtual)).isTrue();
    }

    @Test
    void anUnnamedVirtualThreadIsNamedByItsId() {
        assertThat(BlockRequest.virtualThreadName("", 87)).isEqualTo("VirtualThread#87");
        assertThat(BlockRequest.virtualThreadName(null, 87)).isEqualTo("VirtualThread#87");
        assertThat(BlockRequest.virtualThreadName("vt-1", 87)).isEqualTo("vt-1");
    }

    @Test
    void parsesTheOptionValues() {
        assertThat(ThreadGrouping.parse("carrier")).isEqualTo(ThreadGrouping.CARRIER);
        assertThatThrownBy(() -> ThreadGrouping.parse("Carrier")).hasMessage("takes each, carrier or prefix, not 'Carrier'");
    }
}
