package org.allockit.pool.object;

/**
 * The idle objects one platform thread keeps at hand: a stack of at most {@code capacity} handles, the
 * slots its pool leased to it. Only its thread touches it, so push and pop are plain array stores.
 */
final class LocalCache<T> {

    private final Pooled<T>[] stack;
    private int size;

    @SuppressWarnings("unchecked")
    LocalCache(int capacity) {
        this.stack = (Pooled<T>[]) new Pooled<?>[capacity];
    }

    /** The most recently pushed handle, or null when empty. */
    Pooled<T> pop() {
        if (size == 0) {
            return null;
        }
        Pooled<T> handle = stack[--size];
        stack[size] = null;
        return handle;
    }

    /** Keeps a handle; false when full. */
    boolean push(Pooled<T> handle) {
        if (size == stack.length) {
            return false;
        }
        stack[size++] = handle;
        return true;
    }
}
