package org.allockit.core.dl;

import org.allockit.core.HeapCorruptionException;

/**
 * The tree bins: free chunks of {@link SmallBins#LIMIT} bytes and more, in 32 bins, two per power
 * of two (bin 2k holds sizes {@code [2^(k+8), 1.5·2^(k+8))}, bin 2k+1 the upper half, bin 31
 * everything from 12 MiB), each a bitwise trie on the size like dlmalloc's: a node at depth d
 * sends a size left or right by the size's d-th bit below the bits that chose the bin. Chunks of a
 * size already in the trie hang off its node in a ring, oldest first, and are served in that order.
 *
 * <p>Why a trie and not a balanced tree: the trie needs no rebalancing (insert and remove touch a
 * few links, no rotations), its depth is bounded by the bits of the size (at most 7 below bin 30),
 * and the smallest chunk that fits is found on one root-to-leaf walk that remembers the best right
 * subtree passed over: O(log n) in the size range, the same bound a red-black tree gives, with
 * fewer metadata writes, which is what the probe and the cache see.
 *
 * <pre>
 *  root table at base: 32 words, word i = the root chunk of bin i, or 0
 *  a root's parent word holds the address of its table slot, so "is root" is one compare
 * </pre>
 *
 * Invariant: bit i of {@link #map()} is set exactly when bin i has a root; every chunk in bin i has
 * {@code index(size) == i}, its index word says i, and sits where its size bits lead. Single-threaded.
 */
final class TreeBins {

    static final int COUNT = 32;
    static final long TABLE_BYTES = COUNT * 8L;
    /** log2 of the smallest tree chunk. */
    private static final int SHIFT = 8;

    private final Chunk chunk;
    private final long base;
    private final Segments segments;
    private final String name;
    private final int[] counts = new int[COUNT];
    private final long[] bytes = new long[COUNT];
    private int map;

    TreeBins(Chunk chunk, long base, Segments segments, String name) {
        this.chunk = chunk;
        this.base = base;
        this.segments = segments;
        this.name = name;
    }

    /** The bin of a chunk size of at least 256 bytes. */
    static int index(long size) {
        long x = size >>> SHIFT;
        if (x == 0) {
            return 0;
        }
        if (x > 0xFFFF) {
            return COUNT - 1;
        }
        int k = 63 - Long.numberOfLeadingZeros(x);
        return (k << 1) + (int) ((size >>> (k + SHIFT - 1)) & 1);
    }

    /** The smallest size bin i holds. */
    static long minSize(int i) {
        return (1L << ((i >>> 1) + SHIFT)) | ((long) (i & 1) << ((i >>> 1) + SHIFT - 1));
    }

    /** Shift that brings the first size bit below the ones that chose bin i to bit 63. */
    static int leftShift(int i) {
        return i == COUNT - 1 ? 0 : 63 - ((i >>> 1) + SHIFT - 2);
    }

    /** Forgets every chunk (the heap was closed and its memory given back). */
    void clear() {
        map = 0;
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(bytes, 0);
    }

    int map() {
        return map;
    }

    int count(int i) {
        return counts[i];
    }

    long bytes(int i) {
        return bytes[i];
    }

    long root(int i) {
        return chunk.fd(slot(i) - Chunk.FD);
    }

    /** The address of bin i's root word, which a root chunk's parent word holds. */
    long slot(int i) {
        return base + ((long) i << 3);
    }

    private void setRoot(int i, long p) {
        chunk.setFd(slot(i) - Chunk.FD, p);
    }

    /** Adds free chunk x of the given size (at least 256) to its bin. */
    void insert(long x, long size) {
        int i = index(size);
        chunk.setIndex(x, i);
        chunk.setChild(x, 0, 0);
        chunk.setChild(x, 1, 0);
        counts[i]++;
        bytes[i] += size;
        if ((map & (1 << i)) == 0) {
            map |= 1 << i;
            setRoot(i, x);
            chunk.setParent(x, slot(i));
            chunk.setFd(x, x);
            chunk.setBk(x, x);
            return;
        }
        long t = root(i);
        long k = size << leftShift(i);
        while (true) {
            if (Chunk.size(chunk.head(t)) != size) {
                long side = k >>> 63;
                k <<= 1;
                long c = chunk.child(t, side);
                if (c != 0) {
                    t = c;
                } else {
                    chunk.setChild(t, side, x);
                    chunk.setParent(x, t);
                    chunk.setFd(x, x);
                    chunk.setBk(x, x);
                    return;
                }
            } else {
                // Same size: join t's ring just before t, so t.bk walks from the oldest.
                long f = chunk.fd(t);
                chunk.setFd(t, x);
                chunk.setBk(f, x);
                chunk.setFd(x, f);
                chunk.setBk(x, t);
                chunk.setParent(x, 0);
                return;
            }
        }
    }

