package org.allockit.leak;

import org.agrona.collections.Long2LongHashMap;

/**
 * Recently freed blocks, oldest first, in a ring of fixed capacity with an index by address. Under
 * {@link Level#PARANOID} it holds the memory itself: a freed block stays poisoned here, out of the
 * wrapped allocator's reach, until the ring or the byte budget is full, and is checked as it leaves.
 * Under {@link Level#FULL} it is only a memory of addresses, so a second free of one of them is named
 * a double free with the block's allocation site.
 *
 * <pre>
 *  slot s:  blocks[s]  sizes[s]  fronts[s]  allocSites[s]  freeSites[s]     (block 0 = slot forgotten)
 *  ring:    oldest = head, newest = head + count - 1 (mod capacity)
 * </pre>
 * Invariants: {@code index} maps each remembered block address to its slot; {@code bytes} is the
 * sum of the sizes of remembered blocks. Not thread-safe: the tracker guards it with one lock.
 */
final class Quarantine {

    private static final long NONE = -1;

    private final Long2LongHashMap index = new Long2LongHashMap(64, 0.65f, NONE, true);
    private final long[] blocks;
    private final long[] sizes;
    private final int[] fronts;
    private final int[] allocSites;
    private final int[] freeSites;
    private final long maxBytes;
    private int head;
    private int count;
    private long bytes;

    Quarantine(int capacity, long maxBytes) {
        this.blocks = new long[capacity];
        this.sizes = new long[capacity];
        this.fronts = new int[capacity];
        this.allocSites = new int[capacity];
        this.freeSites = new int[capacity];
        this.maxBytes = maxBytes;
    }

    /** Whether the ring has no room for one more block. */
    boolean full() {
        return count == blocks.length;
    }

    /** Whether the remembered blocks exceed the byte budget. */
    boolean overBudget() {
        return bytes > maxBytes;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Remembers a freed block as the newest; the caller made room first ({@code !full()}). */
    void add(long block, long size, int front, int allocSite, int freeSite) {
        assert !full();
        int s = (head + count++) % blocks.length;
        blocks[s] = block;
        sizes[s] = size;
        fronts[s] = front;
        allocSites[s] = allocSite;
        freeSites[s] = freeSite;
        bytes += size;
        index.put(block, s);
    }

    /** How many slots are in the ring, forgotten ones included. */
    int count() {
        return count;
    }

    /** The slot {@code i} places after the oldest, for {@code 0 <= i < count()}. */
    int slotAt(int i) {
        return (head + i) % blocks.length;
    }

    /** The slot of the oldest block; the ring must not be empty. */
    int oldest() {
        return head;
    }

    /** Forgets the oldest block. */
    void dropOldest() {
        forgetSlot(head);
        head = (head + 1) % blocks.length;
        count--;
    }

    /** The slot remembering {@code block}, or -1. */
    int slotOf(long block) {
        return (int) index.get(block);
    }

    /** Forgets {@code block} if remembered (its address was handed out again). */
    void forget(long block) {
        int s = slotOf(block);
        if (s >= 0) {
            forgetSlot(s);
        }
    }

    /** Whether slot {@code s} still remembers a block (it was not forgotten early). */
    boolean holds(int s) {
        return blocks[s] != 0;
    }

    long block(int s) {
        return blocks[s];
    }

    long size(int s) {
        return sizes[s];
    }

    int front(int s) {
        return fronts[s];
    }

    int allocSite(int s) {
        return allocSites[s];
    }

    int freeSite(int s) {
        return freeSites[s];
    }

    /** The slot of a remembered block that contains {@code address} (not at its start), or -1. */
    int slotContaining(long address) {
        for (int i = 0; i < count; i++) {
            int s = slotAt(i);
            if (blocks[s] != 0 && address > blocks[s] && address < blocks[s] + sizes[s]) {
                return s;
            }
        }
        return -1;
    }

    private void forgetSlot(int s) {
        if (blocks[s] != 0) {
            index.remove(blocks[s]);
            bytes -= sizes[s];
            blocks[s] = 0;
        }
    }
}
