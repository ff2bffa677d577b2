package org.allockit.core.thread;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The cap on the bytes all per-thread caches of one heap may hold together, whatever the number of
 * threads. A cache leases credit before it keeps a block and gives back what it no longer covers; it
 * never holds more than its credit, so the bytes held in all caches never exceed the cap. Caches lease
 * in large pieces, so their fast paths touch the shared counter only once per piece.
 *
 * <p>Invariant: {@code remaining + sum over caches of their credit == cap}. Thread-safe (one atomic
 * counter, lock-free).
 */
public final class CacheBudget {

    private final long cap;
    private final AtomicLong remaining;

    public CacheBudget(long cap) {
        if (cap < 0) {
            throw new IllegalArgumentException("cache cap must be at least 0, not " + cap);
        }
        this.cap = cap;
        this.remaining = new AtomicLong(cap);
    }

    /**
     * Leases between {@code min} and {@code want} bytes (as much of {@code want} as is left); returns
     * the credit granted, 0 when less than {@code min} is left.
     */
    public long lease(long min, long want) {
        while (true) {
            long left = remaining.get();
            if (left < Math.max(min, 1)) {
                return 0;
            }
            long grant = Math.min(want, left);
            if (remaining.compareAndSet(left, left - grant)) {
                return grant;
            }
        }
    }

    /** Gives credit back. */
    public void giveBack(long bytes) {
        remaining.addAndGet(bytes);
    }

    public long cap() {
        return cap;
    }

    /** Credit not leased by any cache. */
    public long remaining() {
        return remaining.get();
    }
}
