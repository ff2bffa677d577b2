package org.allockit.core.tc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The global budget of bytes all thread caches may hold together. A thread cache claims budget in
 * {@link #STEP} pieces before it holds more objects and gives it back when it shrinks or its thread
 * dies; it never holds more bytes than it claimed, so the bytes held in all caches never exceed the
 * cap, however many threads there are. Thread-safe (lock-free).
 */
final class CacheBudget {

    /** How much a cache claims at a time (tcmalloc's steal amount). */
    static final long STEP = 64 * 1024;

    private final long cap;
    private final AtomicLong unclaimed;

    CacheBudget(long cap) {
        this.cap = cap;
        this.unclaimed = new AtomicLong(cap);
    }

    /** Takes up to {@code bytes} from the budget; returns what was taken (maybe 0). */
    long claim(long bytes) {
        while (true) {
            long left = unclaimed.get();
            long taken = Math.min(left, bytes);
            if (taken == 0 || unclaimed.compareAndSet(left, left - taken)) {
                return taken;
            }
        }
    }

    void giveBack(long bytes) {
        unclaimed.addAndGet(bytes);
    }

    long cap() {
        return cap;
    }

    long unclaimed() {
        return unclaimed.get();
    }
}
