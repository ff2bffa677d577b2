package org.allockit.core;

/**
 * The allocator could not get memory for a request, after it tried to give free memory back to the
 * OS and to take more. The heap stays usable.
 */
public final class OutOfNativeMemoryError extends OutOfMemoryError {

    private final long requested;

    public OutOfNativeMemoryError(String allocator, long requested, String detail) {
        super(allocator + ": out of memory allocating " + requested + " bytes: " + detail);
        this.requested = requested;
    }

    /** The size of the request that failed. */
    public long requested() {
        return requested;
    }
}
