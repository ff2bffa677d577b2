package org.allockit.core.pt;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The cap on the bytes all per-thread caches may hold together, whatever the number of threads.
 * A cache leases credit in slices before it keeps a block and gives back what it no longer covers,
 * so the fast path touches the shared counter only once per slice.
 *
 * <p>Invariant: {@code remaining + sum over caches of (credit + cached bytes) == cap}.
 * Thread-safe (one atomic counter).
 */
final class CacheBudget {

    private final long cap;
    private final long slice;
    private final AtomicLong remaining;

    CacheBudget(long cap) {
        this.cap = cap;
        this.slice = Math.max(1, Math.min(16 << 10, cap / 16));
        this.remaining = new AtomicLong(cap);
    }

    /** Leases at least {@code bytes} (a slice or more); returns the credit granted, 0 when the cap is reached. */
    long lease(long bytes) {
        long want = Math.max(bytes, slice);
        while (true) {
            long left = remaining.get();
            if (left < bytes) {
                return 0;
            }
            long grant = Math.min(want, left);
            if (remaining.compareAndSet(left, left - grant)) {
                return grant;
            }
        }
    }

    /** Gives credit back. */
    void giveBack(long bytes) {
        remaining.addAndGet(bytes);
    }

    /** Credit a cache may keep beyond what it holds before it gives the excess back. */
    long slice() {
        return slice;
    }

    long cap() {
        return cap;
    }

    long remaining() {
        return remaining.get();
    }
}
