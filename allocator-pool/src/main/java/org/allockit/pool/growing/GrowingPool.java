package org.allockit.pool.growing;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.pool.Backing;
import org.allockit.pool.NativeMemory;
import org.allockit.pool.SizeTracker;

/**
 * A growing pool after Doris's {@code MemPool}: bump allocation in chunks that start small and double
 * (4 KiB to 512 KiB by default), for memory that is dropped all at once, such as the rows of one batch.
 *
 * <p>Chunks come from a {@link ChunkCache}, which may be shared by many pools. The chunk table is kept
 * in order: chunks {@code 0..current} hold data, the ones after {@code current} are free (kept by
 * {@link #clear()}) and are reused before a new chunk is asked for. A request larger than the next
 * chunk size gets a chunk of its own size (rounded to a power of two). {@link #clear()} keeps the
 * chunks, {@link #freeAll()} gives them back to the cache, and {@link #acquireData} moves the chunks
 * holding another pool's data, with their accounting, into this one.
 *
 * <p>Invariants: {@code used[i] <= size[i]}; {@code used[i] == 0} for {@code i > current};
 * {@code allocatedBytes == sum(used)}; {@code reservedBytes == sum(size)}. Blocks have no header, so
 * they cannot be freed alone ({@link UnsupportedOperationException}), and {@link #usableSize} works
 * only in the {@code trackSizes} debugging mode (a hash-map insert per allocation).
 *
 * <p>Not thread-safe: a pool belongs to one thread at a time (the shared cache is thread-safe).
 */
public final class GrowingPool implements Allocator {

    /** The registry name. */
    public static final String NAME = "growing";
    /** Doris's first chunk. */
    public static final long DEFAULT_INITIAL_CHUNK = 4 * 1024;
    /** Doris's largest doubled chunk. */
    public static final long DEFAULT_MAX_CHUNK = 512 * 1024;
    /** The alignment of {@link #alloc(long)} and of every chunk. */
    public static final long ALIGNMENT = 16;

    private final ChunkCache cache;
    private final boolean ownsCache;
    private final long initialChunk;
    private final long maxChunk;
    private final SizeTracker tracked;

    private final ChunkTable table = new ChunkTable();
    private int current = -1;
    private long nextChunkSize;

    private long allocatedBytes;
    private long requestedBytes;
    private long usableBytes;
    private long reservedBytes;
    private long peakReservedBytes;
    private long liveBlocks;
    private long allocations;
    private long frees;
    private boolean closed;

    /** A pool with Doris's chunk sizes over a cache it shares with others (and does not close). */
    public GrowingPool(ChunkCache cache) {
        this(cache, false, DEFAULT_INITIAL_CHUNK, DEFAULT_MAX_CHUNK, false);
    }

