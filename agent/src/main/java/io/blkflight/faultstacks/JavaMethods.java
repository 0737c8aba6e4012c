package io.blkflight.faultstacks;

import io.blkflight.model.Frames;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What the jmethodIDs of the handler's stacks name: the frame as trees name it ({@code package.Class.method}) and the
 * method's line number table, asked of JVMTI once per method (native/jni.c's methodInfo0) and kept, at most
 * {@link #MAX_METHODS} of them (then started over). Only the collector thread uses it.
 */
final class JavaMethods {
    static final int MAX_METHODS = 65_536;

    /** A method: its frame and its line number table (bytecode index where each line starts, ascending). */
    record Method(String frame, int[] startBcis, int[] lines) {
        /** The line of the bytecode index, -1 where unknown (a native method, no table, an unknown index). */
        int line(int bci) {
            int line = -1;
            for (int i = 0; i < startBcis.length && startBcis[i] <= bci; i++) {
                line = lines[i];
            }
            return bci < 0 ? -1 : line;
        }
    }

    /** A jmethodID whose method is gone (its class unloaded, or a garbled id). */
    static final Method UNKNOWN = new Method("(unknown method)", new int[0], new int[0]);

    private final LongFunction<String> info;
    private final Map<Long, Method> methods = new HashMap<>();

    /** info: "class-signature TAB method TAB bci:line,..." for a jmethodID, or null (NativeCollector.methodInfo). */
    JavaMethods(LongFunction<String> info) {
        this.info = info;
    }

    Method of(long jmethodId) {
        Method known = methods.get(jmethodId);
        if (known != null) {
            return known;
        }
        if (methods.size() >= MAX_METHODS) {
            methods.clear();
        }
        Method method = parse(info.apply(jmethodId));
        // An unknown method is not kept: its id may be resolvable a moment later (a class being prepared).
        if (method != UNKNOWN) {
            methods.put(jmethodId, method);
        }
        return method;
    }

    static Method parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String[] parts = text.split("\t", 3);
        if (parts.length < 2 || parts[0].length() < 3 || parts[0].charAt(0) != 'L' || !parts[0].endsWith(";")) {
            return UNKNOWN;
        }
        String type = parts[0].substring(1, parts[0].length() - 1).replace('/', '.');
        String table = parts.length == 3 ? parts[2] : "";
        String[] entries = table.isEmpty() ? new String[0] : table.split(",");
        int[] startBcis = new int[entries.length];
        int[] lines = new int[entries.length];
        int used = 0;
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            try {
                startBcis[used] = Integer.parseInt(entry.substring(0, colon));
                lines[used] = Integer.parseInt(entry.substring(colon + 1));
                used++;
            } catch (RuntimeException e) {
                // A malformed entry is left out: the frame keeps the lines it has.
            }
        }
        int[][] sorted = sortByBci(java.util.Arrays.copyOf(startBcis, used), java.util.Arrays.copyOf(lines, used));
        return new Method(Frames.javaFrame(type, parts[1]), sorted[0], sorted[1]);
    }

    /** JVMTI gives the table in no promised order. */
    private static int[][] sortByBci(int[] startBcis, int[] lines) {
        Integer[] order = new Integer[startBcis.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(startBcis[a], startBcis[b]));
        int[] bcis = new int[order.length];
        int[] sortedLines = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            bcis[i] = startBcis[order[i]];
            sortedLines[i] = lines[order[i]];
        }
        return new int[][] {bcis, sortedLines};
    }
}
