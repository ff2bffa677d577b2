package org.allockit.pool.small;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.agrona.collections.Long2LongHashMap;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.Feature;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidSizeException;
import org.allockit.pool.Backing;
import org.allockit.pool.NativeMemory;

/**
 * Loki's small-object allocator: one {@link FixedAllocator} per size step ({@code alignment} bytes
 * apart, up to {@code maxObject}), chunks with their free list inside the free blocks and no header
 * on any block; larger requests go to the backing allocator.
 *
 * <p>A request of {@code n} bytes goes to step {@code (n + alignment - 1) / alignment - 1}, whose
 * blocks are {@code (step + 1) * alignment} bytes. Loki's {@code Deallocate(p, size)} is told the
 * size, and {@link #free(long, long)} works the same way: the size names the step, whose vicinity
 * search finds the chunk (a step or two when frees follow allocation order, up to all the step's
 * chunks when they come in random order). {@link #free(long)} is not told the size, so every chunk is
 * also entered in a {@link ChunkDirectory}, a hash map from address granules (as large as the
 * smallest chunk) to chunks: that free costs two hash probes at most, whatever the number of chunks,
 * which give the chunk and its step directly, then a one-byte push. The directory costs about three
 * map entries per chunk on the Java heap (some 100 bytes, under 3% of a 4 KiB chunk) and a sorted
 * insert per new chunk (for walks in address order). An address outside every
 * chunk is looked up among the large blocks, else rejected as foreign; an address inside a chunk but
 * not at a block start is rejected as interior; a block already free (its bit in the chunk's in-use
 * bitmap clear) is rejected as a double free. Rejections change nothing.
 *
 * <p>Footprint: chunk bytes are exactly {@code blocks * blockSize}, and each step keeps at most one
 * empty chunk ({@link #trim()} releases those too). Not thread-safe: confine an instance to one thread
 * (as Loki's {@code SingleThreaded} policy) or guard it.
 */
public final class SmallObjectAllocator implements Allocator {

    /** The registry name. */
    public static final String NAME = "small";
    /** Loki's default largest small object. */
    public static final int DEFAULT_MAX_OBJECT = 256;
    /** The default size step, and the alignment of {@link #alloc(long)}. */
    public static final int DEFAULT_ALIGNMENT = 8;
    /** Loki's default chunk size target. */
    public static final long DEFAULT_PAGE = 4096;
    /** The alignment of every chunk, so blocks of sizes that are multiples of it are aligned to it. */
    private static final long CHUNK_ALIGNMENT = 16;

    private final Backing backing;
    private final int maxObject;
    private final int alignment;
    private final int shift;
    private final FixedAllocator[] steps;
    private final ChunkDirectory directory;
    private final Footprint footprint = new Footprint();
    private final Long2LongHashMap large = new Long2LongHashMap(-1);
    private long largeBytes;
    private long allocations;
    private long frees;
    private boolean closed;

    /** Loki's defaults: objects up to 256 bytes in steps of 8, chunks of about a page. */
    public SmallObjectAllocator(Backing backing) {
        this(backing, DEFAULT_MAX_OBJECT, DEFAULT_ALIGNMENT, DEFAULT_PAGE);
    }