    /** Takes free chunk x of the given size out of its bin. */
    void unlink(long x, long size) {
        long xp = chunk.parent(x);
        long r;
        if (chunk.bk(x) != x) {
            long f = chunk.fd(x);
            r = chunk.bk(x);
            if (!segments.spans(f) || !segments.spans(r) || chunk.bk(f) != x || chunk.fd(r) != x) {
                throw corrupted(x, f);
            }
            chunk.setBk(f, r);
            chunk.setFd(r, f);
        } else {
            r = detachDeepestDescendant(x);
        }
        int i = chunk.index(x);
        counts[i]--;
        bytes[i] -= size;
        if (xp == 0) {
            return; // x hung off a node's ring: no tree links to mend
        }
        if (xp == slot(i)) {
            setRoot(i, r);
            if (r == 0) {
                map &= ~(1 << i);
            }
        } else if (chunk.child(xp, 0) == x) {
            chunk.setChild(xp, 0, r);
        } else if (chunk.child(xp, 1) == x) {
            chunk.setChild(xp, 1, r);
        } else {
            throw new HeapCorruptionException(name, "corrupted tree bin: chunk 0x" + Long.toHexString(x)
                    + " is not a child of its parent 0x" + Long.toHexString(xp));
        }
        if (r != 0) {
            chunk.setParent(r, xp);
            for (long side = 0; side < 2; side++) {
                long c = chunk.child(x, side);
                if (c != 0) {
                    chunk.setChild(r, side, c);
                    chunk.setParent(c, r);
                }
            }
        }
    }

    /** Removes and returns a leaf under x (preferring right subtrees), or 0 when x has no children. */
    private long detachDeepestDescendant(long x) {
        long holder = x;
        long side = 1;
        long r = chunk.child(x, 1);
        if (r == 0) {
            side = 0;
            r = chunk.child(x, 0);
        }
        if (r == 0) {
            return 0;
        }
        while (true) {
            long c = chunk.child(r, 1);
            long s = 1;
            if (c == 0) {
                c = chunk.child(r, 0);
                s = 0;
            }
            if (c == 0) {
                break;
            }
            holder = r;
            side = s;
            r = c;
        }
        chunk.setChild(holder, side, 0);
        return r;
    }

    /**
     * The smallest chunk of at least {@code nb} bytes in nb's bin or the next non-empty one, or 0.
     * Among equal sizes the trie node, the oldest, is returned.
     */
    long bestFit(long nb) {
        long best = 0;
        long bestRest = Long.MAX_VALUE;
        int i = index(nb);
        long t = 0;
        if ((map & (1 << i)) != 0) {
            t = root(i);
            long bits = nb << leftShift(i);
            long rightSubtree = 0; // the nearest right subtree passed over: all its sizes exceed nb
            while (true) {
                long rest = Chunk.size(chunk.head(t)) - nb;
                if (rest >= 0 && rest < bestRest) {
                    best = t;
                    bestRest = rest;
                    if (rest == 0) {
                        return best;
                    }
                }
                long right = chunk.child(t, 1);
                t = chunk.child(t, bits >>> 63);
                if (right != 0 && right != t) {
                    rightSubtree = right;
                }
                if (t == 0) {
                    t = rightSubtree;
                    break;
                }
                bits <<= 1;
            }
        }
        if (t == 0 && best == 0) {
            int larger = map & -(2 << i);
            if (larger == 0) {
                return 0;
            }
            t = root(Integer.numberOfTrailingZeros(larger));
        }
        return smallestUnder(t, best, bestRest, nb);
    }

    /** The smallest chunk in the first non-empty bin (every chunk there is larger than any small size). */
    long smallest() {
        long t = root(Integer.numberOfTrailingZeros(map));
        return smallestUnder(t, t, Chunk.size(chunk.head(t)), 0);
    }

    /** Walks the leftmost path under t, keeping the chunk whose size exceeds nb the least. */
    private long smallestUnder(long t, long best, long bestRest, long nb) {
        while (t != 0) {
            long rest = Chunk.size(chunk.head(t)) - nb;
            if (rest >= 0 && rest < bestRest) {
                bestRest = rest;
                best = t;
            }
            long left = chunk.child(t, 0);
            t = left != 0 ? left : chunk.child(t, 1);
        }
        return best;
    }

    private HeapCorruptionException corrupted(long at, long link) {
        return new HeapCorruptionException(name, "corrupted double-linked list: tree bin chunk 0x"
                + Long.toHexString(at) + " links to 0x" + Long.toHexString(link) + " which does not link back");
    }
}
