package org.allockit.pool.growing;

import java.util.Arrays;
import org.allockit.pool.Backing;

/**
 * The chunk allocator shared by growing pools, after Doris's {@code ChunkAllocator}: chunk sizes are
 * powers of two, a given-back chunk goes onto the free list of its log2 size, and a later request of
 * that size pops it again without asking the backing. The bytes held in the lists never exceed the
 * reserve limit: a chunk that would pass it goes back to the backing at once.
 *
 * <p>Invariant: {@code cachedBytes == sum over lists of count * 2^index <= reserveLimit}.
 * Thread-safe: every pool of every thread may share one cache; one lock guards the lists (held for a
 * push or a pop only; the backing is called outside it).
 */
public final class ChunkCache implements AutoCloseable {

    private static final int CLASSES = 63;

    private final Backing backing;
    private final long reserveLimit;
    private final long[][] lists = new long[CLASSES][];
    private final int[] counts = new int[CLASSES];
    private long cachedBytes;
    private long obtainedBytes;
    private long peakObtainedBytes;
    private long hits;
    private long misses;

    /** A cache over {@code backing} that keeps at most {@code reserveLimit} free bytes. */
    public ChunkCache(Backing backing, long reserveLimit) {
        if (reserveLimit < 0) {
            throw new IllegalArgumentException("reserve limit " + reserveLimit + " is negative");
        }
        this.backing = backing;
        this.reserveLimit = reserveLimit;
        Arrays.setAll(lists, i -> new long[4]);
    }

    /** The backing chunks come from. */
    public Backing backing() {
        return backing;
    }

    /** A chunk of {@code size} bytes (a power of two), from the list of that size or else the backing. */
    public long obtain(long size) {
        int index = log2(size);
        synchronized (this) {
            int count = counts[index];
            if (count > 0) {
                counts[index] = count - 1;
                cachedBytes -= size;
                hits++;
                return lists[index][count - 1];
            }
            misses++;
        }
        long chunk = backing.obtain(size, 16);
        synchronized (this) {
            obtainedBytes += backing.footprint(size);
            peakObtainedBytes = Math.max(peakObtainedBytes, obtainedBytes);
        }
        return chunk;
    }

    /** Takes back a chunk of {@code size} bytes: onto its free list, or to the backing beyond the reserve limit. */
    public void give(long chunk, long size) {
        int index = log2(size);
        synchronized (this) {
            if (cachedBytes + size <= reserveLimit) {
                if (counts[index] == lists[index].length) {
                    lists[index] = Arrays.copyOf(lists[index], counts[index] * 2);
                }
                lists[index][counts[index]++] = chunk;
                cachedBytes += size;
                return;
            }
            obtainedBytes -= backing.footprint(size);
        }
        backing.give(chunk, size);
    }

    /** Gives every cached chunk back to the backing; returns the bytes given back. */
    public long trim() {
        long given = 0;
        for (int index = 0; index < CLASSES; index++) {
            long[] chunks;
            int count;
            synchronized (this) {
                count = counts[index];
                chunks = Arrays.copyOf(lists[index], count);
                counts[index] = 0;
                cachedBytes -= (long) count << index;
                obtainedBytes -= count * backing.footprint(1L << index);
            }
            for (int i = 0; i < count; i++) {
                backing.give(chunks[i], 1L << index);
            }
            given += (long) count << index;
        }
        return given;
    }

    /** Free bytes held in the lists. */
    public synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Bytes obtained from the backing and not given back (cached or in pools). */
    public synchronized long footprintBytes() {
        return obtainedBytes;
    }

    /** The largest footprint so far. */
    public synchronized long peakFootprintBytes() {
        return peakObtainedBytes;
    }

    /** Requests served from the lists. */
    public synchronized long hits() {
        return hits;
    }

    /** Requests that went to the backing. */
    public synchronized long misses() {
        return misses;
    }

    /** Trims and closes the backing (when the backing was created for this cache). */
    @Override
    public void close() {
        trim();
        backing.close();
    }

    private static int log2(long size) {
        if (size <= 0 || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("chunk size " + size + " is not a power of two");
        }
        return Long.numberOfTrailingZeros(size);
    }
}