    /**
     * Objects up to {@code maxObject} bytes (a multiple of {@code alignment}) in steps of {@code alignment}
     * (a power of two up to 16), each step's chunks holding {@code page / blockSize} blocks (8 to 255).
     */
    public SmallObjectAllocator(Backing backing, int maxObject, int alignment, long page) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1 || alignment > CHUNK_ALIGNMENT) {
            throw new IllegalArgumentException(NAME + ": alignment " + alignment + " must be a power of two up to "
                    + CHUNK_ALIGNMENT);
        }
        if (maxObject < alignment || maxObject % alignment != 0 || maxObject > 1 << 20) {
            throw new IllegalArgumentException(NAME + ": max object " + maxObject + " must be a multiple of "
                    + alignment + " up to 1 MiB");
        }
        if (page <= 0 || page > 1 << 30) {
            throw new IllegalArgumentException(NAME + ": page " + page + " must be positive and at most 1 GiB");
        }
        this.backing = backing;
        this.maxObject = maxObject;
        this.alignment = alignment;
        this.shift = Integer.numberOfTrailingZeros(alignment);
        this.steps = new FixedAllocator[maxObject / alignment];
        long smallestChunk = Long.MAX_VALUE;
        for (int i = 0; i < steps.length; i++) {
            int blockSize = (i + 1) * alignment;
            smallestChunk = Math.min(smallestChunk, (long) FixedAllocator.blocksPerChunk(page, blockSize) * blockSize);
        }
        this.directory = new ChunkDirectory(smallestChunk);
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new FixedAllocator((i + 1) * alignment, page, CHUNK_ALIGNMENT, backing, directory, footprint);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long alloc(long size) {
        if (size >= 0 && size <= maxObject && !closed) { // the common case, checked in one go
            allocations++;
            return steps[step(size)].allocate();
        }
        return alloc(size, alignment);
    }

    @Override
    public long alloc(long size, long requiredAlignment) {
        InvalidSizeException.check(NAME, size, requiredAlignment);
        checkOpen("alloc");
        // a block size that is a multiple of the alignment, in a chunk aligned to at least that, is aligned
        long rounded = requiredAlignment <= alignment ? size : NativeMemory.alignUp(Math.max(size, 1), requiredAlignment);
        if (rounded <= maxObject && requiredAlignment <= CHUNK_ALIGNMENT) {
            allocations++;
            return steps[step(rounded)].allocate();
        }
        return allocLarge(size, requiredAlignment);
    }

    @Override
    public void free(long address) {
        checkOpen("free");
        Chunk chunk = directory.find(address);
        if (chunk == null) {
            freeLarge(address);
            return;
        }
        Chunk.Outcome outcome = chunk.owner.deallocate(chunk, address);
        if (outcome != Chunk.Outcome.FREED) {
            throw rejected("free", address, outcome);
        }
        frees++;
    }

    /**
     * Loki's sized free: {@code size} (what was asked for, or anything in the same step) names the
     * step, and its vicinity search finds the chunk, without the directory. A block that no chunk of
     * that step holds is rejected (wrong size, or not a block).
     */
    public void free(long address, long size) {
        checkOpen("free");
        if (size < 0 || size > maxObject) {
            freeLarge(address);
            return;
        }
        Chunk.Outcome outcome = steps[step(size)].deallocate(address);
        if (outcome == null) {
            throw new InvalidAddressException(NAME, "free", address, InvalidAddressException.Reason.FOREIGN,
                    "invalid pointer: no chunk of the " + stepSize(size) + "-byte step holds it (wrong size?)");
        }
        if (outcome != Chunk.Outcome.FREED) {
            throw rejected("free", address, outcome);
        }
        frees++;
    }

    @Override
    public long reallocate(long address, long newSize) {
        InvalidSizeException.check(NAME, newSize, alignment);
        checkOpen("reallocate");
        if (address == 0) {
            return alloc(newSize);
        }
        long usable = usableSize(address);
        if (newSize <= usable && directory.find(address) != null && step(Math.max(newSize, 1)) == step(usable)) {
            return address;
        }
        long moved = alloc(newSize);
        NativeMemory.copy(address, moved, Math.min(usable, newSize));
        free(address);
        return moved;
    }

    @Override
    public long usableSize(long address) {
        checkOpen("usableSize");
        Chunk chunk = directory.find(address);
        if (chunk == null) {
            long size = large.get(address);
            if (size < 0) {
                throw foreign("usableSize", address);
            }
            return size;
        }
        long offset = address - chunk.base;
        if (offset % chunk.blockSize != 0) {
            throw rejected("usableSize", address, Chunk.Outcome.INTERIOR);
        }
        if (!chunk.isInUse((int) (offset / chunk.blockSize))) {
            throw rejected("usableSize", address, Chunk.Outcome.ALREADY_FREE);
        }
        return chunk.blockSize;
    }

    /** The block size a request of {@code size} bytes gets (the size rounded to a step), or {@code size} when large. */
    public long stepSize(long size) {
        return size <= maxObject ? (long) (step(size) + 1) * alignment : size;
    }

    @Override
    public AllocatorStats stats() {
        checkOpen("stats");
        long live = large.size();
        long usable = largeBytes;
        List<AllocatorStats.Group> groups = new ArrayList<>();
        for (FixedAllocator step : steps) {
            if (step.chunkCount() > 0) {
                live += step.liveBlocks();
                usable += step.liveBlocks() * step.blockSize;
                groups.add(new AllocatorStats.Group("step " + step.blockSize + " B", step.blockSize,
                        step.liveBlocks(), step.freeBlocks(), step.freeBlocks() * step.blockSize,
                        step.footprintBytes()));
            }
        }
        groups.add(new AllocatorStats.Group("large", 0, large.size(), 0, 0, footprintOfLarge()));
        return new AllocatorStats(live, AllocatorStats.UNKNOWN, usable, footprint.bytes(), footprint.peak(), 0,
                allocations, frees, groups);
    }

    @Override
    public void verify() {
        checkOpen("verify");
        String broken = directory.check();
        int chunks = 0;
        for (int i = 0; broken == null && i < steps.length; i++) {
            broken = steps[i].check();
            chunks += steps[i].chunkCount();
            if (broken != null) {
                broken = "step " + steps[i].blockSize + " B: " + broken;
            }
        }
        if (broken == null && chunks != directory.count()) {
            broken = "the directory lists " + directory.count() + " chunks, the steps hold " + chunks;
        }
        if (broken != null) {
            throw new HeapCorruptionException(NAME, broken);
        }
    }

    /** Every chunk in address order, block by block (runs merged), then each large block. */
    @Override
    public boolean walk(HeapVisitor visitor) {
        checkOpen("walk");
        for (int c = 0; c < directory.count(); c++) {
            Chunk chunk = directory.chunk(c);
            int runStart = 0;
            for (int i = 1; i <= chunk.blocks; i++) {
                if (i == chunk.blocks || chunk.isInUse(i) != chunk.isInUse(runStart)) {
                    visitor.range(chunk.base + (long) runStart * chunk.blockSize,
                            (long) (i - runStart) * chunk.blockSize,
                            chunk.isInUse(runStart) ? HeapVisitor.State.IN_USE : HeapVisitor.State.FREE);
                    runStart = i;
                }
            }
        }
        large.forEach((address, size) -> visitor.range(address, Math.max(size, 1), HeapVisitor.State.IN_USE));
        return true;
    }

    /** Releases each step's empty chunk. */
    @Override
    public long trim() {
        checkOpen("trim");
        long released = 0;
        for (FixedAllocator step : steps) {
            released += step.releaseEmpty();
        }
        return released;
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.INDIVIDUAL_FREE, Feature.REALLOCATE, Feature.EXACT_STATS, Feature.RETURNS_MEMORY,
                Feature.DETECTS_DOUBLE_FREE, Feature.DETECTS_FOREIGN_ADDRESS, Feature.DETECTS_INTERIOR_ADDRESS,
                Feature.HEAP_WALK);
    }

    /** Gives every chunk and large block back, live or not. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FixedAllocator step : steps) {
            step.releaseAll();
        }
        large.forEach((address, size) -> backing.give(address, Math.max(size, 1)));
        large.clear();
        backing.close();
    }

    /** The fixed allocator of the step that serves {@code size} bytes (for tests and stats). */
    FixedAllocator stepFor(long size) {
        return steps[step(size)];
    }

    private int step(long size) {
        return (int) ((Math.max(size, 1) + alignment - 1) >>> shift) - 1;
    }

    private long allocLarge(long size, long requiredAlignment) {
        long bytes = Math.max(size, 1);
        long address = backing.obtainFor(name(), bytes, Math.max(requiredAlignment, CHUNK_ALIGNMENT));
        large.put(address, size);
        largeBytes += size;
        footprint.add(backing.footprint(bytes));
        allocations++;
        return address;
    }

    private void freeLarge(long address) {
        long size = large.remove(address);
        if (size < 0) {
            throw foreign("free", address);
        }
        backing.give(address, Math.max(size, 1));
        largeBytes -= size;
        footprint.remove(backing.footprint(Math.max(size, 1)));
        frees++;
    }

    private long footprintOfLarge() {
        long[] sum = {0};
        large.forEach((address, size) -> sum[0] += backing.footprint(Math.max(size, 1)));
        return sum[0];
    }

    private static InvalidAddressException rejected(String operation, long address, Chunk.Outcome outcome) {
        return outcome == Chunk.Outcome.ALREADY_FREE
                ? new DoubleFreeException(NAME, operation, address, "the block is already free")
                : new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.INTERIOR,
                        "invalid pointer: inside a block, not at its start");
    }

    /** An address in no chunk and not a large block: inside a large block (a scan, on this error path only), or foreign. */
    private InvalidAddressException foreign(String operation, long address) {
        boolean[] inside = {false};
        large.forEach((start, size) -> inside[0] |= address > start && address < start + Math.max(size, 1));
        return inside[0]
                ? new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.INTERIOR,
                        "invalid pointer: inside a large block, not at its start")
                : new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.FOREIGN,
                        "invalid pointer: in no chunk and no large block of this allocator");
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new AllocatorClosedException(NAME, operation);
        }
    }
}
