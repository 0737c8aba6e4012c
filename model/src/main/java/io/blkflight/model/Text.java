package io.blkflight.model;

/**
 * Strings read from a recording are data, whoever wrote them: a thread can name itself anything, and a
 * recording can be crafted. Before a report or a view shows one it loses control characters (which
 * could forge lines or terminal sequences) and is cut to a length a line can hold.
 */
public final class Text {
    /** Longest string shown; longer ones end in "...". */
    public static final int MAX_LENGTH = 256;

    private Text() {
    }

    /** The string with control characters shown as '?' and cut at {@link #MAX_LENGTH}; "" for null. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        int length = Math.min(text.length(), MAX_LENGTH);
        StringBuilder clean = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (clean == null) {
                    clean = new StringBuilder(text.substring(0, i));
                }
                clean.append('?');
            } else if (clean != null) {
                clean.append(c);
            }
        }
        String result = clean != null ? clean.toString() : text.substring(0, length);
        return text.length() > MAX_LENGTH ? result + "..." : result;
    }
}
