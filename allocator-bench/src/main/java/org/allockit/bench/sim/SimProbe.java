package org.allockit.bench.sim;

import org.allockit.core.MemoryProbe;

/**
 * The {@link MemoryProbe} that feeds an allocator's own accesses into a {@link Simulator} as
 * {@linkplain CacheLevel#METADATA metadata}, and its dealings with the OS into the page model
 * (released ranges fault again, huge-page ranges map as 2 MiB pages). The driver switches the
 * simulator back to {@linkplain CacheLevel#USER user} data before its own touches. Blocks handed out
 * and taken back are counted. Single-threaded, like the simulator.
 */
public final class SimProbe implements MemoryProbe {

    private final Simulator sim;
    private long blocksAllocated;
    private long blocksFreed;
    private long reservedBytes;

    public SimProbe(Simulator sim) {
        this.sim = sim;
    }

    @Override
    public void metadataRead(long address, int size) {
        sim.source(CacheLevel.METADATA);
        sim.read(address, size);
    }

    @Override
    public void metadataWrite(long address, int size) {
        sim.source(CacheLevel.METADATA);
        sim.write(address, size);
    }

    @Override
    public void blockAllocated(long address, long requested, long usable) {
        blocksAllocated++;
    }

    @Override
    public void blockFreed(long address, long usable) {
        blocksFreed++;
    }

    @Override
    public void pagesReserved(long address, long bytes) {
        reservedBytes += bytes;
    }

    @Override
    public void pagesReleased(long address, long bytes) {
        sim.release(address, bytes);
    }

    @Override
    public void hugePages(long address, long bytes) {
        sim.markHuge(address, bytes);
    }

    /** Blocks the allocator reported handing out (0 for one that reports nothing). */
    public long blocksAllocated() {
        return blocksAllocated;
    }

    public long blocksFreed() {
        return blocksFreed;
    }

    /** Address space the allocator reserved through its page source. */
    public long reservedBytes() {
        return reservedBytes;
    }
}
