package org.allockit.core;

/**
 * An address given to {@code free}, {@code reallocate}, {@code usableSize} or {@code segment} that is
 * not the start of a live block of this allocator. The message reads like glibc's
 * ({@code "dl: free(0x7f...): invalid pointer: outside every segment"}).
 */
public class InvalidAddressException extends IllegalArgumentException {

    /** Why the address was rejected. */
    public enum Reason {
        /** Not inside any memory the allocator owns (never returned, or another allocator's). */
        FOREIGN,
        /** Inside a block, not at its start. */
        INTERIOR,
        /** Not aligned the way every block of the allocator is. */
        MISALIGNED,
        /** A block already freed. */
        DOUBLE_FREE
    }

    private final long address;
    private final Reason reason;

    public InvalidAddressException(String allocator, String operation, long address, Reason reason, String detail) {
        super(allocator + ": " + operation + "(0x" + Long.toHexString(address) + "): " + detail);
        this.address = address;
        this.reason = reason;
    }

    /** The address that was rejected. */
    public long address() {
        return address;
    }

    /** Why it was rejected. */
    public Reason reason() {
        return reason;
    }
}
