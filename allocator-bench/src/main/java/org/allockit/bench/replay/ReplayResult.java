package org.allockit.bench.replay;

/**
 * What one replay of a trace against one allocator measured.
 *
 * @param allocator           the allocator's registry name
 * @param trace               the trace's name
 * @param operations          operations replayed
 * @param nanos               time spent in the operations (pattern writes and checks included,
 *                            sampling excluded), wall-clock
 * @param cpuNanos            the same in CPU time of the replaying thread (user and system: page
 *                            faults count), steadier than wall time on a busy machine
 * @param peakLiveBytes       the most bytes requested by blocks live at once
 * @param peakFootprintBytes  the largest footprint seen (see {@code footprintFromRss})
 * @param finalFootprintBytes the footprint after every block was freed and the allocator trimmed
 * @param peakRssGrowthBytes  the largest resident-set growth seen since before the allocator was created
 * @param finalRssGrowthBytes the resident-set growth after every block was freed and the allocator trimmed
 * @param footprintFromRss    true when the allocator does not know its footprint, which is then the
 *                            resident-set growth
 * @param blocksLeft          blocks live at the end of the trace, freed by the replayer
 * @param samples             footprint and resident-set samples taken
 */
public record ReplayResult(
        String allocator,
        String trace,
        long operations,
        long nanos,
        long cpuNanos,
        long peakLiveBytes,
        long peakFootprintBytes,
        long finalFootprintBytes,
        long peakRssGrowthBytes,
        long finalRssGrowthBytes,
        boolean footprintFromRss,
        long blocksLeft,
        long samples) {

    /** Nanoseconds per operation. */
    public double nanosPerOperation() {
        return operations == 0 ? 0 : (double) nanos / operations;
    }

    /** CPU nanoseconds per operation. */
    public double cpuNanosPerOperation() {
        return operations == 0 ? 0 : (double) cpuNanos / operations;
    }

    /** Peak footprint over peak live bytes: 1.0 is no overhead; NaN for a trace that allocates nothing. */
    public double footprintPerLive() {
        return peakLiveBytes == 0 ? Double.NaN : (double) peakFootprintBytes / peakLiveBytes;
    }
}
