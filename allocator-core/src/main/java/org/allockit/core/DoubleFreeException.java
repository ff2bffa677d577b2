package org.allockit.core;

/** A free (or reallocate) of a block that is already free. */
public final class DoubleFreeException extends InvalidAddressException {

    public DoubleFreeException(String allocator, String operation, long address, String detail) {
        super(allocator, operation, address, Reason.DOUBLE_FREE, "double free: " + detail);
    }
}
