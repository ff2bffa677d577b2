package org.allockit.core;

/** A size that is negative, or that cannot be addressed (alone or with its alignment). */
public final class InvalidSizeException extends IllegalArgumentException {

    private final long size;

    public InvalidSizeException(String allocator, long size, String problem) {
        super(allocator + ": size " + size + " " + problem);
        this.size = size;
    }

    /** The size that was rejected. */
    public long size() {
        return size;
    }

    /**
     * Checks a requested size and alignment, and throws the exception that names what is wrong.
     * Every allocator calls this first, so all reject bad input with the same words.
     */
    public static void check(String allocator, long size, long alignment) {
        if (size < 0) {
            throw new InvalidSizeException(allocator, size, "is negative");
        }
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new InvalidAlignmentException(allocator, alignment, "is not a power of two");
        }
        if (alignment > Allocator.MAX_ALIGNMENT && alignment > size) {
            // Alignments beyond 1 GiB are accepted when the size is at least as large; above that they are refused.
            throw new InvalidAlignmentException(allocator, alignment, "is larger than the supported 1 GiB");
        }
        if (size > Allocator.MAX_SIZE || size + alignment > Allocator.MAX_SIZE) {
            throw new InvalidSizeException(allocator, size,
                    "with alignment " + alignment + " is beyond what can be addressed (max " + Allocator.MAX_SIZE + ")");
        }
    }
}
