package org.allockit.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Allocators;
import org.allockit.core.Feature;
import org.allockit.core.MemoryProbe;
import org.allockit.core.trace.Trace;
import org.junit.jupiter.api.Test;

class AllocatorSimulationTest {

    /**
     * A bump allocator over made-up addresses (the simulator never dereferences them) that reports an
     * 8-byte header write per allocation, a header read and a free-list head write per free, and its
     * address space as reserved then released on close.
     */
    private static final class ProbedBump implements Allocator {
        static final long BASE = 0x10_0000_0000L;
        static final long FREE_LIST_HEAD = 0x0F_0000_0000L;
        private final MemoryProbe probe;
        private final Map<Long, Long> usable = new HashMap<>();
        private long next = BASE;

        ProbedBump(MemoryProbe probe) {
            this.probe = probe;
            probe.pagesReserved(BASE, 1L << 30);
        }

        @Override
        public String name() {
            return "probed-bump";
        }

        @Override
        public long alloc(long size) {
            return alloc(size, 16);
        }

        @Override
        public long alloc(long size, long alignment) {
            long header = next;
            long body = (size + 15) & ~15L;
            next += 16 + body;
            probe.metadataWrite(header, 8);
            probe.blockAllocated(header + 16, size, body);
            usable.put(header + 16, body);
            return header + 16;
        }

        @Override
        public void free(long address) {
            probe.metadataRead(address - 16, 8);
            probe.metadataWrite(FREE_LIST_HEAD, 8);
            probe.blockFreed(address, usable.remove(address));
        }

        @Override
        public long reallocate(long address, long newSize) {
            long moved = alloc(newSize);
            free(address);
            return moved;
        }

        @Override
        public long usableSize(long address) {
            return usable.get(address);
        }

        @Override
        public AllocatorStats stats() {
            return new AllocatorStats(usable.size(), AllocatorStats.UNKNOWN, AllocatorStats.UNKNOWN, next - BASE,
                    next - BASE, AllocatorStats.UNKNOWN, AllocatorStats.UNKNOWN, AllocatorStats.UNKNOWN);
        }

        @Override
        public void verify() {
        }

        @Override
        public Set<Feature> features() {
            return Set.of(Feature.PROBED, Feature.INDIVIDUAL_FREE, Feature.REALLOCATE);
        }

        @Override
        public void close() {
            probe.pagesReleased(BASE, 1L << 30);
        }
    }

    private static Trace trace(String text) throws IOException {
        return Trace.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "test", false);
    }

    private static AllocatorSimulation.Result run(String text, SimConfig config, int traverseEvery) throws IOException {
        AllocatorSimulation simulation = new AllocatorSimulation(config);
        try (ProbedBump bump = new ProbedBump(simulation.probe())) {
            return simulation.run(bump, trace(text), "test", traverseEvery);
        }
    }

    @Test
    void splitsMetadataFromUserData() throws IOException {
        AllocatorSimulation.Result r = run("a 0 100\na 1 30\nf 0\nr 1 200\nf 1\n", Presets.cachegrind().withPages(true), 0);
        Simulator sim = r.sim();
        CacheLevel d1 = sim.caches().data();
        // metadata: header writes for a 0, a 1, the realloc's alloc; header read + list write per free (3 frees)
        assertEquals(3 + 3, d1.accesses(CacheLevel.METADATA, CacheLevel.WRITE));
        assertEquals(3, d1.accesses(CacheLevel.METADATA, CacheLevel.READ));
        // user: a 0 writes 2 lines (16+100 bytes from a 16-aligned body), a 1 writes 1, f 0 reads 2,
        // r 1 reads 1 then writes the new 200-byte block (4 lines), f 1 reads 4
        assertEquals(2 + 1 + 4, d1.accesses(CacheLevel.USER, CacheLevel.WRITE));
        assertEquals(2 + 1 + 4, d1.accesses(CacheLevel.USER, CacheLevel.READ));
        assertEquals(3, r.blocksReported());
        assertEquals(2, sim.pages().faults(CacheLevel.METADATA), "the first header's page and the free-list head's");
        assertEquals(0, sim.pages().faults(CacheLevel.USER), "the user's data shares the headers' page");
        assertEquals(PageModel.SMALL, sim.pages().residentBytes(), "closing released the heap's range");
    }

    @Test
    void reportsFragmentationAndWalksInAllocationOrder() throws IOException {
        StringBuilder t = new StringBuilder();
        for (int id = 0; id < 100; id++) {
            t.append("a ").append(id).append(" 20\n");
        }
        AllocatorSimulation.Result r = run(t.toString(), Presets.skylake(), 50);
        assertEquals(100 * 20, r.peakLiveRequested());
        assertEquals(100 * (32 - 20), r.internalAtPeakLive(), "usable 32 for 20 requested");
        assertEquals(100 * (16 + 32), r.peakFootprint());
        assertEquals(100 * 16, r.externalAtPeakFootprint(), "the headers are inside the footprint but not usable");
        CacheLevel d1 = r.sim().caches().data();
        assertEquals(50 + 100, d1.accesses(CacheLevel.USER, CacheLevel.READ), "two walks: over 50, then 100 blocks");
        String text = new AllocatorReport(r).text();
        assertTrue(text.contains("metadata") && text.contains("page walks") && text.contains("footprint/live"), text);
        String json = new AllocatorReport(r).json();
        assertTrue(json.contains("\"perOperation\":{\"metadata\":{\"accesses\":") && json.contains("\"internalAtPeakLive\":1200"), json);
    }

    @Test
    void workloadsAreRepeatableTraces() {
        for (SimWorkload w : SimWorkload.values()) {
            Trace a = w.trace(3);
            Trace b = w.trace(3);
            assertEquals(a.operations(), b.operations());
            assertEquals(a.peakLiveBytes(), b.peakLiveBytes());
            assertTrue(a.operations() >= 60_000, w + " has " + a.operations());
        }
    }

    @Test
    void everyRegistryAllocatorIsMeasuredAndProbedOnesReportTheirBlocks() throws IOException {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            t.append("a ").append(i % 300).append(' ').append(8 + (i * 37) % 500).append('\n');
            if (i % 300 == 299) {
                for (int id = 0; id < 300; id += 2) {
                    t.append("f ").append(id).append('\n');
                }
                for (int id = 0; id < 300; id += 2) {
                    t.append("a ").append(id).append(" 24\n");
                }
                for (int id = 0; id < 300; id++) {
                    t.append("f ").append(id).append('\n');
                }
            }
        }
        Trace trace = trace(t.toString());
        for (AllocatorProvider provider : Allocators.providers()) {
            AllocatorSimulation.Result r = new AllocatorSimulation(Presets.skylake()).run(provider.name(), trace, "mixed", 500);
            CacheLevel d1 = r.sim().caches().data();
            boolean probed;
            try (Allocator probe = provider.create(AllocatorOptions.defaults())) {
                probed = probe.features().contains(Feature.PROBED);
            }
            assertTrue(d1.accesses(CacheLevel.USER, CacheLevel.WRITE) >= 1500 + 5 * 150, provider.name());
            if (probed) {
                // A heap may hand some blocks out from a cache it does not report (pt's thread caches):
                // at least its own heap's blocks are seen, never more than were asked for.
                assertTrue(r.blocksReported() > 0 && r.blocksReported() <= 1500 + 5 * 150,
                        provider.name() + " reported " + r.blocksReported() + " blocks");
            } else {
                assertEquals(0, d1.accesses(CacheLevel.METADATA), provider.name());
            }
            assertTrue(r.peakFootprint() >= r.peakLiveRequested(), provider.name());
        }
    }
}
