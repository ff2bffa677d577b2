package org.allockit.bench.sim;

/**
 * The data TLBs: entries and ways of the first-level TLB for 4 KiB pages, of the one for 2 MiB
 * pages, and of the second-level TLB (STLB) that both share.
 */
public record TlbConfig(int smallEntries, int smallWays, int hugeEntries, int hugeWays, int secondEntries, int secondWays) {

    public static final int SMALL_PAGE_BITS = 12;
    public static final int HUGE_PAGE_BITS = 21;

    public TlbConfig {
        ofEntries("dTLB", smallEntries, smallWays);
        ofEntries("dTLB 2M", hugeEntries, hugeWays);
        ofEntries("STLB", secondEntries, secondWays);
    }

    /** Intel Skylake-SP: 64 entries 4-way for 4 KiB pages, 32 4-way for 2 MiB, STLB 1536 12-way. */
    public static TlbConfig skylake() {
        return new TlbConfig(64, 4, 32, 4, 1536, 12);
    }

    public TlbConfig withSmall(String entriesWays) {
        int[] v = parse(entriesWays);
        return new TlbConfig(v[0], v[1], hugeEntries, hugeWays, secondEntries, secondWays);
    }

    public TlbConfig withHuge(String entriesWays) {
        int[] v = parse(entriesWays);
        return new TlbConfig(smallEntries, smallWays, v[0], v[1], secondEntries, secondWays);
    }

    public TlbConfig withSecond(String entriesWays) {
        int[] v = parse(entriesWays);
        return new TlbConfig(smallEntries, smallWays, hugeEntries, hugeWays, v[0], v[1]);
    }

    private static int[] parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not ENTRIES,WAYS");
        }
        try {
            return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not ENTRIES,WAYS", e);
        }
    }

    /** A TLB as a cache whose lines are single translations (one "byte" per entry). */
    static CacheGeometry ofEntries(String name, int entries, int ways) {
        if (entries < 1 || ways < 1 || entries % ways != 0) {
            throw new IllegalArgumentException(name + ": " + entries + " entries do not divide into " + ways + " ways");
        }
        return CacheGeometry.ofEntries(entries, ways, 1);
    }

    @Override
    public String toString() {
        return "dTLB " + smallEntries + "x" + smallWays + "-way (4K), " + hugeEntries + "x" + hugeWays
                + "-way (2M), STLB " + secondEntries + "x" + secondWays + "-way";
    }
}
