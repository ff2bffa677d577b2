package org.allockit.bench.contender;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Long handles for the Java objects a baseline hands out (an {@code Arena}, a {@code ByteBuffer},
 * a Netty {@code ByteBuf}), so the workloads can hold them like addresses.
 *
 * <p>Each thread that allocates owns a stripe of slots: a handle is {@code stripe << 32 | slot}.
 * The owner takes slots from its own free stack without synchronisation; a thread that frees a
 * block of another stripe pushes the slot onto that stripe's returned stack with one CAS, and the
 * owner takes the whole returned stack at once when its own runs dry (push-only plus take-all has
 * no ABA problem). A stripe has a fixed number of slots, so no array is ever replaced under a reader.
 *
 * <p>Thread safety: safe for any number of threads; a handle must reach the freeing thread through
 * a happens-before edge (a queue, a volatile write), as any block does.
 */
final class HandleTable<T> {

    /** Live blocks one thread may hold: more than any workload keeps. */
    static final int SLOTS_PER_STRIPE = 1 << 18;
    private static final int MAX_STRIPES = 256;

    private final AtomicReferenceArray<Stripe<T>> stripes = new AtomicReferenceArray<>(MAX_STRIPES);
    private final AtomicInteger stripeCount = new AtomicInteger();
    private final ThreadLocal<Stripe<T>> mine = new ThreadLocal<>();

    /** Stores {@code value} whose memory starts at {@code address}; returns its handle. */
    long put(T value, long address) {
        Stripe<T> s = mine.get();
        if (s == null) {
            s = newStripe();
        }
        int slot = s.take();
        s.values[slot] = value;
        s.addresses[slot] = address;
        return (long) s.id << 32 | slot;
    }

    T get(long handle) {
        return stripe(handle).values[(int) handle];
    }

    long address(long handle) {
        return stripe(handle).addresses[(int) handle];
    }

    /** Replaces the object and address behind a handle (a resize that moved the block). */
    void replace(long handle, T value, long address) {
        Stripe<T> s = stripe(handle);
        s.values[(int) handle] = value;
        s.addresses[(int) handle] = address;
    }

    /** Forgets the handle and returns its object. */
    T remove(long handle) {
        Stripe<T> s = stripe(handle);
        int slot = (int) handle;
        T value = s.values[slot];
        s.values[slot] = null;
        s.give(slot);
        return value;
    }

    /** Every object still held, for closing. */
    void forEach(java.util.function.Consumer<T> action) {
        for (int i = 0; i < stripeCount.get(); i++) {
            Stripe<T> s = stripes.get(i);
            if (s == null) {
                continue;
            }
            for (T value : s.values) {
                if (value != null) {
                    action.accept(value);
                }
            }
        }
    }

    private Stripe<T> stripe(long handle) {
        return stripes.get((int) (handle >>> 32));
    }

    private Stripe<T> newStripe() {
        int id = stripeCount.getAndIncrement();
        if (id >= MAX_STRIPES) {
            throw new IllegalStateException("more than " + MAX_STRIPES + " threads allocated from one contender");
        }
        Stripe<T> s = new Stripe<>(id, Thread.currentThread());
        stripes.set(id, s);
        mine.set(s);
        return s;
    }

    /** The slots of one allocating thread. */
    private static final class Stripe<T> {
        final int id;
        final Thread owner;
        final T[] values;
        final long[] addresses = new long[SLOTS_PER_STRIPE];
        /** The owner's free slots, a stack; and the next never-used slot. */
        final int[] free = new int[SLOTS_PER_STRIPE];
        int freeCount;
        int fresh;
        /** Slots given back by other threads: a stack linked through {@code returnedNext}, head + 1 (0 = empty). */
        final AtomicInteger returnedHead = new AtomicInteger();
        final int[] returnedNext = new int[SLOTS_PER_STRIPE];

        @SuppressWarnings("unchecked")
        Stripe(int id, Thread owner) {
            this.id = id;
            this.owner = owner;
            this.values = (T[]) new Object[SLOTS_PER_STRIPE];
        }

        int take() {
            if (freeCount > 0) {
                return free[--freeCount];
            }
            return takeSlowPath();
        }

        private int takeSlowPath() {
            for (int head = returnedHead.getAndSet(0); head != 0; head = returnedNext[head - 1] ) {
                free[freeCount++] = head - 1;
            }
            if (freeCount > 0) {
                return free[--freeCount];
            }
            if (fresh == SLOTS_PER_STRIPE) {
                throw new IllegalStateException("more than " + SLOTS_PER_STRIPE + " live blocks in one thread");
            }
            return fresh++;
        }

        void give(int slot) {
            if (Thread.currentThread() == owner) {
                free[freeCount++] = slot;
                return;
            }
            int head;
            do {
                head = returnedHead.get();
                returnedNext[slot] = head;
            } while (!returnedHead.compareAndSet(head, slot + 1));
        }
    }
}
