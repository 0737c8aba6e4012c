package io.blkflight.files;

import java.nio.charset.StandardCharsets;

/**
 * A path as the kernel holds it, bytes (any but NUL, and '/' only between components), as text that is safe to
 * print and says exactly which bytes it came from: valid UTF-8 stays as it is, a backslash is doubled, and every
 * control character, DEL and byte that is not valid UTF-8 is written {@code \xNN}. So a name with a newline or
 * a terminal sequence cannot forge a line of a report, and two different names never read the same.
 */
public final class PathText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PathText() {
    }

    /** The bytes as printable text (see the class). */
    public static String escape(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                text.append(b == '\\' ? "\\\\" : String.valueOf((char) b));
                i++;
                continue;
            }
            int length = sequenceLength(bytes, i);
            int codePoint = length > 0 ? new String(bytes, i, length, StandardCharsets.UTF_8).codePointAt(0) : -1;
            if (codePoint < 0 || Character.isISOControl(codePoint) || codePoint == 0x2028 || codePoint == 0x2029) {
                for (int j = 0; j < Math.max(1, length); j++) {
                    int raw = bytes[i + j] & 0xff;
                    text.append("\\x").append(HEX[raw >> 4]).append(HEX[raw & 15]);
                }
                i += Math.max(1, length);
            } else {
                text.appendCodePoint(codePoint);
                i += length;
            }
        }
        return text.toString();
    }

    /** A string of raw bytes (one char per byte, as {@link #raw} makes them) as printable text. */
    public static String escapeRaw(String raw) {
        return escape(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Bytes as a string of one char per byte, so that paths can be joined and compared before they are escaped. */
    public static String raw(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629: no overlong forms, no surrogates,
     * nothing above U+10FFFF), or 0 when the byte there starts none.
     */
    static int sequenceLength(byte[] bytes, int i) {
        int b = bytes[i] & 0xff;
        int length;
        int min;
        if (b < 0x80) {
            return 1;
        } else if (b >= 0xc2 && b <= 0xdf) {
            length = 2;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            length = 3;
            min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            length = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + length > bytes.length) {
            return 0;
        }
        int codePoint = b & (0xff >> (length + 1));
        for (int j = 1; j < length; j++) {
            int next = bytes[i + j] & 0xff;
            if ((next & 0xc0) != 0x80) {
                return 0;
            }
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
            return 0;
        }
        return length;
    }
}
