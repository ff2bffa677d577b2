package org.allockit.core.tc;

import org.allockit.core.MemoryProbe;
import org.allockit.core.OutOfNativeMemoryError;

/**
 * The front end of one thread: a LIFO list of free objects per size class, threaded through the
 * objects. Allocate pops, free pushes; no lock, no atomic, nothing allocated. A free from any thread
 * lands in the freeing thread's cache.
 *
 * <p>Sizing follows tcmalloc's legacy thread cache: each list has a maximum length that starts at 1
 * and grows by one batch each time the list runs dry (slow start), shrinks when the list overflows
 * repeatedly, and the lists' low-water marks tell the scavenger what went unused. The cache as a whole
 * holds at most {@code budget} bytes, claimed in 64 KiB steps from the heap's {@link org.allockit.core.thread.CacheBudget}; when
 * none is left it scavenges itself and gives back what it does not use.
 *
 * <p>Invariant: {@code lengths[c]} objects are on list {@code c}, {@code cachedBytes} is their total
 * size, {@code cachedBytes <= budget}. Only the owning thread calls it, except {@link #drain} once the
 * owner has died (or during {@code close()}); other threads read the counters for stats.
 */
final class ThreadCache {

    /** The longest a list may grow (tcmalloc's kMaxDynamicFreeListLength). */
    static final int MAX_LENGTH = 8192;
    /** How much budget a cache claims at a time (tcmalloc's steal amount). */
    static final long BUDGET_STEP = 64 * 1024;
    private static final int MAX_OVERAGES = 3;

    final Thread owner;
    private final TcHeap heap;
    private final MemoryProbe probe;

    final long[] heads = new long[SizeClasses.count()];
    final int[] lengths = new int[SizeClasses.count()];
    private final int[] maxLengths = new int[SizeClasses.count()];
    private final int[] lowWater = new int[SizeClasses.count()];
    private final int[] overages = new int[SizeClasses.count()];
    /** Small blocks handed out and taken back through this cache (read by stats). */
    long allocations;
    long frees;
    /** Lookups of this cache that missed the heap's one-entry hint (see {@code TcHeap.cache()}). */
    int hintMisses;

    long cachedBytes;
    long budget;
    private long untilSample;
    private final long[] batch = new long[32];

    ThreadCache(TcHeap heap, Thread owner) {
        this.heap = heap;
        this.owner = owner;
        this.probe = heap.probe;
        java.util.Arrays.fill(maxLengths, 1);
        this.untilSample = heap.nextSampleInterval();
    }

    /** A free object of class {@code cl}: a pop, or the slow path when the list is empty or a sample is due. */
    long allocate(int cl) {
        int size = SizeClasses.size(cl);
        long head = heads[cl];
        long left = untilSample - size;
        if (head == 0 || left < 0) {
            return allocateSlow(cl);
        }
        untilSample = left;
        return pop(cl, head, size);
    }

    private long pop(int cl, long head, int size) {
        if (probe != null) {
            probe.metadataRead(head + FreeObject.NEXT, 8);
        }
        heads[cl] = FreeObject.next(head);
        int length = --lengths[cl];
        if (length < lowWater[cl]) {
            lowWater[cl] = length;
        }
        cachedBytes -= size;
        allocations++;
        return head;
    }

    /** Takes back an object of class {@code cl}: a push, or the slow path when the list or the cache is too long. */
    void deallocate(int cl, long object) {
        int size = SizeClasses.size(cl);
        if (probe != null) {
            probe.metadataWrite(object + FreeObject.NEXT, 8);
        }
        FreeObject.setNext(object, heads[cl]);
        heads[cl] = object;
        int length = ++lengths[cl];
        long cached = cachedBytes += size;
        frees++;
        if (length > maxLengths[cl] || cached > budget) {
            deallocateSlow(cl);
        }
    }

    private long allocateSlow(int cl) {
        int size = SizeClasses.size(cl);
        untilSample -= size;
        if (untilSample < 0) {
            untilSample = heap.nextSampleInterval();
            long sampled = heap.allocateSampled(size);
            if (sampled != 0) {
                return sampled;
            }
        }
        if (heads[cl] == 0) {
            refill(cl);
        }
        return pop(cl, heads[cl], size);
    }

