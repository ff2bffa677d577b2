package org.allockit.bench.sim;

/**
 * Counts the distinct cache lines and 4 KiB pages each source touches within a window of
 * operations (the driver closes a window every 1,000 operations), and sums them over windows: a
 * measure of how spread out an allocator's and a workload's accesses are. Not thread-safe.
 */
public final class DistinctTouches {

    private final int lineBits;
    private final LongSet[] lines = new LongSet[CacheLevel.SOURCES];
    private final LongSet[] pages = new LongSet[CacheLevel.SOURCES];
    private final long[] lineTotal = new long[CacheLevel.SOURCES];
    private final long[] pageTotal = new long[CacheLevel.SOURCES];
    private long windows;

    public DistinctTouches(int lineSize) {
        this.lineBits = Integer.numberOfTrailingZeros(lineSize);
        for (int s = 0; s < CacheLevel.SOURCES; s++) {
            lines[s] = new LongSet();
            pages[s] = new LongSet();
        }
    }

    void touch(int source, long address, int size) {
        long last = address + Math.max(size, 1) - 1;
        lines[source].add(address >>> lineBits);
        lines[source].add(last >>> lineBits);
        pages[source].add(address >>> TlbConfig.SMALL_PAGE_BITS);
        pages[source].add(last >>> TlbConfig.SMALL_PAGE_BITS);
    }

    /** Closes the current window: its distinct counts join the sums. */
    public void endWindow() {
        for (int s = 0; s < CacheLevel.SOURCES; s++) {
            lineTotal[s] += lines[s].size();
            pageTotal[s] += pages[s].size();
            lines[s].clear();
            pages[s].clear();
        }
        windows++;
    }

    /** Mean distinct lines one source touched per window. */
    public double linesPerWindow(int source) {
        return windows == 0 ? 0 : (double) lineTotal[source] / windows;
    }

    public double pagesPerWindow(int source) {
        return windows == 0 ? 0 : (double) pageTotal[source] / windows;
    }
}
