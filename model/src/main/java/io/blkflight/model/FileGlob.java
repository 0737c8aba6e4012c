package io.blkflight.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which files a glob selects, as the report's --file takes it. A glob with a '/' matches the whole path; one
 * without matches the file's name (its last component), or the whole label of what is not a file, such as
 * "(ext4 journal)". '*' matches any run of characters but '/', '**' any run, '?' one character but '/'; every
 * other character stands for itself. A state the path carries (" (deleted)", " (truncated)", " (renamed from
 * OLD)") is not matched: a renamed file is selected by the name it has.
 */
public final class FileGlob {
    /**
     * What a file's path says after it when the file was renamed while in use, before the old path and ")":
     * {@code /data/segments_2 (renamed from /data/pending_segments_2)}, then any other state.
     */
    public static final String RENAMED_FROM = " (renamed from ";
    private static final String[] STATES = {" (truncated, deleted)", " (truncated)", " (deleted)"};
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private FileGlob() {
    }

    public static boolean matches(String glob, String file) {
        if (file == null || file.isEmpty()) {
            return false;
        }
        String path = withoutState(file);
        boolean label = path.startsWith("(") && path.endsWith(")");
        String subject = glob.indexOf('/') >= 0 || label ? path : path.substring(path.lastIndexOf('/') + 1);
        return PATTERNS.computeIfAbsent(glob, FileGlob::compile).matcher(subject).matches();
    }

    /** The path without the state a recording appends to it: the name the file had when the request was made. */
    public static String withoutState(String file) {
        String path = withoutPlainState(file);
        int renamed = renamedMark(path);
        return renamed > 0 ? path.substring(0, renamed) : path;
    }

    /** The path a file had before it was renamed while in use, as the recording says it, or null. */
    public static String renamedFrom(String file) {
        String path = withoutPlainState(file);
        int renamed = renamedMark(path);
        return renamed > 0 ? path.substring(renamed + RENAMED_FROM.length(), path.length() - 1) : null;
    }

    private static String withoutPlainState(String file) {
        for (String state : STATES) {
            if (file.endsWith(state)) {
                return file.substring(0, file.length() - state.length());
            }
        }
        return file;
    }

    private static int renamedMark(String path) {
        return path.endsWith(")") ? path.indexOf(RENAMED_FROM) : -1;
    }

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
