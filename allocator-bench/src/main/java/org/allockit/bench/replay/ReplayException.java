package org.allockit.bench.replay;

/**
 * A replay that failed: a block whose pattern was overwritten, a block not aligned as asked, or an
 * exception from the allocator. The message names the allocator, the operation (its index, its text
 * and its line in the trace) and, for a broken pattern, the block, the offset and the bytes.
 */
public final class ReplayException extends RuntimeException {

    private final int operation;

    public ReplayException(String message, int operation, Throwable cause) {
        super(message, cause);
        this.operation = operation;
    }

    /** The index of the operation at which the replay failed; -1 when it failed freeing what was left. */
    public int operation() {
        return operation;
    }
}