    /**
     * A pool whose chunks double from {@code initialChunk} to {@code maxChunk} (powers of two); when
     * {@code ownsCache}, {@link #close()} closes the cache too; with {@code trackSizes}, block sizes
     * are recorded so {@link #usableSize} works.
     */
    public GrowingPool(ChunkCache cache, boolean ownsCache, long initialChunk, long maxChunk, boolean trackSizes) {
        if (Long.bitCount(initialChunk) != 1 || Long.bitCount(maxChunk) != 1 || initialChunk < ALIGNMENT
                || maxChunk < initialChunk || maxChunk > 1L << 40) {
            throw new IllegalArgumentException(NAME + ": chunk sizes " + initialChunk + " to " + maxChunk
                    + " must be powers of two, at least " + ALIGNMENT + ", increasing, at most 1 TiB");
        }
        this.cache = cache;
        this.ownsCache = ownsCache;
        this.initialChunk = initialChunk;
        this.maxChunk = maxChunk;
        this.nextChunkSize = initialChunk;
        this.tracked = new SizeTracker(trackSizes);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long alloc(long size) {
        return alloc(size, ALIGNMENT);
    }

    @Override
    public long alloc(long size, long alignment) {
        InvalidSizeException.check(NAME, size, alignment);
        checkOpen("alloc");
        long bytes = Math.max(size, 1); // every block distinct, even of size 0
        int chunk = current;
        if (chunk >= 0) {
            long base = table.address(chunk);
            long start = NativeMemory.alignUp(base + table.used(chunk), alignment);
            if (start + bytes <= base + table.size(chunk)) {
                return carve(chunk, start, bytes, size);
            }
        }
        return allocInNextChunk(bytes, size, alignment);
    }

    /** Forgets every block and keeps the chunks for reuse (Doris's {@code clear}). */
    public void clear() {
        checkOpen("clear");
        table.clearUse();
        current = table.count() > 0 ? 0 : -1;
        forgetBlocks();
    }

    /** Forgets every block and gives every chunk back to the cache (Doris's {@code free_all}). */
    public void freeAll() {
        checkOpen("freeAll");
        for (int i = 0; i < table.count(); i++) {
            cache.give(table.address(i), table.size(i));
        }
        table.clear();
        current = -1;
        reservedBytes = 0;
        nextChunkSize = initialChunk;
        forgetBlocks();
    }

    /**
     * Moves the chunks that hold {@code source}'s data, and their accounting, into this pool (Doris's
     * {@code acquire_data}): the blocks stay where they are and now live as long as this pool. With
     * {@code keepCurrent}, {@code source} keeps its current chunk, whose data stays there and whose free
     * space it goes on using; without, {@code source} ends up empty with all its chunks given back.
     * Both pools must share one cache.
     */
    public void acquireData(GrowingPool source, boolean keepCurrent) {
        checkOpen("acquireData");
        source.checkOpen("acquireData");
        if (source == this || source.cache != cache) {
            throw new IllegalArgumentException(NAME + ": acquireData needs another pool over the same chunk cache");
        }
        int moving = source.current < 0 ? 0
                : keepCurrent || source.table.used(source.current) == 0 ? source.current : source.current + 1;
        long used = 0;
        long requested = 0;
        long usable = 0;
        long blocks = 0;
        long size = 0;
        for (int i = 0; i < moving; i++) {
            used += source.table.used(i);
            requested += source.table.requested(i);
            usable += source.table.usable(i);
            blocks += source.table.blocks(i);
            size += source.table.size(i);
        }
        source.tracked.moveTo(tracked, address -> source.holds(address, moving));
        int at = current < 0 ? 0 : current; // data chunks go before our current one, which keeps its free space
        table.insertFrom(at, source.table, moving);
        current = current < 0 ? moving - 1 : current + moving;
        account(used, requested, usable, blocks, size);
        source.table.removeFirst(moving);
        source.current = source.table.count() == 0 ? -1 : Math.max(source.current - moving, 0);
        source.account(-used, -requested, -usable, -blocks, -size);
        if (!keepCurrent) {
            source.freeAll();
        }
    }

    /** Blocks cannot be freed alone: {@link #clear()} or {@link #freeAll()} frees them all. */
    @Override
    public void free(long address) {
        checkOpen("free");
        throw refused("free", address);
    }

    @Override
    public long reallocate(long address, long newSize) {
        InvalidSizeException.check(NAME, newSize, ALIGNMENT);
        checkOpen("reallocate");
        if (address == 0) {
            return alloc(newSize);
        }
        throw refused("reallocate", address);
    }

    @Override
    public long usableSize(long address) {
        checkOpen("usableSize");
        long size = tracked.size(address);
        if (size < 0) {
            throw refused("usableSize", address);
        }
        return size;
    }

    @Override
    public AllocatorStats stats() {
        checkOpen("stats");
        long dataBytes = 0;
        for (int i = 0; i <= current; i++) {
            dataBytes += table.size(i);
        }
        List<AllocatorStats.Group> groups = List.of(
                new AllocatorStats.Group("chunks with data", 0, liveBlocks, 0, dataBytes - allocatedBytes, dataBytes),
                new AllocatorStats.Group("free chunks", 0, 0, table.count() - 1 - current,
                        reservedBytes - dataBytes, reservedBytes - dataBytes));
        return new AllocatorStats(liveBlocks, requestedBytes, usableBytes, reservedBytes, peakReservedBytes,
                0, allocations, frees, groups);
    }

    @Override
    public void verify() {
        checkOpen("verify");
        long used = 0;
        long requested = 0;
        long usable = 0;
        long size = 0;
        long blocks = 0;
        for (int i = 0; i < table.count(); i++) {
            if (table.used(i) < 0 || table.used(i) > table.size(i) || (i > current && table.used(i) != 0)) {
                throw new HeapCorruptionException(NAME, "chunk " + i + " at 0x" + Long.toHexString(table.address(i))
                        + " has " + table.used(i) + " of " + table.size(i) + " bytes used (current " + current + ")");
            }
            used += table.used(i);
            requested += table.requested(i);
            usable += table.usable(i);
            size += table.size(i);
            blocks += table.blocks(i);
        }
        if (used != allocatedBytes || requested != requestedBytes || usable != usableBytes || size != reservedBytes
                || blocks != liveBlocks
                || current >= table.count()) {
            throw new HeapCorruptionException(NAME, "chunk table sums (" + used + " used, " + size + " reserved, "
                    + blocks + " blocks) disagree with the counters (" + allocatedBytes + ", " + reservedBytes
                    + ", " + liveBlocks + ")");
        }
    }

    /** Each chunk's used part and free tail, in table order. */
    @Override
    public boolean walk(HeapVisitor visitor) {
        checkOpen("walk");
        for (int i = 0; i < table.count(); i++) {
            long used = table.used(i);
            if (used > 0) {
                visitor.range(table.address(i), used, HeapVisitor.State.IN_USE);
            }
            if (table.size(i) > used) {
                visitor.range(table.address(i) + used, table.size(i) - used, HeapVisitor.State.FREE);
            }
        }
        return true;
    }

    /** Gives chunks back to the cache: the free ones after {@code current}. */
    @Override
    public long trim() {
        checkOpen("trim");
        long given = 0;
        while (table.count() - 1 > current) {
            int last = table.count() - 1;
            given += table.size(last);
            cache.give(table.address(last), table.size(last));
            table.removeLast();
        }
        reservedBytes -= given;
        return given;
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.EXACT_STATS, Feature.HEAP_WALK);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        freeAll();
        closed = true;
        if (ownsCache) {
            cache.close();
        }
    }

