package org.allockit.bench.sim;

import java.util.Arrays;

/**
 * A set of non-negative longs (page numbers) in one open-addressed table with linear probing.
 * Invariant: every key sits in its probe run from its home slot with no empty slot between; removal
 * shifts later keys back to keep it. The table is at most half full. Lookups and insertions that
 * do not grow the table allocate nothing. Not thread-safe.
 */
final class LongSet {

    private static final long FREE = -1L;

    private long[] keys;
    private int mask;
    private int size;

    LongSet() {
        this(1 << 10);
    }

    LongSet(int capacity) {
        int slots = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        keys = new long[slots];
        Arrays.fill(keys, FREE);
        mask = slots - 1;
    }

    int size() {
        return size;
    }

    boolean contains(long key) {
        long[] k = keys;
        for (int i = home(key);; i = (i + 1) & mask) {
            long at = k[i];
            if (at == key) {
                return true;
            }
            if (at == FREE) {
                return false;
            }
        }
    }

    /** Adds {@code key}; returns false if it was already present. */
    boolean add(long key) {
        long[] k = keys;
        int i = home(key);
        for (;; i = (i + 1) & mask) {
            long at = k[i];
            if (at == key) {
                return false;
            }
            if (at == FREE) {
                break;
            }
        }
        k[i] = key;
        if (++size * 2 > k.length) {
            grow();
        }
        return true;
    }

    /** Removes {@code key}; returns false if it was absent. */
    boolean remove(long key) {
        long[] k = keys;
        int i = home(key);
        for (;; i = (i + 1) & mask) {
            long at = k[i];
            if (at == key) {
                break;
            }
            if (at == FREE) {
                return false;
            }
        }
        // Shift back every later key of the run whose home does not lie between the hole and it.
        int hole = i;
        for (int j = (hole + 1) & mask; k[j] != FREE; j = (j + 1) & mask) {
            int h = home(k[j]);
            if (((j - h) & mask) >= ((j - hole) & mask)) {
                k[hole] = k[j];
                hole = j;
            }
        }
        k[hole] = FREE;
        size--;
        return true;
    }

    /** Removes every key in {@code [from, to)}; returns how many were removed. */
    int removeRange(long from, long to) {
        if (to - from <= size) {
            int removed = 0;
            for (long key = from; key < to; key++) {
                if (remove(key)) {
                    removed++;
                }
            }
            return removed;
        }
        long[] old = keys;
        int before = size;
        Arrays.fill(keys = new long[old.length], FREE);
        size = 0;
        for (long key : old) {
            if (key != FREE && (key < from || key >= to)) {
                add(key);
            }
        }
        return before - size;
    }

    void clear() {
        Arrays.fill(keys, FREE);
        size = 0;
    }

    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        Arrays.fill(keys, FREE);
        mask = keys.length - 1;
        size = 0;
        for (long key : old) {
            if (key != FREE) {
                add(key);
            }
        }
    }
}
