package org.allockit.bench.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link Simulator} is built from: the split first level, the shared levels below it
 * (one shared level is cachegrind's LL; more are L2, L3, ...), the replacement policy and its seed,
 * whether accesses wider than the smallest line are clamped to it (cachegrind's rule), the data TLBs
 * ({@code null}: not simulated), whether pages are simulated, and the cost model.
 */
public record SimConfig(String preset, CacheGeometry i1, CacheGeometry d1, List<CacheGeometry> shared,
                        Replacement replacement, long seed, boolean clampToMinLine, TlbConfig tlb,
                        boolean pages, CostModel cost) {

    public SimConfig {
        shared = List.copyOf(shared);
    }

    /** The name of shared level {@code i}: {@code LL} when it is the only one, else {@code L2}, {@code L3}, ... */
    public String sharedName(int i) {
        return shared.size() == 1 ? "LL" : "L" + (i + 2);
    }

    public SimConfig withI1(CacheGeometry g) {
        return new SimConfig(preset, g, d1, shared, replacement, seed, clampToMinLine, tlb, pages, cost);
    }

    public SimConfig withD1(CacheGeometry g) {
        return new SimConfig(preset, i1, g, shared, replacement, seed, clampToMinLine, tlb, pages, cost);
    }

    /** Replaces the last shared level (adds one if there is none). */
    public SimConfig withLastLevel(CacheGeometry g) {
        List<CacheGeometry> levels = new ArrayList<>(shared);
        if (levels.isEmpty()) {
            levels.add(g);
        } else {
            levels.set(levels.size() - 1, g);
        }
        return withShared(levels);
    }

    /** Replaces shared level {@code index} (0 = L2), or appends it when it is the next one. */
    public SimConfig withSharedLevel(int index, CacheGeometry g) {
        List<CacheGeometry> levels = new ArrayList<>(shared);
        if (index < levels.size()) {
            levels.set(index, g);
        } else if (index == levels.size()) {
            levels.add(g);
        } else {
            throw new IllegalArgumentException("level L" + (index + 2) + " needs L" + (index + 1) + " first");
        }
        return withShared(levels);
    }

    public SimConfig withShared(List<CacheGeometry> levels) {
        return new SimConfig(preset, i1, d1, levels, replacement, seed, clampToMinLine, tlb, pages, cost);
    }

    public SimConfig withReplacement(Replacement r, long newSeed) {
        return new SimConfig(preset, i1, d1, shared, r, newSeed, clampToMinLine, tlb, pages, cost);
    }

    public SimConfig withTlb(TlbConfig t) {
        return new SimConfig(preset, i1, d1, shared, replacement, seed, clampToMinLine, t, pages, cost);
    }

    public SimConfig withPages(boolean on) {
        return new SimConfig(preset, i1, d1, shared, replacement, seed, clampToMinLine, tlb, on, cost);
    }

    public SimConfig withCost(CostModel c) {
        return new SimConfig(preset, i1, d1, shared, replacement, seed, clampToMinLine, tlb, pages, c);
    }

    /** One line per part, for printing beside results. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("preset ").append(preset).append(": I1 ").append(i1).append(", D1 ").append(d1);
        for (int i = 0; i < shared.size(); i++) {
            b.append(", ").append(sharedName(i)).append(' ').append(shared.get(i));
        }
        b.append(" (SIZE,WAYS,LINE; ").append(replacement.name().toLowerCase(java.util.Locale.ROOT));
        if (replacement == Replacement.RANDOM) {
            b.append(" seed ").append(seed);
        }
        b.append(clampToMinLine ? ", accesses clamped to the smallest line" : "").append(")\n");
        b.append("tlb: ").append(tlb == null ? "off" : tlb.toString()).append('\n');
        b.append("pages: ").append(pages ? "4 KiB, 2 MiB where marked huge" : "off").append('\n');
        b.append("cost model: ").append(cost);
        return b.toString();
    }
}
