package org.allockit.pool.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;
import org.allockit.pool.Fill;

class RegionPoolProperties {

    /** One step: allocate (small, unaligned or large), free a large block, or reset. */
    record Op(int kind, int size, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 1500),
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(80);
    }

    /**
     * Blocks are reused only after reset: no block handed out overlaps another live one, their
     * contents survive every later step, and after a reset the first block is handed out again.
     */
    @Property(tries = 150)
    void blocksAreReusedOnlyAfterReset(@ForAll("ops") List<Op> ops) {
        try (RegionPool pool = new RegionPool(Backing.of(PageSource.os()), 1024, false)) {
            TreeMap<Long, long[]> live = new TreeMap<>(); // address -> {size, tag}
            Map<Long, Long> large = new HashMap<>();
            int tag = 0;
            for (Op op : ops) {
                if (op.kind() == 0) {
                    pool.reset();
                    live.clear();
                    large.clear();
                } else if (op.kind() == 1 && !large.isEmpty()) {
                    long address = new ArrayList<>(large.keySet()).get(op.pick() % large.size());
                    pool.free(address);
                    large.remove(address);
                    live.remove(address);
                } else {
                    long size = op.kind() < 4 ? op.size() * 4L : op.size() / 4;
                    long address = op.kind() % 3 == 0 ? pool.allocUnaligned(size) : pool.alloc(size);
                    long span = Math.max(size, 1);
                    var below = live.floorEntry(address + span - 1);
                    assertTrue(below == null || below.getKey() + Math.max(below.getValue()[0], 1) <= address,
                            "block overlaps a live one");
                    Fill.write(address, size, ++tag);
                    live.put(address, new long[] {size, tag});
                    if (size > pool.max()) {
                        large.put(address, size);
                    }
                }
                live.forEach((address, block) -> Fill.check(address, block[0], (int) block[1]));
                pool.verify();
                assertEquals(live.size(), pool.stats().liveBlocks());
            }
        }
    }

    /** Cleanups run once each, newest first, every one of them even when some throw. */
    @Property(tries = 100)
    void cleanupsRunOnceInReverseOrder(@ForAll @Size(max = 20) List<Boolean> throwing,
                                       @ForAll @IntRange(min = 0, max = 2) int resets) {
        RegionPool pool = new RegionPool(Backing.of(PageSource.os()), 1024, false);
        List<Integer> ran = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        int failures = 0;
        for (int round = 0; round <= resets; round++) {
            for (int i = 0; i < throwing.size(); i++) {
                int id = round * 100 + i;
                boolean fails = throwing.get(i);
                pool.addCleanup(() -> {
                    ran.add(id);
                    if (fails) {
                        throw new IllegalStateException("cleanup " + id);
                    }
                });
                expected.addFirst(id);
            }
            List<Integer> roundOrder = new ArrayList<>(expected);
            expected.clear();
            int roundFailures = (int) throwing.stream().filter(b -> b).count();
            failures += roundFailures;
            try {
                if (round < resets) {
                    pool.reset();
                } else {
                    pool.close();
                }
                assertEquals(0, roundFailures);
            } catch (CleanupFailedException e) {
                assertEquals(roundFailures, 1 + e.getSuppressed().length);
            }
            assertEquals(roundOrder, ran.subList(ran.size() - roundOrder.size(), ran.size()));
        }
        pool.close();
        assertEquals((resets + 1) * throwing.size(), ran.size(), "each ran exactly once (" + failures + " threw)");
    }
}