    /** Fetches a batch (as much of it as the budget allows, at least one object) and grows the list's limit. */
    private void refill(int cl) {
        heap.checkOpen("alloc");
        int size = SizeClasses.size(cl);
        int batchSize = SizeClasses.batch(cl);
        int max = maxLengths[cl];
        maxLengths[cl] = max < batchSize ? max + 1 : Math.min(max + batchSize, MAX_LENGTH);
        int wanted = Math.min(batchSize, maxLengths[cl]);
        long needed = (wanted - 1L) * size - (budget - cachedBytes);
        if (needed > 0) {
            claim(needed);
        }
        int n = (int) Math.max(1, Math.min(wanted, 1 + (budget - cachedBytes) / size));
        try {
            n = heap.transfer[cl].remove(batch, n);
        } catch (OutOfNativeMemoryError e) {
            heap.giveBackAll(this);
            n = heap.transfer[cl].remove(batch, 1);
        }
        for (int i = 0; i < n; i++) {
            if (probe != null) {
                probe.metadataWrite(batch[i] + FreeObject.NEXT, 8);
            }
            FreeObject.setNext(batch[i], heads[cl]);
            heads[cl] = batch[i];
        }
        lengths[cl] += n;
        cachedBytes += (long) n * size;
    }

    private void deallocateSlow(int cl) {
        if (lengths[cl] > maxLengths[cl]) {
            listTooLong(cl);
        }
        if (cachedBytes > budget) {
            claim(cachedBytes - budget);
            if (cachedBytes > budget) {
                scavenge();
            }
        }
    }

    /** tcmalloc's ListTooLong: hand a batch on; grow the limit while it is below a batch, else shrink it after repeated overflows. */
    private void listTooLong(int cl) {
        int batchSize = SizeClasses.batch(cl);
        release(cl, Math.min(batchSize, lengths[cl]));
        if (maxLengths[cl] < batchSize) {
            maxLengths[cl]++;
        } else if (++overages[cl] > MAX_OVERAGES) {
            maxLengths[cl] = Math.max(1, maxLengths[cl] - batchSize);
            overages[cl] = 0;
        }
    }

    /** Claims at least {@code bytes} more budget in whole steps, within the per-thread maximum. */
    private void claim(long bytes) {
        long steps = (bytes + ThreadCache.BUDGET_STEP - 1) / ThreadCache.BUDGET_STEP * ThreadCache.BUDGET_STEP;
        long wanted = Math.min(steps, heap.maxPerThread - budget);
        if (wanted > 0) {
            budget += heap.claimBudget(wanted);
        }
    }

    /**
     * Gives back half of what each list left unused since the last scavenge (its low-water mark), then
     * whole lists until the cache fits its budget, then the budget it no longer needs.
     */
    private void scavenge() {
        for (int cl = 1; cl < heads.length; cl++) {
            int unused = lowWater[cl];
            if (unused > 0) {
                release(cl, Math.max(1, unused / 2));
                int batchSize = SizeClasses.batch(cl);
                if (maxLengths[cl] > batchSize) {
                    maxLengths[cl] -= batchSize;
                }
            }
            lowWater[cl] = lengths[cl];
        }
        for (int cl = 1; cl < heads.length && cachedBytes > budget; cl++) {
            release(cl, lengths[cl]);
        }
        long keep = Math.min(budget, cachedBytes + ThreadCache.BUDGET_STEP);
        heap.budget.giveBack(budget - keep);
        budget = keep;
    }

    /** Moves {@code n} objects from list {@code cl} to its transfer cache, a batch at a time. */
    private void release(int cl, int n) {
        int size = SizeClasses.size(cl);
        while (n > 0) {
            int k = Math.min(n, batch.length);
            long head = heads[cl];
            for (int i = 0; i < k; i++) {
                batch[i] = head;
                if (probe != null) {
                    probe.metadataRead(head + FreeObject.NEXT, 8);
                }
                head = FreeObject.next(head);
            }
            heads[cl] = head;
            lengths[cl] -= k;
            cachedBytes -= (long) k * size;
            heap.transfer[cl].insert(batch, k);
            n -= k;
        }
        lowWater[cl] = Math.min(lowWater[cl], lengths[cl]);
    }

    /** Gives every object and all the budget back (the owner has died, trims itself, or the heap closes). */
    void drain() {
        for (int cl = 1; cl < heads.length; cl++) {
            release(cl, lengths[cl]);
            maxLengths[cl] = 1;
        }
        heap.budget.giveBack(budget);
        budget = 0;
    }

    /** Forgets every object without giving it back (the heap is closing and its memory goes away). */
    void forget() {
        java.util.Arrays.fill(heads, 0);
        java.util.Arrays.fill(lengths, 0);
        cachedBytes = 0;
    }
}
