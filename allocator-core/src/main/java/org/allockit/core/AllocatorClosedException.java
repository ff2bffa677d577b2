package org.allockit.core;

/** Any call on an allocator after its {@code close()}. */
public final class AllocatorClosedException extends IllegalStateException {

    public AllocatorClosedException(String allocator, String operation) {
        super(allocator + ": " + operation + " after close()");
    }
}
