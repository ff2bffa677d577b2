package org.allockit.bench.sim;

/**
 * Data address translation: a first-level TLB for 4 KiB pages and one for 2 MiB pages, both backed
 * by a shared second-level TLB; a miss there is a page walk. Each TLB is a set-associative LRU
 * {@link CacheLevel} whose lines are page numbers (2 MiB pages carry a tag bit in the STLB so they
 * never alias a 4 KiB page). Not thread-safe.
 */
public final class TlbHierarchy {

    /** Results of {@link #translate}. */
    public static final int L1_HIT = 0;
    public static final int STLB_HIT = 1;
    public static final int WALK = 2;

    private static final long HUGE_TAG = 1L << 62;

    private final TlbConfig config;
    private final CacheLevel small;
    private final CacheLevel huge;
    private final CacheLevel second;

    public TlbHierarchy(TlbConfig config) {
        this.config = config;
        this.small = new CacheLevel.Lru("dTLB", TlbConfig.ofEntries("dTLB", config.smallEntries(), config.smallWays()));
        this.huge = new CacheLevel.Lru("dTLB-2M", TlbConfig.ofEntries("dTLB 2M", config.hugeEntries(), config.hugeWays()));
        this.second = new CacheLevel.Lru("STLB", TlbConfig.ofEntries("STLB", config.secondEntries(), config.secondWays()));
    }

    /** Translates the page of {@code address} (a 2 MiB page when {@code hugePage}); returns where it was found. */
    public int translate(int counter, long address, boolean hugePage) {
        if (hugePage) {
            long page = address >>> TlbConfig.HUGE_PAGE_BITS;
            if (!huge.accessLine(counter, page)) {
                return L1_HIT;
            }
            return second.accessLine(counter, page | HUGE_TAG) ? WALK : STLB_HIT;
        }
        long page = address >>> TlbConfig.SMALL_PAGE_BITS;
        if (!small.accessLine(counter, page)) {
            return L1_HIT;
        }
        return second.accessLine(counter, page) ? WALK : STLB_HIT;
    }

    public TlbConfig config() {
        return config;
    }

    public CacheLevel small() {
        return small;
    }

    public CacheLevel huge() {
        return huge;
    }

    public CacheLevel second() {
        return second;
    }

    /** Page walks of one source: the STLB's misses. */
    public long walks(int source) {
        return second.misses(source);
    }

    public void reset() {
        small.reset();
        huge.reset();
        second.reset();
    }
}
