package org.allockit.bench.sim;

import java.util.Arrays;
import java.util.Locale;

/**
 * Turns counts into estimated cycles: a hit at cache level {@code i} costs {@code levelCycles[i]}
 * (L1 first; a level past the end of the array costs the last figure), an access served by memory
 * costs {@code memoryCycles}, a translation found in the STLB {@code stlbHitCycles}, a page walk
 * {@code walkCycles} and a minor fault {@code faultCycles}. Figures from REFERENCE.md (Skylake-SP,
 * ~2.5 GHz: DRAM ~80 ns, first touch of a page ~2 µs).
 */
public record CostModel(long[] levelCycles, long memoryCycles, long stlbHitCycles, long walkCycles, long faultCycles) {

    public CostModel {
        if (levelCycles.length == 0) {
            throw new IllegalArgumentException("the cost model needs at least the L1 latency");
        }
        levelCycles = levelCycles.clone();
    }

    public static CostModel skylake() {
        return new CostModel(new long[] {4, 14, 42}, 200, 8, 25, 5000);
    }

    /** Cycles of a hit at level {@code level} (0 = L1). */
    public long levelCycles(int level) {
        return levelCycles[Math.min(level, levelCycles.length - 1)];
    }

    @Override
    public long[] levelCycles() {
        return levelCycles.clone();
    }

    /**
     * This model with figures replaced, from {@code l1=4,l2=14,l3=42,memory=200,stlb=8,walk=25,fault=5000}
     * (any subset; {@code lN} sets the hit latency of level N).
     */
    public CostModel with(String assignments) {
        long[] levels = levelCycles.clone();
        long memory = memoryCycles;
        long stlb = stlbHitCycles;
        long walk = walkCycles;
        long fault = faultCycles;
        for (String assignment : assignments.split(",")) {
            String[] kv = assignment.split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("cost '" + assignment + "' is not NAME=CYCLES");
            }
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            long value;
            try {
                value = Long.parseLong(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cost '" + assignment + "': '" + kv[1] + "' is not a number of cycles", e);
            }
            switch (key) {
                case "memory" -> memory = value;
                case "stlb" -> stlb = value;
                case "walk" -> walk = value;
                case "fault" -> fault = value;
                default -> {
                    if (!key.matches("l[1-9]")) {
                        throw new IllegalArgumentException("unknown cost '" + key + "' (l1..l9, memory, stlb, walk, fault)");
                    }
                    int level = key.charAt(1) - '1';
                    if (level >= levels.length) {
                        long last = levels[levels.length - 1];
                        int old = levels.length;
                        levels = Arrays.copyOf(levels, level + 1);
                        Arrays.fill(levels, old, levels.length, last);
                    }
                    levels[level] = value;
                }
            }
        }
        return new CostModel(levels, memory, stlb, walk, fault);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostModel c && Arrays.equals(levelCycles, c.levelCycles) && memoryCycles == c.memoryCycles
                && stlbHitCycles == c.stlbHitCycles && walkCycles == c.walkCycles && faultCycles == c.faultCycles;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(levelCycles) * 31 + Long.hashCode(memoryCycles + 7 * faultCycles);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < levelCycles.length; i++) {
            b.append('L').append(i + 1).append(' ').append(levelCycles[i]).append(", ");
        }
        return b + "memory " + memoryCycles + ", STLB hit " + stlbHitCycles + ", walk " + walkCycles
                + ", fault " + faultCycles + " cycles";
    }
}
