package org.allockit.pool.small;

import org.allockit.pool.NativeMemory;

/**
 * A Loki chunk: {@code blocks <= 255} equal blocks in one piece of memory, with the free list kept
 * inside the free blocks themselves, one byte each, so a block carries no header.
 *
 * <pre>
 * base                                                      base + blocks * blockSize
 * +-----------+-----------+-----------+-----------+-- ... --+
 * | block 0   | block 1   | block 2   | block 3   |         |
 * | next: 2 . | (in use)  | next: 3 . | next: 255 |         |   first = 0, available = 3
 * +-----------+-----------+-----------+-----------+-- ... --+
 *   ^ byte 0 of a free block = index of the next free block (any value once the list is exhausted)
 * </pre>
 *
 * Allocation pops {@code first} and reads the next index from the popped block; a free writes
 * {@code first} into the freed block and makes it the head. An in-use bitmap beside the chunk (one bit
 * per block, on the Java heap, not in the chunk) lets a free reject a block that is already free
 * without walking the list.
 *
 * <p>Invariant: the list from {@code first} visits exactly {@code available} distinct blocks, all with
 * their bit clear; the other blocks have it set. Confined to the owning allocator's thread.
 */
final class Chunk {

    /** The most blocks a chunk can have: indices must fit the one-byte links. */
    static final int MAX_BLOCKS = 255;

    final long base;
    final int blockSize;
    final int blocks;
    /** The fixed allocator (size step) the chunk belongs to. */
    final FixedAllocator owner;
    /** The chunk's position in its fixed allocator's chunk array (it changes when another chunk is released). */
    int slot;
    private int first;
    private int available;
    private final long[] inUse = new long[(MAX_BLOCKS + 63) / 64];

    /** Lays the free list through {@code blocks} fresh blocks at {@code base}: 0 → 1 → ... → blocks-1. */
    Chunk(FixedAllocator owner, long base, int blockSize, int blocks) {
        this.owner = owner;
        this.base = base;
        this.blockSize = blockSize;
        this.blocks = blocks;
        for (int i = 0; i < blocks; i++) {
            NativeMemory.putByte(base + (long) i * blockSize, i + 1);
        }
        this.available = blocks;
    }

    /** Pops a block; the chunk must have {@link #available()} blocks. */
    long allocate() {
        int index = first;
        long block = base + (long) index * blockSize;
        first = NativeMemory.getByte(block);
        available--;
        inUse[index >>> 6] |= 1L << index;
        return block;
    }

    /**
     * Pushes a block back. Returns {@link Outcome#FREED}, or why the address is not a live block
     * of this chunk (the chunk is then unchanged).
     */
    Outcome deallocate(long block) {
        int offset = (int) (block - base);
        int index = offset / blockSize;
        if (index * blockSize != offset) {
            return Outcome.INTERIOR;
        }
        long bit = 1L << index;
        if ((inUse[index >>> 6] & bit) == 0) {
            return Outcome.ALREADY_FREE;
        }
        inUse[index >>> 6] &= ~bit;
        NativeMemory.putByte(block, first);
        first = index;
        available++;
        return Outcome.FREED;
    }

    /** What {@link #deallocate} found. */
    enum Outcome { FREED, INTERIOR, ALREADY_FREE }

    /** True when {@code address} falls inside this chunk's blocks. */
    boolean contains(long address) {
        return address >= base && address < base + (long) blocks * blockSize;
    }

    /** True when the block at {@code index} is handed out. */
    boolean isInUse(int index) {
        return (inUse[index >>> 6] & (1L << index)) != 0;
    }

    int available() {
        return available;
    }

    boolean isEmpty() {
        return available == blocks;
    }

    /** The chunk's bytes. */
    long bytes() {
        return (long) blocks * blockSize;
    }

    /** Checks the invariant; returns a description of the first break, or null. */
    String check() {
        long[] seen = new long[inUse.length];
        int index = first;
        for (int n = 0; n < available; n++) {
            if (index >= blocks) {
                return "free list link " + index + " past the " + blocks + " blocks";
            }
            if ((seen[index >>> 6] & (1L << index)) != 0 || isInUse(index)) {
                return "free list visits block " + index + " twice or while it is in use";
            }
            seen[index >>> 6] |= 1L << index;
            index = NativeMemory.getByte(base + (long) index * blockSize);
        }
        int used = 0;
        for (long word : inUse) {
            used += Long.bitCount(word);
        }
        return used + available == blocks ? null
                : used + " blocks in use and " + available + " free in a chunk of " + blocks;
    }
}
