package org.allockit.bench.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory model fed one access at a time: instruction fetches go through I1 and the shared
 * levels; data reads and writes through the page model (faults), the data TLBs and D1 and the shared
 * levels. A read-modify-write counts as one read, as in cachegrind. Every count is kept per
 * {@linkplain #source source}, so an allocator's metadata accesses can be told from the user's data.
 *
 * <p>Simulating an access allocates nothing (page-set growth aside). Not thread-safe: one thread
 * drives a simulator, or callers serialize.
 */
public final class Simulator {

    private final SimConfig config;
    private final CacheHierarchy caches;
    private final TlbHierarchy tlbs;
    private final PageModel pages;
    private final boolean pagesOrTlb;
    private final int clamp;
    private DistinctTouches distinct;
    private int source;
    private int sourceBase;
    private long time;

    public Simulator(SimConfig config) {
        this.config = config;
        Replacement r = config.replacement();
        long seed = config.seed();
        List<CacheLevel> shared = new ArrayList<>();
        for (int i = 0; i < config.shared().size(); i++) {
            shared.add(CacheLevel.create(config.sharedName(i), config.shared().get(i), r, seed + i + 2));
        }
        this.caches = new CacheHierarchy(CacheLevel.create("I1", config.i1(), r, seed),
                CacheLevel.create("D1", config.d1(), r, seed + 1), shared);
        this.tlbs = config.tlb() == null ? null : new TlbHierarchy(config.tlb());
        this.pages = config.pages() ? new PageModel() : null;
        this.pagesOrTlb = tlbs != null || pages != null;
        this.clamp = config.clampToMinLine() ? caches.minLineSize() : Integer.MAX_VALUE;
    }

    /** Attributes the accesses that follow to {@link CacheLevel#USER} or {@link CacheLevel#METADATA}. */
    public void source(int newSource) {
        source = newSource;
        sourceBase = CacheLevel.counter(newSource, 0);
    }

    public int source() {
        return source;
    }

    /** An instruction fetch of {@code size} bytes. */
    public void fetch(long address, int size) {
        int s = Math.min(size, clamp);
        time++;
        if (distinct != null) {
            distinct.touch(source, address, s);
        }
        if (pages != null) {
            touchPages(address, s);
        }
        caches.fetch(sourceBase, address, s);
    }

    public void read(long address, int size) {
        data(CacheLevel.READ, address, size);
    }

    public void write(long address, int size) {
        data(CacheLevel.WRITE, address, size);
    }

    /** A read-modify-write of one location: one read, as cachegrind counts it. */
    public void modify(long address, int size) {
        data(CacheLevel.READ, address, size);
    }

    private void data(int kind, long address, int size) {
        int s = Math.min(size, clamp);
        int counter = sourceBase + kind * 2;
        time++;
        if (distinct != null) {
            distinct.touch(source, address, s);
        }
        if (pagesOrTlb) {
            translate(counter, address, s);
        }
        caches.data(counter, address, s);
    }

    private void translate(int counter, long address, int size) {
        long first = address >>> TlbConfig.SMALL_PAGE_BITS;
        long last = (address + Math.max(size, 1) - 1) >>> TlbConfig.SMALL_PAGE_BITS;
        for (long page = first; page <= last; page++) {
            long at = page == first ? address : page << TlbConfig.SMALL_PAGE_BITS;
            boolean huge = pages != null && pages.touch(source, at, time);
            if (tlbs != null) {
                tlbs.translate(counter, at, huge);
            }
        }
    }

    private void touchPages(long address, int size) {
        long first = address >>> TlbConfig.SMALL_PAGE_BITS;
        long last = (address + Math.max(size, 1) - 1) >>> TlbConfig.SMALL_PAGE_BITS;
        for (long page = first; page <= last; page++) {
            pages.touch(source, page == first ? address : page << TlbConfig.SMALL_PAGE_BITS, time);
        }
    }

    /** Pages in the range were given back to the OS (no-op without a page model). */
    public void release(long address, long bytes) {
        if (pages != null) {
            pages.release(address, bytes, time);
        }
    }

    /** The range was marked for transparent huge pages (no-op without a page model). */
    public void markHuge(long address, long bytes) {
        if (pages != null) {
            pages.markHuge(address, bytes);
        }
    }

    /** Counts distinct lines and pages touched from now on into {@code touches} ({@code null}: stop). */
    public void countDistinct(DistinctTouches touches) {
        distinct = touches;
    }

    public SimConfig config() {
        return config;
    }

    public CacheHierarchy caches() {
        return caches;
    }

    /** The data TLBs, or {@code null} when not simulated. */
    public TlbHierarchy tlbs() {
        return tlbs;
    }

    /** The page model, or {@code null} when not simulated. */
    public PageModel pages() {
        return pages;
    }

    /** Accesses simulated so far (all sources). */
    public long time() {
        return time;
    }

    /** Accesses of one source that no cache level held. */
    public long memoryAccesses(int s) {
        List<CacheLevel> shared = caches.shared();
        return shared.isEmpty() ? caches.instructions().misses(s) + caches.data().misses(s) : caches.last().misses(s);
    }

    /** Estimated cycles spent on one source's accesses, by the configured {@link CostModel}. */
    public long cycles(int s) {
        CostModel cost = config.cost();
        CacheLevel i1 = caches.instructions();
        CacheLevel d1 = caches.data();
        long cycles = (i1.accesses(s) - i1.misses(s) + d1.accesses(s) - d1.misses(s)) * cost.levelCycles(0);
        List<CacheLevel> shared = caches.shared();
        for (int i = 0; i < shared.size(); i++) {
            CacheLevel level = shared.get(i);
            cycles += (level.accesses(s) - level.misses(s)) * cost.levelCycles(i + 1);
        }
        cycles += memoryAccesses(s) * cost.memoryCycles();
        if (tlbs != null) {
            CacheLevel stlb = tlbs.second();
            cycles += (stlb.accesses(s) - stlb.misses(s)) * cost.stlbHitCycles() + stlb.misses(s) * cost.walkCycles();
        }
        if (pages != null) {
            cycles += pages.faults(s) * cost.faultCycles();
        }
        return cycles;
    }
}
