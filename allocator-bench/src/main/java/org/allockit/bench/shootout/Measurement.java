package org.allockit.bench.shootout;

import java.util.List;

/**
 * What one cell of the shoot-out measured. Figures a contender cannot give are -1 (footprints) or
 * NaN (ratios).
 *
 * @param nsPerOp            CPU nanoseconds of the workload threads per operation over the measured time
 * @param operations         operations measured
 * @param elapsedNanos       wall-clock time measured
 * @param peakFootprintBytes the most the contender held from the OS at a sample, or -1
 * @param peakLiveBytes      the most bytes the workload held live at a sample
 * @param rssGrowthBytes     the process's resident-set growth over the cell, at its peak
 * @param allocBytesPerOp    Java heap bytes allocated per operation by the workload threads (garbage)
 * @param note               why a cell was skipped or stopped early; empty when it ran through
 * @param timeline           the samples, for the footprint-over-time charts
 * @param heapMap            the heap after the workload, for workloads that map it and allocators that walk; or null
 * @param simulated          the simulated pass's misses and cycles, or null when there was none (a baseline,
 *                           a second thread count, or {@code --no-sim})
 */
public record Measurement(Cell cell, double nsPerOp, long operations, long elapsedNanos,
                          long peakFootprintBytes, long peakLiveBytes, long rssGrowthBytes,
                          double allocBytesPerOp, String note, List<Sample> timeline, HeapMap heapMap,
                          Simulated simulated) {

    public Measurement {
        timeline = List.copyOf(timeline);
    }

    /** A cell that did not run, and why. */
    public static Measurement skipped(Cell cell, String why) {
        return new Measurement(cell, Double.NaN, 0, 0, -1, 0, 0, Double.NaN, why, List.of(), null, null);
    }

    /** This measurement with the figures of its simulated pass. */
    public Measurement with(Simulated figures) {
        return new Measurement(cell, nsPerOp, operations, elapsedNanos, peakFootprintBytes, peakLiveBytes,
                rssGrowthBytes, allocBytesPerOp, note, timeline, heapMap, figures);
    }

    /** Whether the cell measured a time. */
    public boolean measured() {
        return operations > 0 && !Double.isNaN(nsPerOp);
    }

    /** Peak footprint over peak live bytes, or NaN when either is unknown. */
    public double footprintPerLive() {
        return peakFootprintBytes < 0 || peakLiveBytes <= 0 ? Double.NaN : (double) peakFootprintBytes / peakLiveBytes;
    }
}
