package org.allockit.pool.growing;

import java.util.Arrays;

/**
 * The chunk table of a growing pool, one row of six longs per chunk, in the pool's order:
 *
 * <pre>
 * row i: | address | size | used | blocks | requested | usable |
 * </pre>
 *
 * {@code used} bytes from the chunk's start are handed out (padding included), to {@code blocks}
 * blocks that asked for {@code requested} bytes and got {@code usable} (at least one byte each). Rows move as a whole, so insertion, removal and
 * swaps are single array copies. Confined to its pool's thread.
 */
final class ChunkTable {

    private static final int ADDRESS = 0;
    private static final int SIZE = 1;
    private static final int USED = 2;
    private static final int BLOCKS = 3;
    private static final int REQUESTED = 4;
    private static final int USABLE = 5;
    private static final int STRIDE = 6;

    private long[] rows = new long[8 * STRIDE];
    private int count;

    int count() {
        return count;
    }

    long address(int chunk) {
        return rows[chunk * STRIDE + ADDRESS];
    }

    long size(int chunk) {
        return rows[chunk * STRIDE + SIZE];
    }

    long used(int chunk) {
        return rows[chunk * STRIDE + USED];
    }

    long blocks(int chunk) {
        return rows[chunk * STRIDE + BLOCKS];
    }

    long requested(int chunk) {
        return rows[chunk * STRIDE + REQUESTED];
    }

    long usable(int chunk) {
        return rows[chunk * STRIDE + USABLE];
    }

    /** Records a block that ends {@code end} bytes from the chunk's start. */
    void carve(int chunk, long end, long requested, long usable) {
        int row = chunk * STRIDE;
        rows[row + USED] = end;
        rows[row + BLOCKS]++;
        rows[row + REQUESTED] += requested;
        rows[row + USABLE] += usable;
    }

    /** Marks every chunk unused. */
    void clearUse() {
        for (int row = 0; row < count * STRIDE; row += STRIDE) {
            rows[row + USED] = 0;
            rows[row + BLOCKS] = 0;
            rows[row + REQUESTED] = 0;
            rows[row + USABLE] = 0;
        }
    }

    /** Inserts an unused chunk at position {@code at}. */
    void insert(int at, long address, long size) {
        makeRoom(at, 1);
        int row = at * STRIDE;
        Arrays.fill(rows, row, row + STRIDE, 0);
        rows[row + ADDRESS] = address;
        rows[row + SIZE] = size;
    }

    /** Inserts the first {@code n} rows of {@code source} at position {@code at}. */
    void insertFrom(int at, ChunkTable source, int n) {
        makeRoom(at, n);
        System.arraycopy(source.rows, 0, rows, at * STRIDE, n * STRIDE);
    }

    /** Removes the first {@code n} rows. */
    void removeFirst(int n) {
        System.arraycopy(rows, n * STRIDE, rows, 0, (count - n) * STRIDE);
        count -= n;
    }

    /** Removes the last row. */
    void removeLast() {
        count--;
    }

    void swap(int i, int j) {
        long[] row = Arrays.copyOfRange(rows, i * STRIDE, i * STRIDE + STRIDE);
        System.arraycopy(rows, j * STRIDE, rows, i * STRIDE, STRIDE);
        System.arraycopy(row, 0, rows, j * STRIDE, STRIDE);
    }

    /** Empties the table. */
    void clear() {
        count = 0;
    }

    private void makeRoom(int at, int n) {
        if ((count + n) * STRIDE > rows.length) {
            rows = Arrays.copyOf(rows, Math.max(rows.length * 2, (count + n) * STRIDE));
        }
        System.arraycopy(rows, at * STRIDE, rows, (at + n) * STRIDE, (count - at) * STRIDE);
        count += n;
    }
}
