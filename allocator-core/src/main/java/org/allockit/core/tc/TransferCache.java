package org.allockit.core.tc;

/**
 * The middle tier of one size class: a stack of free objects moved in whole batches between thread
 * caches and the {@link CentralFreeList}, so a thread cache that overflows hands its batch to one
 * that runs dry without touching any span. Holds at most {@code capacity} objects (a few batches,
 * bounded to about 128 KiB); beyond that, batches go to the central list.
 *
 * <p>Invariant: {@code slots[0..count)} are distinct free objects of this class. Thread-safe: every
 * method holds this object's monitor.
 */
final class TransferCache {

    private static final long BYTES = 128 * 1024;

    final CentralFreeList central;
    private final long[] slots;
    private int count;

    TransferCache(CentralFreeList central) {
        this.central = central;
        int cl = central.sizeClass;
        int batch = SizeClasses.batch(cl);
        int capacity = (int) Math.clamp(BYTES / SizeClasses.size(cl), batch, 64L * batch);
        this.slots = new long[capacity];
    }

    /** Fills {@code out[0..n)} from this cache, or from the central list when it holds fewer; returns {@code n}. */
    int remove(long[] out, int n) {
        synchronized (this) {
            if (count >= n) {
                count -= n;
                System.arraycopy(slots, count, out, 0, n);
                return n;
            }
        }
        return central.removeRange(out, n);
    }

    /** Takes {@code objects[0..n)}; what does not fit goes to the central list. */
    void insert(long[] objects, int n) {
        synchronized (this) {
            if (count + n <= slots.length) {
                System.arraycopy(objects, 0, slots, count, n);
                count += n;
                return;
            }
        }
        central.insertRange(objects, n);
    }

    /** Gives every object held to the central list (for {@code trim()}). */
    void drain() {
        long[] all;
        synchronized (this) {
            all = java.util.Arrays.copyOf(slots, count);
            count = 0;
        }
        central.insertRange(all, all.length);
    }

    synchronized int count() {
        return count;
    }

    /** A copy of the objects held, for {@code verify()} and {@code walk()}. */
    synchronized long[] objects() {
        return java.util.Arrays.copyOf(slots, count);
    }
}
