package org.allockit.core;

/** An alignment that is not a power of two, or larger than the allocator supports. */
public final class InvalidAlignmentException extends IllegalArgumentException {

    private final long alignment;

    public InvalidAlignmentException(String allocator, long alignment, String problem) {
        super(allocator + ": alignment " + alignment + " " + problem);
        this.alignment = alignment;
    }

    /** The alignment that was rejected. */
    public long alignment() {
        return alignment;
    }
}
