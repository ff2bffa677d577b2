package org.allockit.core.dl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one lock of a {@link LockedDlHeap}, as cheap as a lock can be when it is free: taking it is
 * one compare-and-set, releasing it one release store (no fence on x86, where a
 * {@code ReentrantLock} or a monitor pays a second atomic instruction). A thread that finds it
 * taken spins briefly, then yields until it is free; heap calls are short, so waiting is short.
 * Not reentrant and not fair. Thread-safe: taking it happens-after the release that freed it.
 */
final class HeapLock {

    private static final VarHandle STATE;
    private static final int SPINS = 64;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HeapLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    void lock() {
        if (!STATE.weakCompareAndSetAcquire(this, 0, 1)) {
            lockSlowPath();
        }
    }

    void unlock() {
        STATE.setRelease(this, 0);
    }

    private void lockSlowPath() {
        int spins = 0;
        while (true) {
            if ((int) STATE.getOpaque(this) == 0 && STATE.weakCompareAndSetAcquire(this, 0, 1)) {
                return;
            }
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
