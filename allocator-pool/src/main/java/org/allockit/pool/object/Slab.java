package org.allockit.pool.object;

/**
 * One slab of a {@link StructPool}: {@code records} fixed-size records back to back in one piece of
 * backing memory, with a bitmap of the live ones kept beside it on the Java heap (the slab itself has
 * no header, so record {@code i} is at {@code base + i * recordSize}).
 *
 * <pre>
 * base
 * +----------+----------+----------+-- ... --+----------+
 * | record 0 | record 1 | record 2 |         | record n-1|     live bits: 1 0 1 ... 0
 * +----------+----------+----------+-- ... --+----------+
 * </pre>
 *
 * Invariant: {@code free == records - bitCount(live)}. Confined to the pool's thread.
 */
final class Slab {

    final long base;
    final int recordSize;
    final int records;
    private final long[] live;
    private int free;
    /** The lowest word that may have a clear bit. */
    private int hint;

    Slab(long base, int recordSize, int records) {
        this.base = base;
        this.recordSize = recordSize;
        this.records = records;
        this.live = new long[(records + 63) / 64];
        this.free = records;
    }

    /** The lowest free record's address; the slab must have a free record. */
    long take() {
        int word = hint;
        while (~live[word] == 0) {
            word++;
        }
        int index = word * 64 + Long.numberOfTrailingZeros(~live[word]);
        live[word] |= 1L << index;
        hint = word;
        free--;
        return base + (long) index * recordSize;
    }

    /** Frees the record at {@code index}; false when it was not live. */
    boolean give(int index) {
        long bit = 1L << index;
        if ((live[index >>> 6] & bit) == 0) {
            return false;
        }
        live[index >>> 6] &= ~bit;
        hint = Math.min(hint, index >>> 6);
        free++;
        return true;
    }

    boolean isLive(int index) {
        return index >= 0 && index < records && (live[index >>> 6] & (1L << index)) != 0;
    }

    /** The next live record at or after {@code index}, or -1. */
    int nextLive(int index) {
        int word = index >>> 6;
        if (word >= live.length) {
            return -1;
        }
        long bits = live[word] & (-1L << index);
        while (bits == 0) {
            if (++word == live.length) {
                return -1;
            }
            bits = live[word];
        }
        return word * 64 + Long.numberOfTrailingZeros(bits);
    }

    int free() {
        return free;
    }

    boolean contains(long address) {
        return address >= base && address < base + (long) records * recordSize;
    }

    long bytes() {
        return (long) records * recordSize;
    }

    /** Checks the invariant; a description of the break, or null. */
    String check() {
        int used = 0;
        for (long word : live) {
            used += Long.bitCount(word);
        }
        return used + free == records && (records % 64 == 0 || live[live.length - 1] >>> (records % 64) == 0)
                ? null : "slab at 0x" + Long.toHexString(base) + ": " + used + " live + " + free + " free != " + records;
    }
}
