package org.allockit.core.os;

import org.allockit.core.MemoryProbe;

/**
 * A page source that tells a {@link MemoryProbe} about every range it reserves, gives back or marks
 * for huge pages, so the simulator's page model follows the allocator's dealings with the OS.
 * Thread-safe if the probe is.
 */
public final class ProbedPageSource implements PageSource {

    private final PageSource delegate;
    private final MemoryProbe probe;

    public ProbedPageSource(PageSource delegate, MemoryProbe probe) {
        this.delegate = delegate;
        this.probe = probe;
    }

    @Override
    public long pageSize() {
        return delegate.pageSize();
    }

    @Override
    public long reserve(long bytes, long alignment) {
        long address = delegate.reserve(bytes, alignment);
        probe.pagesReserved(address, bytes);
        return address;
    }

    @Override
    public void release(long address, long bytes) {
        delegate.release(address, bytes);
        probe.pagesReleased(address, bytes);
    }

    @Override
    public long resize(long address, long oldBytes, long newBytes) {
        long moved = delegate.resize(address, oldBytes, newBytes);
        if (moved != 0) {
            probe.pagesReleased(address, oldBytes);
            probe.pagesReserved(moved, newBytes);
        }
        return moved;
    }

    @Override
    public void decommit(long address, long bytes) {
        delegate.decommit(address, bytes);
        probe.pagesReleased(address, bytes);
    }

    @Override
    public void lazyFree(long address, long bytes) {
        delegate.lazyFree(address, bytes);
        probe.pagesReleased(address, bytes);
    }

    @Override
    public void adviseHugePages(long address, long bytes) {
        delegate.adviseHugePages(address, bytes);
        probe.hugePages(address, bytes);
    }

    @Override
    public long reservedBytes() {
        return delegate.reservedBytes();
    }
}
