package org.allockit.core.pt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.WeakReference;
import org.allockit.core.thread.CacheBudget;

/**
 * One thread's cache of free small blocks in front of the arenas, like glibc's tcache: a bin per
 * 16-byte step of usable size (24 to 1032 bytes), each holding at most {@code slots} blocks, taken
 * (pop) and filled (push) with no lock. The blocks stay in use as far as their arenas know. A cached
 * block carries the heap's key in its first word, so a second free of it is noticed at once
 * (glibc's {@code tcache_key}); the key is cleared when the block is handed out again.
 *
 * <pre>
 *  entries: [ bin 0: slot 0 .. slots-1 | bin 1: ... | ... | bin 63 ]   counts[bin] = blocks in the bin
 * </pre>
 *
 * <p>Invariants: {@code cachedBytes == sum of the usable sizes of the cached blocks};
 * {@code credit >= 0}, leased from the {@link CacheBudget}. Only its thread calls it while the thread
 * lives; after that, only the cleaner that drains it ({@link PtHeap}), and {@code stats()}/{@code verify()}
 * read it racily.
 */
final class ThreadCache {

    static final int BINS = 64;
    static final long MIN_USABLE = 24;
    static final long MAX_USABLE = MIN_USABLE + (BINS - 1) * 16L;
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    final int slots;
    /** The thread this cache belongs to, weakly, so the cache knows when it may be drained by others. */
    private final WeakReference<Thread> owner;
    final byte[] counts = new byte[BINS];
    long[] entries;
    /** The arena this thread used last. */
    Arena arena;
    long credit;
    long cachedBytes;
    long cachedBlocks;
    /** Blocks handed out from the cache, blocks put into it, blocks sent from it back to their arenas. */
    long hits;
    long puts;
    long flushes;

    ThreadCache(int slots, Thread owner) {
        this.slots = slots;
        this.owner = new WeakReference<>(owner);
    }

    /** True while its thread lives. */
    boolean owned() {
        Thread thread = owner.get();
        return thread != null && thread.isAlive();
    }

    /** True when no other thread can be using this cache: it is the caller's, or its thread has ended. */
    boolean quiet() {
        Thread thread = owner.get();
        return thread == null || thread == Thread.currentThread() || !thread.isAlive();
    }

    static int bin(long usable) {
        return (int) ((usable - MIN_USABLE) >>> 4);
    }

    static long usableOf(int bin) {
        return MIN_USABLE + 16L * bin;
    }

    /** A cached block of exactly the bin's usable size, or 0. */
    long pop(int bin) {
        int n = counts[bin];
        if (n == 0) {
            return 0;
        }
        long mem = entries[bin * slots + n - 1];
        counts[bin] = (byte) (n - 1);
        MEMORY.set(WORD, mem, 0L);
        long usable = usableOf(bin);
        cachedBytes -= usable;
        cachedBlocks--;
        credit += usable;
        hits++;
        return mem;
    }

    /** Keeps a block if its bin has room and the credit covers it; the caller has checked the block. */
    boolean push(long mem, long usable, long key, CacheBudget budget) {
        int bin = bin(usable);
        int n = counts[bin];
        if (n == slots || entries == null && !firstLease(budget, usable)) {
            return false;
        }
        if (credit < usable) {
            long granted = budget.lease(usable, Math.max(usable, slice(budget)));
            if (granted == 0) {
                return false;
            }
            credit += granted;
        }
        credit -= usable;
        entries[bin * slots + n] = mem;
        counts[bin] = (byte) (n + 1);
        MEMORY.set(WORD, mem, key);
        cachedBytes += usable;
        cachedBlocks++;
        puts++;
        return true;
    }

    private boolean firstLease(CacheBudget budget, long usable) {
        long granted = budget.lease(usable, Math.max(usable, slice(budget)));
        if (granted == 0) {
            return false;
        }
        credit += granted;
        entries = new long[BINS * slots];
        return true;
    }

    /** The credit leased at a time, and kept beyond what the cache holds: 1/16 of the cap, at most 16 KiB. */
    static long slice(CacheBudget budget) {
        return Math.max(1, Math.min(16 << 10, budget.cap() / 16));
    }

    /** Gives back credit beyond a slice, so idle threads do not sit on the budget. */
    void trimCredit(CacheBudget budget) {
        if (credit > 2 * slice(budget)) {
            long excess = credit - slice(budget);
            credit -= excess;
            budget.giveBack(excess);
        }
    }

    /** Whether {@code mem} is one of this cache's blocks. */
    boolean holds(long mem) {
        if (entries == null) {
            return false;
        }
        for (int bin = 0; bin < BINS; bin++) {
            for (int i = 0; i < counts[bin]; i++) {
                if (entries[bin * slots + i] == mem) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The key a cached block carries, read from its first word. */
    static long keyOf(long mem) {
        return MEMORY.get(WORD, mem);
    }
}
