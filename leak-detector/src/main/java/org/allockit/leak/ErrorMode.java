package org.allockit.leak;

/** What a {@link LeakTracker} does when it finds a memory error; it records the error either way. */
public enum ErrorMode {
    /**
     * Throw the allocator exception that names the error ({@code DoubleFreeException},
     * {@code InvalidAddressException}, {@code HeapCorruptionException}) once the tracker's state is
     * consistent again: a damaged block is still freed, a bad free is not passed on.
     */
    THROW,
    /** Log the error and carry on: a bad free is ignored, a damaged block is freed. */
    LOG
}
