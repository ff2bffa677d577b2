package org.allockit.pool.small;

import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Every chunk of a small-object allocator, so that {@code free(address)} can find the chunk (and so
 * the size step) of an address without being told its size.
 *
 * <p>The address space is cut into granules of {@code 2^shift} bytes, no larger than the smallest
 * chunk, so at most one chunk starts strictly inside any granule. A hash map (Agrona's, no allocation
 * on lookup) keys each chunk under {@code 2g} for every granule {@code g} whose first byte it covers,
 * and under {@code 2g + 1} for the granule it starts inside (when it does not start on a granule
 * boundary). An address in granule {@code g} then belongs to the chunk under {@code 2g} or, failing
 * that, the one under {@code 2g + 1}, or to none: two hash probes, whatever the number of chunks.
 * Each chunk costs {@code bytes / 2^shift + 1} map entries (3 for a 4 KiB chunk in 2 KiB granules)
 * and is entered once, when its fixed allocator makes it. The chunks are also kept sorted by address
 * for heap walks and checks.
 *
 * <p>Invariant: the chunks do not overlap and each is entered under exactly the keys above.
 * Confined to the allocator's thread.
 */
final class ChunkDirectory {

    private final int shift;
    private final Long2ObjectHashMap<Chunk> granules = new Long2ObjectHashMap<>();
    private long[] starts = new long[16];
    private Chunk[] chunks = new Chunk[16];
    private int count;

    /** A directory for chunks of at least {@code smallestChunk} bytes. */
    ChunkDirectory(long smallestChunk) {
        this.shift = 63 - Long.numberOfLeadingZeros(smallestChunk);
    }

    int count() {
        return count;
    }

    /** The {@code i}-th chunk in address order. */
    Chunk chunk(int i) {
        return chunks[i];
    }

    /** The chunk holding {@code address}, or null when no chunk does. */
    Chunk find(long address) {
        long granule = address >>> shift;
        Chunk chunk = granules.get(granule << 1);
        if (chunk != null && chunk.contains(address)) {
            return chunk;
        }
        chunk = granules.get((granule << 1) | 1);
        return chunk != null && chunk.contains(address) ? chunk : null;
    }

    void add(Chunk chunk) {
        forEachKey(chunk, key -> granules.put(key, chunk));
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            chunks = Arrays.copyOf(chunks, count * 2);
        }
        int at = -Arrays.binarySearch(starts, 0, count, chunk.base) - 1;
        System.arraycopy(starts, at, starts, at + 1, count - at);
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        starts[at] = chunk.base;
        chunks[at] = chunk;
        count++;
    }

    void remove(Chunk chunk) {
        forEachKey(chunk, granules::remove);
        int at = Arrays.binarySearch(starts, 0, count, chunk.base);
        System.arraycopy(starts, at + 1, starts, at, count - at - 1);
        System.arraycopy(chunks, at + 1, chunks, at, count - at - 1);
        count--;
        chunks[count] = null;
    }

    /** Checks order, overlap and the hash entries; returns a description of the first break, or null. */
    String check() {
        for (int i = 0; i < count; i++) {
            Chunk chunk = chunks[i];
            if (i > 0 && chunks[i - 1].base + chunks[i - 1].bytes() > chunk.base) {
                return "chunks at 0x" + Long.toHexString(chunks[i - 1].base) + " and 0x" + Long.toHexString(chunk.base)
                        + " overlap or are out of order";
            }
            if (find(chunk.base) != chunk || find(chunk.base + chunk.bytes() - 1) != chunk) {
                return "chunk at 0x" + Long.toHexString(chunk.base) + " is not found by its own addresses";
            }
        }
        return null;
    }

    private void forEachKey(Chunk chunk, java.util.function.LongConsumer action) {
        long first = chunk.base >>> shift;
        long last = (chunk.base + chunk.bytes() - 1) >>> shift;
        boolean onBoundary = (chunk.base & ((1L << shift) - 1)) == 0;
        action.accept(onBoundary ? first << 1 : (first << 1) | 1);
        for (long granule = first + 1; granule <= last; granule++) {
            action.accept(granule << 1);
        }
    }
}
