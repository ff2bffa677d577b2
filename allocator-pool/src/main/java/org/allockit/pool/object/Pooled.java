package org.allockit.pool.object;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pooled object with the handle that brings it back: made once with its object and reused with it,
 * so acquiring and releasing allocate nothing. {@link #close()} releases, for try-with-resources.
 *
 * <p>The handle knows its pool (a release into another pool is refused) and its state, changed with
 * a compare-and-set on release so that a second release, even racing from another thread, is caught.
 */
public final class Pooled<T> implements AutoCloseable {

    static final int IN_POOL = 0;
    static final int IN_USE = 1;
    /** Dropped by the pool (over its cap, closed, or its reset action threw): never handed out again. */
    static final int DROPPED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Pooled.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ObjectPool<T> pool;
    private final T value;
    private int state;

    Pooled(ObjectPool<T> pool, T value) {
        this.pool = pool;
        this.value = value;
    }

    /** The object; valid until it is released. */
    public T get() {
        return value;
    }

    /** Gives the object back to its pool; a second release throws. */
    public void release() {
        pool.release(this);
    }

    @Override
    public void close() {
        release();
    }

    /** Marks the handle handed out (it comes from the pool, so no other thread can hold it). */
    void handOut() {
        STATE.setOpaque(this, IN_USE);
    }

    /** True when this call moved the handle from in use to in the pool; false when it was not in use. */
    boolean takeBack() {
        return STATE.compareAndSet(this, IN_USE, IN_POOL);
    }

    void drop() {
        STATE.setOpaque(this, DROPPED);
    }

    int state() {
        return (int) STATE.getOpaque(this);
    }
}
