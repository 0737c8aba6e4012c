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

    /** Longest path shown; a longer one loses its middle, so that its mount point and file name both stay. */
    public static final int MAX_PATH_LENGTH = 1024;

    /** A file's path as {@link #clean} cleans any text, but a long one cut in the middle ("/a/b/.../name"). */
    public static String cleanPath(String path) {
        if (path == null) {
            return "";
        }
        if (path.length() <= MAX_PATH_LENGTH) {
            return clean(path, MAX_PATH_LENGTH);
        }
        int head = MAX_PATH_LENGTH / 4;
        return clean(path.substring(0, head), head) + "..." + clean(path.substring(path.length() - (MAX_PATH_LENGTH - head)),
                MAX_PATH_LENGTH - head);
    }

    /** The string with control characters shown as '?' and cut at {@link #MAX_LENGTH}; "" for null. */
    public static String clean(String text) {
        return clean(text, MAX_LENGTH);
    }

    private static String clean(String text, int maxLength) {
        if (text == null) {
            return "";
        }
        int length = Math.min(text.length(), maxLength);
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
        return text.length() > maxLength ? result + "..." : result;
    }
}
