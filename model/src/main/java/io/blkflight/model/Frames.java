package io.blkflight.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** How frames are named in trees and folded stacks. */
public final class Frames {
    private Frames() {
    }

    /**
     * A kernel frame without its offset, the function a tree aggregates on:
     * {@code blk_mq_start_request+0xcf} becomes {@code blk_mq_start_request}, and
     * {@code loop_queue_rq+0x25 [loop]} becomes {@code loop_queue_rq [loop]}.
     */
    public static String function(String kernelFrame) {
        int plus = kernelFrame.indexOf("+0x");
        if (plus < 0) {
            return kernelFrame;
        }
        int space = kernelFrame.indexOf(' ', plus);
        return space < 0 ? kernelFrame.substring(0, plus) : kernelFrame.substring(0, plus) + kernelFrame.substring(space);
    }

    private static final java.util.regex.Pattern HIDDEN_CLASS_SUFFIX =
            java.util.regex.Pattern.compile("(\\$\\$Lambda)(\\$\\d+)?([+/.]0x[0-9a-fA-F]+)?(\\.\\d+)?");

    /**
     * A Java frame as trees and folded stacks name it, {@code package.Class.method}. Lambda classes lose
     * the numbers the JVM gives them at run time ({@code Foo$$Lambda$140+0x00007f5f000c4b08}), which
     * differ from run to run and would split identical call sites.
     */
    public static String javaFrame(String typeName, String methodName) {
        if (typeName.indexOf("$$Lambda") < 0) {
            return typeName + "." + methodName;
        }
        return HIDDEN_CLASS_SUFFIX.matcher(typeName).replaceAll("\\$\\$Lambda") + "." + methodName;
    }

    /** Java frames with their line numbers, {@code package.Class.method:42}, innermost first. */
    public static List<String> withLines(JavaLink link) {
        List<String> frames = new ArrayList<>(link.frames().size());
        for (int i = 0; i < link.frames().size(); i++) {
            int line = i < link.lines().size() ? link.lines().get(i) : -1;
            frames.add(line > 0 ? link.frames().get(i) + ":" + line : link.frames().get(i));
        }
        return frames;
    }

    /** Java frames read from a recording, at most this many (JFR's own limit on a stack's depth). */
    public static final int MAX_JAVA_FRAMES = 2048;

    /**
     * A Java stack written as text, {@code package.Class.method:42} one per line, innermost first, {@code :line}
     * left out where unknown (blkflight.FaultStack's frames): the link it makes, each frame cleaned as any text read
     * from a recording is.
     */
    public static JavaLink parseJavaStack(String text, JavaLink.Source source) {
        List<String> frames = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        if (text != null) {
            for (String frame : text.split("\n")) {
                if (frame.isEmpty()) {
                    continue;
                }
                if (frames.size() == MAX_JAVA_FRAMES) {
                    break;
                }
                int colon = frame.lastIndexOf(':');
                int line = -1;
                if (colon > 0 && colon < frame.length() - 1 && colon >= frame.length() - 10
                        && frame.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                    line = Integer.parseInt(frame.substring(colon + 1));
                    frame = frame.substring(0, colon);
                }
                frames.add(Text.clean(frame));
                lines.add(line);
            }
        }
        return new JavaLink(source, frames, lines);
    }

    /** The frames outermost first, from a list that is innermost first (as JFR and the kernel give them). */
    public static List<String> outermostFirst(List<String> innermostFirst) {
        List<String> reversed = new ArrayList<>(innermostFirst);
        Collections.reverse(reversed);
        return reversed;
    }
}
