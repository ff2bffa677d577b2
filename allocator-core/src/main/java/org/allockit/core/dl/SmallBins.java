package org.allockit.core.dl;

import org.allockit.core.HeapCorruptionException;

/**
 * The small bins: one circular doubly linked list per chunk size under {@link #LIMIT} bytes
 * (32, 48, ... 240: sizes 16 apart, so {@code index = size >> 4}), newest first, and a bitmap of
 * the non-empty ones so the next usable bin is one bit scan away.
 *
 * <pre>
 *  bin table at base: 16 pairs of words, pair i = (fd, bk) of bin i's sentinel
 *  ┌────────┬────────┬────────┬────────┬─────┬────────┬────────┐
 *  │ fd 0   │ bk 0   │ fd 1   │ bk 1   │ ... │ fd 15  │ bk 15  │   bins 0 and 1 stay empty
 *  └────────┴────────┴────────┴────────┴─────┴────────┴────────┘
 *  sentinel(i) = base + 16 i - FD: a pseudo-chunk whose fd and bk are pair i, so an empty bin is
 *  the sentinel linked to itself and the list code never tests for the ends.
 * </pre>
 *
 * Invariant: bit i of {@link #map()} is set exactly when bin i holds a chunk, and every chunk in
 * bin i is free and of size {@code 16 i}. Single-threaded: the owning heap guards it.
 */
final class SmallBins {

    /** Chunks of this size and above go to the tree bins. */
    static final long LIMIT = 256;
    static final int COUNT = (int) (LIMIT >>> 4);
    /** Bytes of the bin table. */
    static final long TABLE_BYTES = COUNT * 16L;

    private final Chunk chunk;
    private final long base;
    private final Segments segments;
    private final String name;
    private final int[] counts = new int[COUNT];
    private int map;

    SmallBins(Chunk chunk, long base, Segments segments, String name) {
        this.chunk = chunk;
        this.base = base;
        this.segments = segments;
        this.name = name;
        for (int i = 0; i < COUNT; i++) {
            long b = sentinel(i);
            chunk.setFd(b, b);
            chunk.setBk(b, b);
        }
    }

    static boolean isSmall(long size) {
        return size < LIMIT;
    }

    static int index(long size) {
        return (int) (size >>> 4);
    }

    static long size(int index) {
        return (long) index << 4;
    }

    /** Forgets every chunk (the heap was closed and its memory given back). */
    void clear() {
        map = 0;
        java.util.Arrays.fill(counts, 0);
    }

    /** The bitmap of non-empty bins. */
    int map() {
        return map;
    }

    int count(int index) {
        return counts[index];
    }

    long sentinel(int index) {
        return base + ((long) index << 4) - Chunk.FD;
    }

    /** Puts free chunk p of a small size at the front of its bin. */
    void insert(long p, long size) {
        int i = index(size);
        long b = sentinel(i);
        long f = b;
        if ((map & (1 << i)) == 0) {
            map |= 1 << i;
        } else {
            f = chunk.fd(b);
            if (!segments.spans(f)) {
                throw corrupted(b, f);
            }
        }
        chunk.setFd(b, p);
        chunk.setBk(f, p);
        chunk.setFd(p, f);
        chunk.setBk(p, b);
        counts[i]++;
    }

    /** Takes chunk p of the given small size out of its bin. */
    void unlink(long p, long size) {
        int i = index(size);
        long f = chunk.fd(p);
        long b = chunk.bk(p);
        long s = sentinel(i);
        if ((f != s && !segments.spans(f)) || (b != s && !segments.spans(b))
                || chunk.bk(f) != p || chunk.fd(b) != p) {
            throw corrupted(p, f);
        }
        if (f == b) {
            map &= ~(1 << i);
        }
        chunk.setBk(f, b);
        chunk.setFd(b, f);
        counts[i]--;
    }

    /** Takes the first chunk out of bin i, which must not be empty, and returns it. */
    long takeFirst(int i) {
        long b = sentinel(i);
        long p = chunk.fd(b);
        if (p == b) {
            throw corrupted(b, p);
        }
        unlink(p, size(i));
        return p;
    }

    private HeapCorruptionException corrupted(long at, long link) {
        return new HeapCorruptionException(name, "corrupted double-linked list: small bin chunk 0x"
                + Long.toHexString(at) + " links to 0x" + Long.toHexString(link) + " which does not link back");
    }
}
