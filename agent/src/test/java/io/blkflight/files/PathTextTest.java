package io.blkflight.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A path's bytes as printable text that still says exactly which bytes they were. */
class PathTextTest {
    private static String escape(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        return PathText.escape(raw);
    }

    @Test
    void printableUtf8StaysAsItIs() {
        assertThat(PathText.escape("/data/ÿ-日本/файл.sst".getBytes(StandardCharsets.UTF_8))).isEqualTo("/data/ÿ-日本/файл.sst");
    }

    @Test
    void controlCharactersAndABackslashAreEscapedSoNoNameCanForgeALine() {
        assertThat(PathText.escape("a\nb\tc\u001b[31m".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\\x0ab\\x09c\\x1b[31m");
        assertThat(PathText.escape("back\\slash".getBytes(StandardCharsets.UTF_8))).as("a backslash doubled: \\x41 stays two names apart from A")
                .isEqualTo("back\\\\slash");
        assertThat(escape(0x7f)).as("DEL").isEqualTo("\\x7f");
        assertThat(escape(0xc2, 0x85)).as("a C1 control character (NEL) as its two bytes").isEqualTo("\\xc2\\x85");
        assertThat(escape(0xe2, 0x80, 0xa8)).as("the line separator U+2028").isEqualTo("\\xe2\\x80\\xa8");
    }

    @Test
    void bytesThatAreNotUtf8AreEscapedOneByOne() {
        assertThat(escape('a', 0xff, 'b')).isEqualTo("a\\xffb");
        assertThat(escape(0xc0, 0xaf)).as("an overlong '/'").isEqualTo("\\xc0\\xaf");
        assertThat(escape(0xed, 0xa0, 0x80)).as("a surrogate").isEqualTo("\\xed\\xa0\\x80");
        assertThat(escape(0xe6, 0x97)).as("a sequence cut short").isEqualTo("\\xe6\\x97");
        assertThat(escape(0xf0, 0x9f, 0x98, 0x80)).as("U+1F600, four bytes").isEqualTo("\uD83D\uDE00");
    }

    @Test
    void rawStringsKeepEveryByte() {
        byte[] bytes = {'/', (byte) 0xff, 'x'};
        assertThat(PathText.escapeRaw(PathText.raw(bytes))).isEqualTo("/\\xffx");
    }
}
