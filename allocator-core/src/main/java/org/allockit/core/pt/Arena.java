package org.allockit.core.pt;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.allockit.core.dl.DlHeap;

/**
 * One arena of the ptmalloc-style heap: an independent boundary-tag heap ({@link DlHeap}, reused as
 * it is) over its own {@link ArenaHeaps}, and the lock that guards both. A non-main arena left
 * empty by a trim closes its heap (giving back every page, its bin tables included) and lies
 * dormant until a thread picks it again. Every call is made with {@link #lock} held.
 */
final class Arena {

    final int index;
    final ReentrantLock lock = new ReentrantLock();
    final ArenaHeaps heaps;
    private final Supplier<DlHeap> factory;
    private DlHeap heap;

    Arena(int index, ArenaHeaps heaps, Supplier<DlHeap> factory) {
        this.index = index;
        this.heaps = heaps;
        this.factory = factory;
        this.heap = factory.get();
    }

    /** The arena's heap, made anew if the arena was dormant. */
    DlHeap heap() {
        if (heap == null) {
            heap = factory.get();
        }
        return heap;
    }

    /** The heap if the arena is awake, else null (a dormant arena holds nothing). */
    DlHeap heapIfAwake() {
        return heap;
    }

    /** Trims the heap; a non-main arena whose heap is then empty closes it and goes dormant. Returns bytes given back. */
    long trim() {
        if (heap == null) {
            return 0;
        }
        long released = heap.trim();
        if (index > 0 && heap.stats().liveBlocks() == 0) {
            long before = heap.stats().footprintBytes();
            heap.close();
            heap = null;
            released += before;
        }
        return released;
    }

    /** Closes the heap for good. */
    void close() {
        if (heap != null) {
            heap.close();
            heap = null;
        }
    }
}
