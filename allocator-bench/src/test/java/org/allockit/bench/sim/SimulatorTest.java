package org.allockit.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {

    private static final int U = CacheLevel.USER;

    @Test
    void sharedLevelsSeeOnlyTheMissesAbove() {
        Simulator sim = new Simulator(Presets.skylake());
        for (long a = 0; a < (1 << 20); a += 8) {
            sim.read(0x10000000L + a, 8);
        }
        for (long a = 0; a < 4096; a += 4) {
            sim.fetch(0x400000L + a, 4);
        }
        CacheHierarchy c = sim.caches();
        CacheLevel l2 = c.shared().get(0);
        CacheLevel l3 = c.shared().get(1);
        assertEquals(c.data().misses(U) + c.instructions().misses(U), l2.accesses(U));
        assertEquals(l2.misses(U), l3.accesses(U));
        assertEquals((1 << 20) / 64, c.data().misses(U, CacheLevel.READ), "one miss per new line");
        assertEquals(64, c.instructions().misses(U, CacheLevel.FETCH));
    }

    @Test
    void firstTouchFaultsAndReleasedPagesFaultAgain() {
        Simulator sim = new Simulator(Presets.skylake());
        PageModel pages = sim.pages();
        sim.write(0x7000_0000L, 8);
        sim.write(0x7000_0008L, 8);
        sim.read(0x7000_1000L, 8);
        assertEquals(2, pages.faults(U));
        assertEquals(2 * PageModel.SMALL, pages.residentBytes());
        sim.release(0x7000_0000L, 4096);
        assertEquals(PageModel.SMALL, pages.residentBytes());
        sim.read(0x7000_0010L, 8);
        assertEquals(3, pages.faults(U));
        assertEquals(2 * PageModel.SMALL, pages.peakBytes());
        assertTrue(pages.residentOverTime().length >= 2);
    }

    @Test
    void hugePageRangesFaultOnceAndUseOneTlbEntry() {
        Simulator sim = new Simulator(Presets.skylake());
        long base = 0x4000_0000L;
        sim.read(base + 5 * PageModel.HUGE - 4096, 8);
        sim.markHuge(base + 4096, 4 * PageModel.HUGE);
        for (long a = 0; a < 2 * PageModel.HUGE; a += 4096) {
            sim.write(base + PageModel.HUGE + a, 8);
        }
        PageModel pages = sim.pages();
        assertEquals(1 + 2, pages.faults(U), "one 4 KiB page, then two 2 MiB pages");
        assertEquals(2, pages.hugePagesResident());
        assertEquals(PageModel.SMALL + 2 * PageModel.HUGE, pages.residentBytes());
        TlbHierarchy tlb = sim.tlbs();
        assertEquals(2, tlb.huge().misses(U), "one translation per huge page");
        sim.read(base + 16, 8);
        assertEquals(4, pages.faults(U), "the first 2 MiB region is not wholly marked: a 4 KiB page");
        sim.release(base + PageModel.HUGE, 4096);
        assertEquals(1, pages.hugePagesResident(), "a partly released huge page is split");
        assertEquals(2 * PageModel.SMALL + PageModel.HUGE + PageModel.HUGE - PageModel.SMALL, pages.residentBytes());
    }

    @Test
    void tlbMissesGoToTheStlbThenWalk() {
        Simulator sim = new Simulator(Presets.skylake());
        TlbHierarchy t = sim.tlbs();
        for (int round = 0; round < 2; round++) {
            for (long page = 0; page < 128; page++) {
                sim.read(0x1_0000_0000L + page * 4096, 8);
            }
        }
        assertEquals(256, t.small().accesses(U));
        assertEquals(256, t.small().misses(U), "128 pages cycle through 64 entries: every lookup misses");
        assertEquals(128, t.walks(U), "the STLB holds all 128 on the second round");
        long cyclesBefore = sim.cycles(U);
        assertTrue(cyclesBefore > 128 * sim.config().cost().walkCycles());
    }

    @Test
    void cachegrindPresetClampsWideAccessesToTheSmallestLine() {
        Simulator sim = new Simulator(Presets.cachegrind().withD1(new CacheGeometry(32768, 8, 32)));
        sim.read(0, 512);
        assertEquals(1, sim.caches().data().misses(U, CacheLevel.READ));
        assertTrue(sim.caches().data().holds(0));
        assertFalse(sim.caches().data().holds(1), "clamped to 32 bytes: the second line is never looked up");
    }

    @Test
    void costModelAddsLatencyPerLevelAndPrintsItsFigures() {
        Simulator sim = new Simulator(Presets.cachegrind().withCost(new CostModel(new long[] {1, 10}, 100, 0, 0, 0)));
        sim.read(0, 8);
        sim.read(0, 8);
        assertEquals(100 + 1, sim.cycles(U), "one memory access, one L1 hit");
        CostModel changed = sim.config().cost().with("l2=12,memory=300,l4=50");
        assertEquals(12, changed.levelCycles(1));
        assertEquals(50, changed.levelCycles(3));
        assertEquals(12, changed.levelCycles(2), "a new level in between takes the last figure");
        assertTrue(changed.toString().contains("memory 300"));
        assertThrows(IllegalArgumentException.class, () -> changed.with("l0=3"));
        assertThrows(IllegalArgumentException.class, () -> changed.with("memory=fast"));
    }

    @Test
    void hostPresetReadsSysfs(@TempDir Path dir) throws IOException {
        cache(dir, 0, 1, "Data", "48K", 12, 64);
        cache(dir, 1, 1, "Instruction", "32K", 8, 64);
        cache(dir, 2, 2, "Unified", "2048K", 16, 64);
        cache(dir, 3, 3, "Unified", "107520K", 15, 64);
        SimConfig host = Presets.host(dir);
        assertEquals(new CacheGeometry(48 << 10, 12, 64), host.d1());
        assertEquals(new CacheGeometry(32 << 10, 8, 64), host.i1());
        assertEquals(List.of(new CacheGeometry(2 << 20, 16, 64), new CacheGeometry(107520L << 10, 15, 64)), host.shared());
        Simulator sim = new Simulator(host);
        sim.read(0x1234, 8);
        assertEquals(1, sim.caches().last().misses(U));
        assertThrows(IllegalArgumentException.class, () -> Presets.named("pentium"));
        SimConfig cachegrind = Presets.cachegrindHost(dir);
        assertEquals(List.of(new CacheGeometry(109_051_904L, 26, 64)), cachegrind.shared(),
                "114,688 sets of 15 ways become 65,536 sets of 26 ways, as cachegrind 3.19 reshapes them");
        assertEquals(host.d1(), cachegrind.d1());
        assertTrue(cachegrind.clampToMinLine() && cachegrind.tlb() == null && !cachegrind.pages());
    }

    private static void cache(Path dir, int index, int level, String type, String size, int ways, int line) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("ways_of_associativity"), ways + "\n");
        Files.writeString(d.resolve("coherency_line_size"), line + "\n");
    }
}