    private long carve(int chunk, long start, long bytes, long size) {
        long base = table.address(chunk);
        allocatedBytes += start + bytes - base - table.used(chunk);
        table.carve(chunk, start + bytes - base, size, bytes);
        requestedBytes += size;
        usableBytes += bytes;
        liveBlocks++;
        allocations++;
        tracked.record(start, bytes);
        return start;
    }

    /** The current chunk is full: take the next free chunk that fits, else a new one after {@code current}. */
    private long allocInNextChunk(long bytes, long size, long alignment) {
        long need = bytes + (alignment > ALIGNMENT ? alignment : 0);
        for (int i = current + 1; i < table.count(); i++) {
            if (table.size(i) >= need) {
                table.swap(i, current + 1);
                current++;
                return carve(current, NativeMemory.alignUp(table.address(current), alignment), bytes, size);
            }
        }
        long chunkBytes = Math.max(nextChunkSize, Long.highestOneBit(need - 1) << 1);
        if (chunkBytes <= 0 || chunkBytes > Allocator.MAX_SIZE) {
            // The size itself can be addressed, but chunks are powers of two and this one cannot be had.
            throw new OutOfNativeMemoryError(NAME, size, "needs a power-of-two chunk beyond " + Allocator.MAX_SIZE + " bytes");
        }
        long chunk;
        try {
            chunk = cache.obtain(chunkBytes);
        } catch (OutOfNativeMemoryError e) {
            throw Backing.outOfMemory(NAME, e);
        }
        if (nextChunkSize < maxChunk && chunkBytes == nextChunkSize) {
            nextChunkSize *= 2;
        }
        table.insert(current + 1, chunk, chunkBytes);
        current++;
        account(0, 0, 0, 0, chunkBytes);
        return carve(current, NativeMemory.alignUp(chunk, alignment), bytes, size);
    }

    /** Adds chunks' bytes and blocks to the counters (negative when they leave). */
    private void account(long used, long requested, long usable, long blocks, long size) {
        allocatedBytes += used;
        requestedBytes += requested;
        usableBytes += usable;
        liveBlocks += blocks;
        reservedBytes += size;
        peakReservedBytes = Math.max(peakReservedBytes, reservedBytes);
    }

    private void forgetBlocks() {
        frees += liveBlocks;
        liveBlocks = 0;
        allocatedBytes = 0;
        requestedBytes = 0;
        usableBytes = 0;
        tracked.clear();
    }

    /** True when {@code address} is in the current chunk (the one {@code acquireData} may leave behind). */
    boolean inCurrentChunk(long address) {
        return current >= 0 && address >= table.address(current) && address < table.address(current) + table.size(current);
    }

    /** True when {@code address} is in the used part of one of the first {@code chunks} chunks. */
    private boolean holds(long address, int chunks) {
        for (int i = 0; i < chunks; i++) {
            if (address >= table.address(i) && address < table.address(i) + table.used(i)) {
                return true;
            }
        }
        return false;
    }

    private RuntimeException refused(String operation, long address) {
        if (holds(address, current + 1)) {
            return new UnsupportedOperationException(NAME + ": " + operation + "(0x" + Long.toHexString(address)
                    + "): a growing pool frees its blocks only all at once (clear() or freeAll())");
        }
        return new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.FOREIGN,
                "invalid pointer: not a block of this pool");
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new AllocatorClosedException(NAME, operation);
        }
    }
}
