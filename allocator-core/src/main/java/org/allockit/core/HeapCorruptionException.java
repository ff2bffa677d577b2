package org.allockit.core;

/**
 * An allocator's own structures are broken (a header overwritten, a bin list cut): found by
 * {@code verify()} or by the checks on {@code free}. The message names the structure and address.
 */
public final class HeapCorruptionException extends IllegalStateException {

    public HeapCorruptionException(String allocator, String problem) {
        super(allocator + ": heap corruption: " + problem);
    }
}
