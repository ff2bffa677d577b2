package org.allockit.core.thread;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Per-thread state found in a few loads: a table indexed by {@code threadId() & mask} whose entries
 * pair a thread with its value, checked against the calling thread. A thread whose entry is taken by
 * another live thread (two ids equal modulo the table size) falls back to a {@code ThreadLocal}; an
 * entry whose thread has terminated is taken over by the next thread that maps to it. The fast path
 * is {@code currentThread}, one array load, one compare, one field load: no hash, no weak reference,
 * no allocation.
 *
 * <p>Invariant: {@link #get()} returns, for a given thread, always the same value, created by the
 * supplier on that thread's first call (or after {@link #clear()}). Entries are immutable and
 * published through the array, so a racing read sees a whole entry or none. Thread-safe.
 */
public final class ThreadSlots<T> {

    /** Default table size: far more than the carriers of any machine, so platform threads rarely collide. */
    public static final int DEFAULT_SLOTS = 1024;

    private record Entry<T>(Thread owner, T value) {
    }

    private final Supplier<T> supplier;
    private final Entry<T>[] entries;
    private final int mask;
    private volatile ThreadLocal<T> fallback;

    public ThreadSlots(Supplier<T> supplier) {
        this(DEFAULT_SLOTS, supplier);
    }

    /** {@code slots}: the table size, a power of two. */
    @SuppressWarnings("unchecked")
    public ThreadSlots(int slots, Supplier<T> supplier) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, not " + slots);
        }
        this.supplier = supplier;
        this.entries = (Entry<T>[]) new Entry<?>[slots];
        this.mask = slots - 1;
        this.fallback = ThreadLocal.withInitial(supplier);
    }

    /** The calling thread's value, created on its first call. */
    public T get() {
        Thread thread = Thread.currentThread();
        Entry<T> entry = entries[(int) thread.threadId() & mask];
        if (entry != null && entry.owner == thread) {
            return entry.value;
        }
        return getSlow(thread);
    }

    private T getSlow(Thread thread) {
        int index = (int) thread.threadId() & mask;
        Entry<T> entry = entries[index];
        T value = fallback.get();
        if (entry == null || !entry.owner.isAlive()) {
            entries[index] = new Entry<>(thread, value);
        }
        return value;
    }

    /**
     * Forgets every thread's value (each thread gets a new one on its next call) and lets the old ones
     * and their threads be collected. Call it when no thread uses the values any more, e.g. on close.
     */
    public synchronized void clear() {
        Arrays.fill(entries, null);
        fallback = ThreadLocal.withInitial(supplier);
    }
}
