package org.allockit.bench.sim;

/** A trace record that cannot be read; names the line, its number and what is wrong. */
public final class MalformedTraceException extends RuntimeException {

    private final long line;

    public MalformedTraceException(long line, String text, String problem) {
        super("line " + line + ": " + problem + ": '" + text + "'");
        this.line = line;
    }

    /** The 1-based line number of the bad record. */
    public long line() {
        return line;
    }
}
