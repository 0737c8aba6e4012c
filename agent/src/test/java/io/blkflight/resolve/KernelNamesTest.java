package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelNamesTest {
    @Test
    void namesSystemCallsOfX86_64() {
        assertThat(KernelNames.syscall(17)).isEqualTo("pread64");
        assertThat(KernelNames.syscall(18)).isEqualTo("pwrite64");
        assertThat(KernelNames.syscall(74)).isEqualTo("fsync");
        assertThat(KernelNames.syscall(426)).isEqualTo("io_uring_enter");
        assertThat(KernelNames.syscall(-1)).isEqualTo("none");
        assertThat(KernelNames.syscall(9999)).as("an unknown number stays a number").isEqualTo("syscall-9999");
    }

    @Test
    void namesStatusesThatKeptTheirMeaningAndNumbersTheRest() {
        assertThat(KernelNames.status(0)).isEqualTo("ok");
        assertThat(KernelNames.status(10)).isEqualTo("ioerr");
        assertThat(KernelNames.status(2)).isEqualTo("timeout");
        assertThat(KernelNames.status(17)).isEqualTo("status-17");
    }

    @Test
    void joinsFlagsInBitOrder() {
        assertThat(KernelNames.flags(0)).isEmpty();
        assertThat(KernelNames.flags(1 | 4 | 8)).isEqualTo("sync,fua,preflush");
        assertThat(KernelNames.operation(15)).isEqualTo("other");
    }
}
