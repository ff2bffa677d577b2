package org.allockit.core.trace;

import java.io.IOException;

/**
 * A trace that breaks the format (see {@code TRACE-FORMAT.md}): the message reads
 * {@code file:line: reason}, and the three parts are also available on their own.
 */
public final class TraceFormatException extends IOException {

    private final String source;
    private final long line;
    private final String reason;

    public TraceFormatException(String source, long line, String reason) {
        this(source, line, reason, null);
    }

    public TraceFormatException(String source, long line, String reason, Throwable cause) {
        super(source + ":" + line + ": " + reason, cause);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** The file (or stream name) the trace was read from. */
    public String source() {
        return source;
    }

    /** The 1-based line where the problem is; 0 when it concerns the file as a whole. */
    public long line() {
        return line;
    }

    /** What is wrong, without the file and line. */
    public String reason() {
        return reason;
    }
}
