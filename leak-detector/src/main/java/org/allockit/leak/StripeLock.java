package org.allockit.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The lock of one {@link LiveBlocks} stripe: a test-and-set spin lock, because the sections it
 * guards are a few map operations long. Taking it is one compare-and-set, releasing it one release
 * store (a plain store on x86), where a {@code ReentrantLock} pays a second full fence on release.
 * A waiter spins briefly, then yields, so a preempted holder on a busy machine is not starved.
 * Not reentrant.
 */
final class StripeLock {

    private static final VarHandle HELD;
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(StripeLock.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through HELD
    private volatile int held;

    void lock() {
        if (!HELD.compareAndSet(this, 0, 1)) {
            lockSlowPath();
        }
    }

    void unlock() {
        HELD.setRelease(this, 0);
    }

    private void lockSlowPath() {
        int spins = 0;
        do {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        } while ((int) HELD.getOpaque(this) != 0 || !HELD.compareAndSet(this, 0, 1));
    }
}
