package org.allockit.core;

import java.util.List;

/**
 * A snapshot of what an allocator holds. Figures an allocator does not track are {@link #UNKNOWN}.
 *
 * @param liveBlocks         blocks allocated and not yet freed
 * @param liveRequestedBytes bytes asked for by the live blocks ({@link #UNKNOWN} where sizes are not recorded)
 * @param liveUsableBytes    usable bytes of the live blocks
 * @param footprintBytes     bytes obtained from the OS and not given back (touched or not)
 * @param peakFootprintBytes the largest footprint seen since creation
 * @param metadataBytes      bytes of the footprint the allocator uses for itself (headers, tables)
 * @param allocations        calls that returned a block (reallocations that moved count once more)
 * @param frees              blocks given back
 * @param groups             detail per bin, size class or arena, where the allocator has it
 */
public record AllocatorStats(
        long liveBlocks,
        long liveRequestedBytes,
        long liveUsableBytes,
        long footprintBytes,
        long peakFootprintBytes,
        long metadataBytes,
        long allocations,
        long frees,
        List<Group> groups) {

    /** The value of a figure the allocator does not track. */
    public static final long UNKNOWN = -1;

    public AllocatorStats {
        groups = List.copyOf(groups);
    }

    /** Stats with no per-group detail. */
    public AllocatorStats(long liveBlocks, long liveRequestedBytes, long liveUsableBytes, long footprintBytes,
                          long peakFootprintBytes, long metadataBytes, long allocations, long frees) {
        this(liveBlocks, liveRequestedBytes, liveUsableBytes, footprintBytes, peakFootprintBytes, metadataBytes,
                allocations, frees, List.of());
    }

    /**
     * Detail of one bin, size class or arena.
     *
     * @param label      what the group is ({@code "small bin 48"}, {@code "class 12 (256 B)"}, {@code "arena 1"})
     * @param blockSize  the size of each block in the group, or 0 where sizes vary
     * @param liveBlocks blocks in use
     * @param freeBlocks free blocks held (in bins, caches, free lists)
     * @param freeBytes  bytes held free
     * @param bytes      bytes of the footprint the group holds in all
     */
    public record Group(String label, long blockSize, long liveBlocks, long freeBlocks, long freeBytes, long bytes) {
    }

    /** Footprint divided by live usable bytes; infinite when nothing is live. */
    public double footprintPerLive() {
        return liveUsableBytes <= 0 ? Double.POSITIVE_INFINITY : (double) footprintBytes / liveUsableBytes;
    }
}
