package org.allockit.bench.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.allockit.core.report.JsonWriter;

/**
 * Prints an {@link AllocatorSimulation.Result}: per operation, the misses at each level, TLB misses,
 * page walks, page faults and estimated cycles, split between the allocator's metadata and the
 * user's data; distinct lines and pages touched per 1,000 operations; and the fragmentation figures.
 */
public final class AllocatorReport {

    private static final String[] SOURCE_NAMES = {"user", "metadata"};

    private final AllocatorSimulation.Result r;

    public AllocatorReport(AllocatorSimulation.Result result) {
        this.r = result;
    }

    /** Figure names, in print order. */
    private List<String> names() {
        List<String> names = new ArrayList<>(List.of("accesses", "L1 misses"));
        List<CacheLevel> shared = r.sim().caches().shared();
        for (CacheLevel level : shared) {
            names.add(level.name() + " misses");
        }
        if (r.sim().tlbs() != null) {
            names.add("dTLB misses");
            names.add("page walks");
        }
        if (r.sim().pages() != null) {
            names.add("page faults");
        }
        names.add("cycles");
        names.add("lines/1k ops");
        names.add("pages/1k ops");
        return names;
    }

    /** The figures of one source, per operation, in the order of {@link #names()}. */
    private List<Double> figures(int s) {
        Simulator sim = r.sim();
        double n = Math.max(1, r.operations());
        CacheLevel i1 = sim.caches().instructions();
        CacheLevel d1 = sim.caches().data();
        List<Double> f = new ArrayList<>();
        f.add((i1.accesses(s) + d1.accesses(s)) / n);
        f.add((i1.misses(s) + d1.misses(s)) / n);
        for (CacheLevel level : sim.caches().shared()) {
            f.add(level.misses(s) / n);
        }
        TlbHierarchy t = sim.tlbs();
        if (t != null) {
            f.add((t.small().misses(s) + t.huge().misses(s)) / n);
            f.add(t.walks(s) / n);
        }
        if (sim.pages() != null) {
            f.add(sim.pages().faults(s) / n);
        }
        f.add(sim.cycles(s) / n);
        f.add(r.touches().linesPerWindow(s) * 1000.0 / AllocatorSimulation.WINDOW);
        f.add(r.touches().pagesPerWindow(s) * 1000.0 / AllocatorSimulation.WINDOW);
        return f;
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "allocator %s, workload %s: %,d operations (%,d blocks reported to the probe)%n",
                r.allocator(), r.workload(), r.operations(), r.blocksReported()));
        b.append(String.format(Locale.ROOT, "%-14s %14s %14s%n", "per operation", "metadata", "user data"));
        List<String> names = names();
        List<Double> meta = figures(CacheLevel.METADATA);
        List<Double> user = figures(CacheLevel.USER);
        for (int i = 0; i < names.size(); i++) {
            b.append(String.format(Locale.ROOT, "%-14s %14.3f %14.3f%n", names.get(i), meta.get(i), user.get(i)));
        }
        b.append(String.format(Locale.ROOT, "peak live %,d B; internal fragmentation at peak live %,d B; "
                        + "peak footprint %,d B (%s), external fragmentation there %,d B; footprint/live at peak %.3f%n",
                r.peakLiveRequested(), r.internalAtPeakLive(), r.peakFootprint(),
                r.footprintFromStats() ? "allocator's stats" : "simulated resident set", r.externalAtPeakFootprint(),
                (double) r.peakFootprint() / Math.max(1, r.peakLiveRequested())));
        b.append(r.sim().config().describe()).append('\n');
        return b.toString();
    }

    public String json() {
        JsonWriter j = new JsonWriter().beginObject();
        j.field("allocator", r.allocator()).field("workload", r.workload()).field("operations", r.operations())
                .field("blocksReported", r.blocksReported());
        List<String> names = names();
        j.beginObject("perOperation");
        for (int s : new int[] {CacheLevel.METADATA, CacheLevel.USER}) {
            List<Double> f = figures(s);
            j.beginObject(SOURCE_NAMES[s]);
            for (int i = 0; i < names.size(); i++) {
                j.field(key(names.get(i)), f.get(i));
            }
            j.end();
        }
        j.end();
        j.beginObject("fragmentation").field("peakLiveRequested", r.peakLiveRequested())
                .field("internalAtPeakLive", r.internalAtPeakLive()).field("peakFootprint", r.peakFootprint())
                .field("footprintFrom", r.footprintFromStats() ? "stats" : "simulated resident set")
                .field("externalAtPeakFootprint", r.externalAtPeakFootprint());
        j.beginArray("overTime");
        for (long[] sample : r.samples()) {
            j.beginObject().field("operation", sample[0]).field("footprint", sample[1]).field("liveRequested", sample[2])
                    .field("liveUsable", sample[3]).end();
        }
        j.end().end();
        for (int s : new int[] {CacheLevel.METADATA, CacheLevel.USER}) {
            j.beginObject(SOURCE_NAMES[s] + "Totals").raw(new SimulationReport(r.sim(), s).jsonMembers()).end();
        }
        j.end();
        return j.toString();
    }

    /** {@code "L1 misses"} → {@code "l1Misses"}, {@code "lines/1k ops"} → {@code "linesPer1kOps"}. */
    private static String key(String name) {
        String[] words = name.replace("/1k", " per1k").split(" ");
        StringBuilder b = new StringBuilder(words[0].toLowerCase(Locale.ROOT));
        for (int i = 1; i < words.length; i++) {
            b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return b.toString();
    }
}
