package org.allockit.pool.small;

import java.util.Arrays;

/**
 * Every chunk of a small-object allocator, sorted by address (starts and ends in arrays of their own,
 * so a search touches no chunk object), so that {@code free(address)} can find
 * which chunk (and so which size step) an address belongs to without being told its size: a binary
 * search over the chunk starts, {@code O(log chunks)} comparisons (12 for 4,000 chunks). A one-entry
 * cache of the last chunk found makes repeated frees into the same chunk one comparison. Chunks are
 * added and removed only when a fixed allocator makes or releases one (once per up to 255 blocks).
 *
 * <p>Invariant: {@code starts} is strictly increasing and the chunks do not overlap. Confined to the
 * allocator's thread.
 */
final class ChunkDirectory {

    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private Chunk[] chunks = new Chunk[16];
    private FixedAllocator[] owners = new FixedAllocator[16];
    private int count;
    private int lastHit = -1;

    int count() {
        return count;
    }

    Chunk chunk(int i) {
        return chunks[i];
    }

    FixedAllocator owner(int i) {
        return owners[i];
    }

    /** The position of the chunk holding {@code address}, or -1 when no chunk does. */
    int find(long address) {
        int hit = lastHit;
        if (hit >= 0 && address >= starts[hit] && address < ends[hit]) {
            return hit;
        }
        if (count == 0 || address < starts[0]) {
            return -1;
        }
        // Branch-free binary search for the last start <= address: the JIT turns the select into a
        // conditional move, so random addresses cost no mispredicted branches.
        int found = 0;
        for (int n = count; n > 1; ) {
            int half = n >>> 1;
            found = starts[found + half] <= address ? found + half : found;
            n -= half;
        }
        if (address < ends[found]) {
            lastHit = found;
            return found;
        }
        return -1;
    }

    void add(Chunk chunk, FixedAllocator owner) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            chunks = Arrays.copyOf(chunks, count * 2);
            owners = Arrays.copyOf(owners, count * 2);
        }
        int at = Arrays.binarySearch(starts, 0, count, chunk.base);
        if (at >= 0) {
            throw new IllegalStateException("chunk at 0x" + Long.toHexString(chunk.base) + " is already listed");
        }
        at = -at - 1;
        System.arraycopy(starts, at, starts, at + 1, count - at);
        System.arraycopy(ends, at, ends, at + 1, count - at);
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        System.arraycopy(owners, at, owners, at + 1, count - at);
        starts[at] = chunk.base;
        ends[at] = chunk.base + chunk.bytes();
        chunks[at] = chunk;
        owners[at] = owner;
        count++;
        lastHit = -1;
    }

    void remove(Chunk chunk) {
        int at = Arrays.binarySearch(starts, 0, count, chunk.base);
        System.arraycopy(starts, at + 1, starts, at, count - at - 1);
        System.arraycopy(ends, at + 1, ends, at, count - at - 1);
        System.arraycopy(chunks, at + 1, chunks, at, count - at - 1);
        System.arraycopy(owners, at + 1, owners, at, count - at - 1);
        count--;
        chunks[count] = null;
        owners[count] = null;
        lastHit = -1;
    }

    /** Checks the order; returns a description of the first break, or null. */
    String check() {
        for (int i = 1; i < count; i++) {
            if (ends[i - 1] > starts[i] || ends[i - 1] != starts[i - 1] + chunks[i - 1].bytes()) {
                return "chunks at 0x" + Long.toHexString(starts[i - 1]) + " and 0x" + Long.toHexString(starts[i])
                        + " overlap or are out of order";
            }
        }
        return null;
    }
}
