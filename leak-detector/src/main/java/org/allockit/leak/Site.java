package org.allockit.leak;

import java.util.List;

/**
 * Where blocks were allocated (or freed): the caller's stack, innermost frame first, and the name of
 * the first thread seen there. A {@link LeakTracker} keeps one Site per distinct stack.
 *
 * @param id     the tracker's number for this site, from 0; {@code -1} for {@link #UNKNOWN}
 * @param frames the stack, innermost first, at most the configured depth
 * @param thread the thread that first allocated here
 */
public record Site(int id, List<StackTraceElement> frames, String thread) {

    /** Blocks whose site was not recorded (level COUNT, or not sampled). */
    public static final Site UNKNOWN = new Site(-1, List.of(), "?");

    public Site {
        frames = List.copyOf(frames);
    }

    /** The innermost frame, {@code "unknown site"} when there is none. */
    public String top() {
        return frames.isEmpty() ? "unknown site" : frames.getFirst().toString();
    }

    /** The frames, one per line, each indented by {@code indent}. */
    public String format(String indent) {
        if (frames.isEmpty()) {
            return indent + "(site not recorded)\n";
        }
        StringBuilder out = new StringBuilder();
        for (StackTraceElement frame : frames) {
            out.append(indent).append("at ").append(frame).append('\n');
        }
        return out.toString();
    }
}
