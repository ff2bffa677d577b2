package org.allockit.pool.object;

import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * A pool of reusable Java objects: a factory makes them, a reset action clears them on release, and
 * at most {@code maximum} idle objects are kept in total, however many threads (platform or virtual)
 * use the pool.
 *
 * <p>Fast path: each platform thread has a small stack of idle objects ({@link LocalCache}), reached
 * through a {@link ThreadLocal}; acquire pops, release pushes, with no lock and no allocation (one
 * compare-and-set on the handle detects double release). Slow path: when the local stack is empty
 * (acquire) or full (release), and always on virtual threads (which are too many and too short-lived
 * to keep caches), objects go through a bounded lock-free queue shared by all threads (Agrona's
 * {@link ManyToManyConcurrentArrayQueue}); a release on another thread than the acquire lands there
 * once that thread's stack is full.
 *
 * <p>The cap: a budget of {@code maximum} slots. A thread's stack leases its slots from the budget
 * when it is made (up to {@code localCapacity}, fewer or none when the budget runs low), a shared slot
 * is taken per object queued and given back when it leaves; a stack's lease comes back when its
 * thread is gone (a {@link Cleaner} watches it). An object released when no slot is left is dropped
 * for the garbage collector. So {@code idle objects <= maximum} always.
 *
 * <p>Misuse: releasing a handle of another pool is refused ({@link IllegalArgumentException}); a second
 * release of a handle ({@link IllegalStateException}); acquire after {@link #close()}. Thread-safe.
 */
public final class ObjectPool<T> implements AutoCloseable {

    /** The default number of idle objects a platform thread keeps at hand. */
    public static final int DEFAULT_LOCAL_CAPACITY = 32;

    private static final Cleaner CLEANER = Cleaner.create();

    private final String name;
    private final Supplier<? extends T> factory;
    private final Consumer<? super T> reset;
    private final int maximum;
    private final int localCapacity;
    private final AtomicInteger budget;
    private final ManyToManyConcurrentArrayQueue<Pooled<T>> shared;
    private final ThreadLocal<LocalCache<T>> local;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /** A pool keeping at most {@code maximum} idle objects, 32 of them at hand per platform thread. */
    public ObjectPool(String name, Supplier<? extends T> factory, Consumer<? super T> reset, int maximum) {
        this(name, factory, reset, maximum, DEFAULT_LOCAL_CAPACITY);
    }

    public ObjectPool(String name, Supplier<? extends T> factory, Consumer<? super T> reset, int maximum,
                      int localCapacity) {
        if (maximum < 1 || localCapacity < 0) {
            throw new IllegalArgumentException(name + ": maximum " + maximum + " must be positive and local capacity "
                    + localCapacity + " not negative");
        }
        this.name = name;
        this.factory = Objects.requireNonNull(factory, "factory");
        this.reset = Objects.requireNonNull(reset, "reset");
        this.maximum = maximum;
        this.localCapacity = Math.min(localCapacity, maximum);
        this.budget = new AtomicInteger(maximum);
        this.shared = new ManyToManyConcurrentArrayQueue<>(Math.max(maximum, 2));
        this.local = ThreadLocal.withInitial(this::newLocalCache);
    }

    /** An idle object, or a new one from the factory when none is idle. */
    public Pooled<T> acquire() {
        if (closed) {
            throw new IllegalStateException(name + ": acquire after close()");
        }
        if (!Thread.currentThread().isVirtual()) {
            Pooled<T> handle = local.get().pop();
            if (handle != null) {
                handle.handOut();
                return handle;
            }
        }
        return acquireSlowPath();
    }

    /** Resets the object and keeps it for reuse (or drops it beyond the cap). Same as {@link Pooled#release()}. */
    public void release(Pooled<T> handle) {
        if (handle.pool != this) {
            throw new IllegalArgumentException(name + ": release of an object that belongs to "
                    + (handle.pool == null ? "no pool" : "pool '" + handle.pool.name + "'"));
        }
        if (!handle.takeBack()) {
            throw new IllegalStateException(name + ": double release of " + handle.get()
                    + (handle.state() == Pooled.DROPPED ? " (already dropped)" : " (already in the pool)"));
        }
        try {
            reset.accept(handle.get());
        } catch (RuntimeException | Error e) {
            handle.drop(); // a half-reset object is never handed out again
            throw e;
        }
        if (!Thread.currentThread().isVirtual() && !closed && local.get().push(handle)) {
            return;
        }
        releaseSlowPath(handle);
    }

    /** Counters; cheap, but read from several atomics, so only a snapshot. */
    public Stats stats() {
        return new Stats(maximum, created.get(), shared.size(), maximum - budget.get() - shared.size(), dropped.get());
    }

    /**
     * What the pool holds.
     *
     * @param maximum       the cap on idle objects
     * @param created       objects made by the factory so far
     * @param idleShared    idle objects in the shared queue
     * @param leasedSlots   slots leased by thread caches (an upper bound on the idle objects they hold)
     * @param dropped       released objects left to the garbage collector (cap reached, closed, reset threw)
     */
    public record Stats(int maximum, long created, int idleShared, int leasedSlots, long dropped) {
    }

    /** Drops the shared idle objects; later acquires are refused, later releases drop. */
    @Override
    public void close() {
        closed = true;
        for (Pooled<T> handle; (handle = shared.poll()) != null; ) {
            handle.drop();
            budget.incrementAndGet();
        }
    }

    private Pooled<T> acquireSlowPath() {
        Pooled<T> handle = shared.poll();
        if (handle != null) {
            budget.incrementAndGet();
        } else {
            handle = new Pooled<>(this, factory.get());
            created.incrementAndGet();
        }
        handle.handOut();
        return handle;
    }

    private void releaseSlowPath(Pooled<T> handle) {
        if (!closed && takeSlot() && shared.offer(handle)) {
            return;
        }
        handle.drop();
        dropped.incrementAndGet();
    }

    /** Takes one slot from the budget; false when none is left. */
    private boolean takeSlot() {
        int left;
        do {
            left = budget.get();
            if (left == 0) {
                return false;
            }
        } while (!budget.compareAndSet(left, left - 1));
        return true;
    }

    /** Leases up to {@code localCapacity} slots for a new thread cache; the lease returns when the cache is collected. */
    private LocalCache<T> newLocalCache() {
        int lease;
        int left;
        do {
            left = budget.get();
            lease = Math.min(left, localCapacity);
        } while (!budget.compareAndSet(left, left - lease));
        LocalCache<T> cache = new LocalCache<>(lease);
        if (lease > 0) {
            AtomicInteger pool = budget;
            int slots = lease;
            CLEANER.register(cache, () -> pool.addAndGet(slots));
        }
        return cache;
    }
}
