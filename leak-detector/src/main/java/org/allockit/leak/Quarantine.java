package org.allockit.leak;

import org.agrona.collections.Long2LongHashMap;

/**
 * Recently freed blocks, oldest first, in a ring of fixed capacity with an index by address, so a
 * second free of one of them is named a double free with the block's sites. Under
 * {@link Level#PARANOID} the newest of them also hold their memory: a freed block stays poisoned
 * here, out of the wrapped allocator's reach, until the byte budget pushes it out; it is checked as
 * its memory goes back, and its address is still remembered until the ring turns over. Under
 * {@link Level#FULL} it remembers addresses only.
 *
 * <pre>
 *  slot s:  blocks[s]  sizes[s]  fronts[s]  allocSites[s]  freeSites[s]     (block 0 = slot forgotten)
 *  ring:    head ........ head + released ............ head + count   (mod capacity)
 *           |<- memory given back: address only ->|<- memory held, poisoned ->|
 * </pre>
 * Invariants: {@code index} maps each remembered block address to its slot; {@code heldBytes} is the
 * sum of the sizes of the slots that hold memory; released slots are the oldest. Not thread-safe:
 * the tracker guards it with one lock.
 */
final class Quarantine {

    private static final long NONE = -1;

    private final Long2LongHashMap index = new Long2LongHashMap(64, 0.65f, NONE, true);
    private final long[] blocks;
    private final long[] sizes;
    private final int[] fronts;
    private final int[] allocSites;
    private final int[] freeSites;
    private final long maxHeldBytes;
    private int head;
    private int count;
    private int released;
    private long heldBytes;

    Quarantine(int capacity, long maxHeldBytes) {
        this.blocks = new long[capacity];
        this.sizes = new long[capacity];
        this.fronts = new int[capacity];
        this.allocSites = new int[capacity];
        this.freeSites = new int[capacity];
        this.maxHeldBytes = maxHeldBytes;
    }

    /** Whether the ring has no room for one more block. */
    boolean full() {
        return count == blocks.length;
    }

    /** Whether the blocks holding memory exceed the byte budget. */
    boolean overBudget() {
        return heldBytes > maxHeldBytes;
    }

    /** Whether some slot still holds its block's memory. */
    boolean holdsAny() {
        return released < count;
    }

    /**
     * Remembers a freed block as the newest; the caller made room first ({@code !full()}).
     * {@code holding}: whether the block's memory stays here (PARANOID) or went back already (FULL).
     */
    void add(long block, long size, int front, int allocSite, int freeSite, boolean holding) {
        assert !full() && (holding || released == count);
        int s = slotAt(count++);
        blocks[s] = block;
        sizes[s] = size;
        fronts[s] = front;
        allocSites[s] = allocSite;
        freeSites[s] = freeSite;
        index.put(block, s);
        if (holding) {
            heldBytes += size;
        } else {
            released++;
        }
    }

    /** The slot {@code i} places after the oldest, for {@code 0 <= i < count}. */
    int slotAt(int i) {
        return (head + i) % blocks.length;
    }

    /** The oldest slot; the ring must not be empty. */
    int oldest() {
        return head;
    }

    /** Whether slot {@code s} holds its block's memory. */
    boolean holdsMemory(int s) {
        return blocks[s] != 0 && Math.floorMod(s - head, blocks.length) >= released;
    }

    /** Forgets the oldest slot; the caller gave its memory back first if it held any. */
    void dropOldest() {
        if (released == 0) {
            heldBytes -= sizes[head];
        } else {
            released--;
        }
        forgetSlot(head);
        head = (head + 1) % blocks.length;
        count--;
    }

    /** The oldest slot that holds memory; {@link #holdsAny()} must be true. */
    int oldestHeld() {
        return slotAt(released);
    }

    /** Marks the oldest held slot's memory as given back; its address stays remembered. */
    void releaseOldestHeld() {
        heldBytes -= sizes[oldestHeld()];
        released++;
    }

    /** How many slots hold memory. */
    int heldCount() {
        return count - released;
    }

    /** The {@code i}-th slot holding memory, oldest first, for {@code 0 <= i < heldCount()}. */
    int heldSlot(int i) {
        return slotAt(released + i);
    }

    /** The slot remembering {@code block}, or -1. */
    int slotOf(long block) {
        return (int) index.get(block);
    }

    /** Forgets {@code block} if remembered as freed with its memory given back (its address was handed out again). */
    void forget(long block) {
        int s = slotOf(block);
        if (s >= 0 && !holdsMemory(s)) {
            forgetSlot(s);
        }
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
            blocks[s] = 0;
        }
    }
}
