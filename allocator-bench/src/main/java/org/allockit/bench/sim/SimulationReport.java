package org.allockit.bench.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.allockit.core.report.JsonWriter;

/**
 * What a simulator counted for one source, as text or as one JSON object: cachegrind's nine
 * counters under their names when the hierarchy is I1/D1/LL, then per-level, TLB, page and cost
 * figures, with the configuration and cost figures used beside them.
 */
public final class SimulationReport {

    private final Simulator sim;
    private final int source;

    public SimulationReport(Simulator sim, int source) {
        this.sim = sim;
        this.source = source;
    }

    /** True when the hierarchy is cachegrind's I1, D1 and LL. */
    public boolean cachegrindShaped() {
        return sim.caches().shared().size() == 1;
    }

    /** Cachegrind's counters in its order: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw. */
    public long[] cachegrindCounters() {
        CacheHierarchy c = sim.caches();
        CacheLevel i1 = c.instructions();
        CacheLevel d1 = c.data();
        CacheLevel ll = c.last();
        int s = source;
        return new long[] {
            i1.accesses(s, CacheLevel.FETCH), i1.misses(s, CacheLevel.FETCH), ll.misses(s, CacheLevel.FETCH),
            d1.accesses(s, CacheLevel.READ), d1.misses(s, CacheLevel.READ), ll.misses(s, CacheLevel.READ),
            d1.accesses(s, CacheLevel.WRITE), d1.misses(s, CacheLevel.WRITE), ll.misses(s, CacheLevel.WRITE),
        };
    }

    public static final List<String> CACHEGRIND_NAMES = List.of("Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw");

    private List<CacheLevel> levels() {
        List<CacheLevel> all = new ArrayList<>();
        all.add(sim.caches().instructions());
        all.add(sim.caches().data());
        all.addAll(sim.caches().shared());
        return all;
    }

    /** Human-readable lines. */
    public String text() {
        StringBuilder b = new StringBuilder();
        int s = source;
        if (cachegrindShaped()) {
            long[] c = cachegrindCounters();
            b.append(String.format(Locale.ROOT, "I   refs:   %,15d%n", c[0]));
            b.append(String.format(Locale.ROOT, "I1  misses: %,15d%n", c[1]));
            b.append(String.format(Locale.ROOT, "LLi misses: %,15d%n", c[2]));
            b.append(String.format(Locale.ROOT, "D   refs:   %,15d  (%,d rd + %,d wr)%n", c[3] + c[6], c[3], c[6]));
            b.append(String.format(Locale.ROOT, "D1  misses: %,15d  (%,d rd + %,d wr)%n", c[4] + c[7], c[4], c[7]));
            b.append(String.format(Locale.ROOT, "LLd misses: %,15d  (%,d rd + %,d wr)%n", c[5] + c[8], c[5], c[8]));
        }
        b.append(String.format(Locale.ROOT, "%-8s %-18s %15s %13s %15s %13s %15s %13s%n",
                "level", "size,ways,line", "fetches", "misses", "reads", "misses", "writes", "misses"));
        for (CacheLevel level : levels()) {
            b.append(String.format(Locale.ROOT, "%-8s %-18s %,15d %,13d %,15d %,13d %,15d %,13d%n", level.name(), level.geometry(),
                    level.accesses(s, CacheLevel.FETCH), level.misses(s, CacheLevel.FETCH),
                    level.accesses(s, CacheLevel.READ), level.misses(s, CacheLevel.READ),
                    level.accesses(s, CacheLevel.WRITE), level.misses(s, CacheLevel.WRITE)));
        }
        TlbHierarchy t = sim.tlbs();
        if (t != null) {
            for (CacheLevel tlb : List.of(t.small(), t.huge(), t.second())) {
                b.append(String.format(Locale.ROOT, "%-8s lookups %,15d  misses %,13d%n", tlb.name(), tlb.accesses(s), tlb.misses(s)));
            }
            b.append(String.format(Locale.ROOT, "page walks: %,d%n", t.walks(s)));
        }
        PageModel p = sim.pages();
        if (p != null) {
            b.append(String.format(Locale.ROOT, "page faults: %,d  resident: %,d bytes (peak %,d, %d huge pages)%n",
                    p.faults(s), p.residentBytes(), p.peakBytes(), p.hugePagesResident()));
        }
        b.append(String.format(Locale.ROOT, "estimated cycles: %,d%n", sim.cycles(s)));
        b.append(sim.config().describe()).append('\n');
        return b.toString();
    }

    /** The figures as members of a JSON object (no braces), for embedding. */
    public String jsonMembers() {
        JsonWriter j = new JsonWriter();
        int s = source;
        SimConfig config = sim.config();
        j.field("preset", config.preset());
        if (cachegrindShaped()) {
            long[] c = cachegrindCounters();
            for (int i = 0; i < c.length; i++) {
                j.field(CACHEGRIND_NAMES.get(i), c[i]);
            }
        }
        j.beginArray("levels");
        for (CacheLevel level : levels()) {
            j.beginObject();
            j.field("name", level.name()).field("size", level.geometry().size()).field("ways", level.geometry().ways())
                    .field("line", level.geometry().lineSize())
                    .field("fetches", level.accesses(s, CacheLevel.FETCH)).field("fetchMisses", level.misses(s, CacheLevel.FETCH))
                    .field("reads", level.accesses(s, CacheLevel.READ)).field("readMisses", level.misses(s, CacheLevel.READ))
                    .field("writes", level.accesses(s, CacheLevel.WRITE)).field("writeMisses", level.misses(s, CacheLevel.WRITE));
            j.end();
        }
        j.end();
        j.field("replacement", config.replacement().name().toLowerCase(Locale.ROOT));
        TlbHierarchy t = sim.tlbs();
        if (t != null) {
            j.beginObject("tlb");
            for (CacheLevel tlb : List.of(t.small(), t.huge(), t.second())) {
                j.beginObject(tlb.name()).field("entries", tlb.geometry().lines()).field("ways", tlb.geometry().ways())
                        .field("lookups", tlb.accesses(s)).field("misses", tlb.misses(s)).end();
            }
            j.field("walks", t.walks(s)).end();
        }
        PageModel p = sim.pages();
        if (p != null) {
            j.beginObject("pages").field("faults", p.faults(s)).field("residentBytes", p.residentBytes())
                    .field("peakResidentBytes", p.peakBytes()).field("hugePagesResident", p.hugePagesResident());
            j.beginArray("residentOverTime");
            for (long[] sample : p.residentOverTime()) {
                j.beginArray().value(sample[0]).value(sample[1]).end();
            }
            j.end().end();
        }
        CostModel cost = config.cost();
        j.beginObject("cost").field("cycles", sim.cycles(s)).field("memoryAccesses", sim.memoryAccesses(s));
        j.beginArray("cyclesPerLevelHit");
        for (long cycles : cost.levelCycles()) {
            j.value(cycles);
        }
        j.end().field("memoryCycles", cost.memoryCycles()).field("stlbHitCycles", cost.stlbHitCycles())
                .field("walkCycles", cost.walkCycles()).field("faultCycles", cost.faultCycles()).end();
        return j.toString();
    }
}
