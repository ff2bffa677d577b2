package org.allockit.pool.growing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;
import org.allockit.pool.Fill;

class GrowingPoolProperties {

    /** One step on pool {@code pool % 2}: allocate, clear, free all, or take the other's data. */
    record Op(int kind, int pool, int size) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 20_000)).as(Op::new).list().ofMaxSize(60);
    }

    /**
     * Two pools over one cache under random steps: live blocks never overlap, keep their contents,
     * move with acquireData, vanish with clear/freeAll; the counters match the model after every step.
     */
    @Property(tries = 150)
    void blocksAreNeverLostOrShared(@ForAll("ops") List<Op> ops) {
        try (ChunkCache cache = new ChunkCache(Backing.of(PageSource.os()), 256 * 1024)) {
            GrowingPool[] pools = {new GrowingPool(cache), new GrowingPool(cache)};
            @SuppressWarnings("unchecked")
            TreeMap<Long, long[]>[] live = new TreeMap[] {new TreeMap<>(), new TreeMap<>()};
            int tag = 0;
            for (Op op : ops) {
                int p = op.pool();
                int q = 1 - p;
                switch (op.kind()) {
                    case 0 -> {
                        pools[p].clear();
                        live[p].clear();
                    }
                    case 1 -> {
                        pools[p].freeAll();
                        live[p].clear();
                    }
                    case 2, 3 -> {
                        boolean keepCurrent = op.kind() == 3;
                        long before = pools[q].stats().liveBlocks();
                        pools[p].acquireData(pools[q], keepCurrent);
                        long moved = before - pools[q].stats().liveBlocks();
                        var stay = new TreeMap<Long, long[]>();
                        live[q].forEach((a, b) -> (b[2] == 1 && keepCurrent ? stay : live[p]).put(a, b));
                        live[q] = stay;
                        assertEquals(live[q].size(), pools[q].stats().liveBlocks(), "moved " + moved);
                    }
                    default -> {
                        long size = op.kind() < 12 ? op.size() / 40 : op.size();
                        long address = pools[p].alloc(size);
                        for (var map : live) {
                            var below = map.floorEntry(address + Math.max(size, 1) - 1);
                            assertTrue(below == null || below.getKey() + Math.max(below.getValue()[0], 1) <= address,
                                    "block overlaps a live one");
                        }
                        Fill.write(address, size, ++tag);
                        live[p].put(address, new long[] {size, tag, 0});
                    }
                }
                markCurrent(pools, live);
                for (int i = 0; i < 2; i++) {
                    live[i].forEach((a, b) -> Fill.check(a, b[0], (int) b[1]));
                    pools[i].verify();
                    assertEquals(live[i].size(), pools[i].stats().liveBlocks());
                    assertEquals(live[i].values().stream().mapToLong(b -> b[0]).sum(),
                            pools[i].stats().liveRequestedBytes());
                }
            }
            pools[0].close();
            pools[1].close();
            assertEquals(cache.footprintBytes(), cache.cachedBytes(), "every chunk came back to the cache");
        }
    }

    /** Flags the blocks in each pool's current chunk (the one acquireData may leave behind). */
    private static void markCurrent(GrowingPool[] pools, TreeMap<Long, long[]>[] live) {
        for (int i = 0; i < 2; i++) {
            GrowingPool pool = pools[i];
            live[i].forEach((a, b) -> b[2] = pool.inCurrentChunk(a) ? 1 : 0);
        }
    }
}
