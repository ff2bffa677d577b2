package org.allockit.bench.contender;

import java.lang.foreign.Arena;
import java.lang.foreign.SegmentAllocator;

/**
 * One {@code Arena.ofShared()} cut up by {@code SegmentAllocator.slicingAllocator}: a bump pointer
 * that never frees, the fastest allocation there is and the limit of what a free-less design can
 * do. When a slab is used up the next one comes from the same arena, as a user's growing arena
 * would; past the {@link LeakBudget} the run ends with {@link ExhaustedException}.
 *
 * <p>Thread safety: none (the slicing allocator is a plain bump pointer).
 */
final class SlicingArenaContender extends Contender {

    /** 64 MiB slabs: the arena zeroes each one when it is taken. */
    static final long SLAB = 64L << 20;

    private final Arena arena = Arena.ofShared();
    private final long slab;
    private final long budget;
    private SegmentAllocator slices;
    private long slabs;

    SlicingArenaContender() {
        this(SLAB, LeakBudget.BYTES);
    }

    /** Slabs of {@code slab} bytes, {@code budget} bytes in all. */
    SlicingArenaContender(long slab, long budget) {
        super(Contenders.ARENA_SLICING);
        this.slab = slab;
        this.budget = budget;
        this.slices = nextSlab(slab);
    }

    @Override
    public long alloc(long size) {
        return alloc(size, 16);
    }

    @Override
    public long alloc(long size, long alignment) {
        try {
            return slices.allocate(size, alignment).address();
        } catch (IndexOutOfBoundsException e) {
            return allocSlowPath(size, alignment);
        }
    }

    private long allocSlowPath(long size, long alignment) {
        slices = nextSlab(Math.max(slab, size + alignment));
        return slices.allocate(size, alignment).address();
    }

    private SegmentAllocator nextSlab(long bytes) {
        if (slabs + bytes > budget) {
            throw new ExhaustedException(name() + " never frees: it sliced all of its " + (budget >> 20) + " MiB");
        }
        slabs += bytes;
        return SegmentAllocator.slicingAllocator(arena.allocate(bytes, 4096));
    }

    @Override
    public void free(long handle) {
    }

    @Override
    public long address(long handle) {
        return handle;
    }

    @Override
    public boolean threadSafe() {
        return false;
    }

    /** The slabs taken so far. */
    @Override
    public long footprint() {
        return slabs;
    }

    @Override
    public void close() {
        arena.close();
    }
}
