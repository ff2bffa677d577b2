package org.allockit.leak;

import org.allockit.core.DoubleFreeException;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.InvalidAddressException;

/**
 * One memory error a {@link LeakTracker} found, with the sites that explain it.
 *
 * @param kind      what went wrong
 * @param address   the block (or the address passed to free)
 * @param size      the block's requested size, 0 when no block is known
 * @param offset    the first bad byte relative to the block (negative before it), or 0 where it does not apply
 * @param allocated where the block was allocated ({@link Site#UNKNOWN} when not recorded)
 * @param freed     where the block was freed first ({@link Site#UNKNOWN} when not recorded or not freed)
 * @param detected  the call that found the error
 * @param message   the whole report in words, as thrown or logged
 */
public record MemoryError(Kind kind, long address, long size, long offset, Site allocated, Site freed, Site detected,
                          String message) {

    /** The kinds of error. */
    public enum Kind {
        /** A write past the end of a block, found in its back red zone. */
        OVERFLOW,
        /** A write before the start of a block, found in its front red zone. */
        UNDERFLOW,
        /** A write to a freed block, found when it left the quarantine. */
        USE_AFTER_FREE,
        /** A free of a block already freed. */
        DOUBLE_FREE,
        /** A free of an address inside a block, not at its start. */
        INTERIOR_FREE,
        /** A free of an address this tracker never handed out. */
        FOREIGN_FREE
    }

    /** The allocator exception that reports this error. */
    RuntimeException toException(String allocator, String operation) {
        return switch (kind) {
            case OVERFLOW, UNDERFLOW, USE_AFTER_FREE -> new HeapCorruptionException(allocator, message);
            case DOUBLE_FREE -> new DoubleFreeException(allocator, operation, address, message);
            case INTERIOR_FREE -> new InvalidAddressException(allocator, operation, address,
                    InvalidAddressException.Reason.INTERIOR, message);
            case FOREIGN_FREE -> new InvalidAddressException(allocator, operation, address,
                    InvalidAddressException.Reason.FOREIGN, message);
        };
    }
}
