package org.allockit.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CacheLevelTest {

    private static final int C = CacheLevel.counter(CacheLevel.USER, CacheLevel.READ);

    /** A reference LRU or FIFO cache: one list per set, most recent (or newest) first. */
    private static final class ListCache {
        private final List<List<Long>> sets = new ArrayList<>();
        private final int ways;
        private final boolean lru;

        ListCache(int sets, int ways, boolean lru) {
            for (int i = 0; i < sets; i++) {
                this.sets.add(new ArrayList<>());
            }
            this.ways = ways;
            this.lru = lru;
        }

        boolean access(long line) {
            List<Long> set = sets.get((int) (line % sets.size()));
            int at = set.indexOf(line);
            if (at >= 0) {
                if (lru) {
                    set.remove(at);
                    set.addFirst(line);
                }
                return false;
            }
            set.addFirst(line);
            if (set.size() > ways) {
                set.removeLast();
            }
            return true;
        }
    }

    @Provide
    Arbitrary<List<Integer>> lines() {
        return Arbitraries.integers().between(0, 40).list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 200)
    void lruAndFifoMatchReferenceModels(@ForAll("lines") List<Integer> lines, @ForAll @IntRange(min = 0, max = 2) int setBits,
                                        @ForAll @IntRange(min = 1, max = 6) int ways, @ForAll boolean lru) {
        int sets = 1 << setBits;
        CacheLevel level = CacheLevel.create("t", CacheGeometry.ofEntries(sets * ways, ways, 64), lru ? Replacement.LRU : Replacement.FIFO, 1);
        ListCache model = new ListCache(sets, ways, lru);
        for (int line : lines) {
            assertEquals(model.access(line), level.access(C, line * 64L + 3, 8), "line " + line);
        }
        assertEquals(lines.size(), level.accesses(CacheLevel.USER, CacheLevel.READ));
    }

    @Property(tries = 200)
    void everyPolicyHitsExactlyWhenTheLineIsHeld(@ForAll("lines") List<Integer> lines, @ForAll Replacement policy,
                                                 @ForAll @IntRange(min = 0, max = 2) int wayBits) {
        int ways = 1 << wayBits;
        CacheLevel level = CacheLevel.create("t", CacheGeometry.ofEntries(2 * ways, ways, 64), policy, 42);
        Set<Long> seen = new HashSet<>();
        long misses = 0;
        long previous = -1;
        for (int line : lines) {
            boolean held = level.holds(line);
            boolean miss = level.access(C, line * 64L, 1);
            assertEquals(!held, miss, policy + " line " + line);
            assertTrue(level.holds(line), "a line just accessed is cached");
            if (seen.add((long) line)) {
                assertTrue(miss, "first access to a line misses");
            }
            if (line == previous) {
                assertFalse(miss, "the line accessed just before hits");
            }
            misses += miss ? 1 : 0;
            previous = line;
        }
        assertEquals(misses, level.misses(CacheLevel.USER, CacheLevel.READ));
    }

    @Test
    void treePlruEvictsTheLineItsBitsPointAt() {
        CacheLevel level = CacheLevel.create("t", CacheGeometry.ofEntries(4, 4, 64), Replacement.PLRU, 1);
        for (long line : new long[] {10, 11, 12, 13}) {
            assertTrue(level.accessLine(C, line));
        }
        // Fill order by the tree: 10 -> way 0, 11 -> way 2, 12 -> way 1, 13 -> way 3. Touching 10 points
        // the root right and its right node still points left, at way 2 (line 11).
        assertFalse(level.accessLine(C, 10));
        assertTrue(level.accessLine(C, 14));
        assertFalse(level.holds(11));
        assertTrue(level.holds(10) && level.holds(12) && level.holds(13) && level.holds(14));
    }

    @Test
    void randomReplacementRepeatsForTheSameSeed() {
        long[] a = missesOfRandom(7);
        long[] b = missesOfRandom(7);
        assertEquals(a[0], b[0]);
        assertEquals(a[1], b[1]);
    }

    private static long[] missesOfRandom(long seed) {
        CacheLevel level = CacheLevel.create("t", CacheGeometry.ofEntries(8, 8, 64), Replacement.RANDOM, seed);
        long state = 1;
        long hash = 0;
        for (int i = 0; i < 5000; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            long line = (state >>> 40) % 12;
            hash = hash * 31 + (level.accessLine(C, line) ? 1 : 0);
        }
        return new long[] {level.misses(CacheLevel.USER, CacheLevel.READ), hash};
    }

    @Test
    void anAccessSpanningTwoLinesCountsOnceAndBringsBothIn() {
        CacheLevel level = CacheLevel.create("t", new CacheGeometry(1024, 2, 64), Replacement.LRU, 1);
        assertTrue(level.access(C, 60, 8));
        assertEquals(1, level.accesses(CacheLevel.USER, CacheLevel.READ));
        assertEquals(1, level.misses(CacheLevel.USER, CacheLevel.READ));
        assertTrue(level.holds(0) && level.holds(1));
        assertFalse(level.access(C, 64, 4));
        assertTrue(level.access(C, 127, 2), "misses when only the second line is new");
        assertEquals(2, level.misses(CacheLevel.USER, CacheLevel.READ));
    }

    @Test
    void countsSourcesAndKindsApart() {
        CacheLevel level = CacheLevel.create("t", new CacheGeometry(1024, 2, 64), Replacement.LRU, 1);
        level.access(CacheLevel.counter(CacheLevel.METADATA, CacheLevel.WRITE), 0, 8);
        level.access(CacheLevel.counter(CacheLevel.USER, CacheLevel.READ), 0, 8);
        assertEquals(1, level.misses(CacheLevel.METADATA, CacheLevel.WRITE));
        assertEquals(0, level.misses(CacheLevel.USER, CacheLevel.READ));
        assertEquals(1, level.accesses(CacheLevel.USER));
        level.reset();
        assertEquals(0, level.accesses(CacheLevel.METADATA));
        assertFalse(level.holds(0));
    }

    @Test
    void nonPowerOfTwoSetCountsIndexByModulo() {
        CacheLevel level = CacheLevel.create("t", new CacheGeometry(3 * 64, 1, 64), Replacement.LRU, 1);
        assertTrue(level.accessLine(C, 0));
        assertTrue(level.accessLine(C, 3), "line 3 maps to set 0 and evicts line 0");
        assertFalse(level.holds(0));
        assertTrue(level.accessLine(C, 1));
        assertTrue(level.holds(3));
    }

    @Test
    void rejectsBadGeometries() {
        assertThrows(IllegalArgumentException.class, () -> new CacheGeometry(1000, 2, 64));
        assertThrows(IllegalArgumentException.class, () -> new CacheGeometry(1024, 2, 48));
        assertThrows(IllegalArgumentException.class, () -> CacheGeometry.parse("32K,8"));
        assertEquals(new CacheGeometry(32768, 8, 64), CacheGeometry.parse("32K,8,64"));
        assertThrows(IllegalArgumentException.class,
                () -> CacheLevel.create("t", CacheGeometry.ofEntries(6, 3, 64), Replacement.PLRU, 1));
    }

    @Property(tries = 100)
    void longSetBehavesLikeASet(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 3) Integer> ops,
                                @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 200) Integer> keys) {
        LongSet set = new LongSet(4);
        Set<Long> model = new HashSet<>();
        for (int i = 0; i < Math.min(ops.size(), keys.size()); i++) {
            long key = keys.get(i);
            switch (ops.get(i)) {
                case 0, 1 -> assertEquals(model.add(key), set.add(key));
                case 2 -> assertEquals(model.remove(key), set.remove(key));
                default -> {
                    long to = key + keys.get((i * 7) % keys.size()) % 50;
                    int removed = 0;
                    for (long k = key; k < to; k++) {
                        removed += model.remove(k) ? 1 : 0;
                    }
                    assertEquals(removed, set.removeRange(key, to));
                }
            }
            assertEquals(model.size(), set.size());
        }
        for (long k = 0; k <= 200; k++) {
            assertEquals(model.contains(k), set.contains(k), "key " + k);
        }
    }
}
