package org.allockit.leak;

import java.util.Arrays;

/**
 * The per-block records of the blocks whose site is known, as parallel primitive arrays indexed by
 * record number, with a stack of free record numbers for reuse. A record holds the block's requested
 * size, its site, when it was allocated and, under PARANOID, the offset of the block within the
 * allocation that carries its red zones.
 *
 * <pre>
 *  record r:  sizes[r]   sites[r]   born[r]        fronts[r]
 *             long       int        long (nanos)   int (bytes before the block)
 * </pre>
 *
 * Invariant: a number is either in use (referred to by exactly one live block) or on the free stack.
 * Not thread-safe: guarded by the lock of the {@link LiveBlocks} that owns it.
 */
final class BlockRecords {

    private long[] sizes = new long[16];
    private int[] sites = new int[16];
    private long[] born = new long[16];
    private int[] fronts = new int[16];
    private int[] freeNumbers = new int[16];
    private int freeCount;
    private int used;

    /** A new record; returns its number. */
    int add(long size, int site, long bornNanos, int front) {
        int r = freeCount > 0 ? freeNumbers[--freeCount] : grow();
        sizes[r] = size;
        sites[r] = site;
        born[r] = bornNanos;
        fronts[r] = front;
        return r;
    }

    /** Gives record {@code r} back for reuse. */
    void release(int r) {
        if (freeCount == freeNumbers.length) {
            freeNumbers = Arrays.copyOf(freeNumbers, freeCount * 2);
        }
        freeNumbers[freeCount++] = r;
    }

    /** Corrects the size of record {@code r}. */
    void resize(int r, long size) {
        sizes[r] = size;
    }

    long size(int r) {
        return sizes[r];
    }

    int site(int r) {
        return sites[r];
    }

    long born(int r) {
        return born[r];
    }

    int front(int r) {
        return fronts[r];
    }

    private int grow() {
        if (used == sizes.length) {
            int capacity = used * 2;
            sizes = Arrays.copyOf(sizes, capacity);
            sites = Arrays.copyOf(sites, capacity);
            born = Arrays.copyOf(born, capacity);
            fronts = Arrays.copyOf(fronts, capacity);
        }
        return used++;
    }
}
