package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void controlCharactersCannotForgeLinesOrTerminalSequences() {
        assertThat(Text.clean("evil\n[blkflight] forged\r\u001b[31m")).isEqualTo("evil?[blkflight] forged??[31m");
        assertThat(Text.clean("tab\there")).isEqualTo("tab?here");
    }

    @Test
    void longStringsAreCutAndOrdinaryOnesKept() {
        assertThat(Text.clean("x".repeat(1_000_000))).hasSize(Text.MAX_LENGTH + 3).endsWith("...");
        assertThat(Text.clean("reader-1")).isEqualTo("reader-1");
        assertThat(Text.clean("% %s %n")).as("format characters are data, kept as they are").isEqualTo("% %s %n");
        assertThat(Text.clean(null)).isEmpty();
    }
}
