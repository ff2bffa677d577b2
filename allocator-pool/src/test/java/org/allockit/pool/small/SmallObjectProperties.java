package org.allockit.pool.small;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.allockit.core.Allocators;
import org.allockit.pool.Backing;
import org.allockit.pool.Fill;

class SmallObjectProperties {

    record Op(boolean allocate, int size, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 9).map(k -> k < 6),
                Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 1 << 20))
                .as(Op::new).list().ofMaxSize(400);
    }

    /**
     * Random allocations and frees (half of them sized, as in Loki, half by address alone) of a few
     * sizes, enough to spread each step over several chunks: after each free the chunk that held the
     * block is the last-free chunk (the
     * chunk contains it), and for every live block it finds the chunk that contains it from wherever
     * it starts; blocks never overlap and keep their contents; verify() holds after every step.
     */
    @Property(tries = 60)
    void vicinitySearchFindsTheRightChunk(@ForAll("ops") List<Op> ops) {
        try (SmallObjectAllocator small = new SmallObjectAllocator(Backing.of(Allocators.create("malloc")),
                256, 8, 512)) {
            TreeMap<Long, int[]> live = new TreeMap<>();
            List<Long> order = new ArrayList<>();
            int tag = 0;
            for (Op op : ops) {
                if (op.allocate() || live.isEmpty()) {
                    int size = op.size() % 4 == 0 ? op.size() : 16 + op.size() % 3 * 40;
                    long block = small.alloc(size);
                    var below = live.floorEntry(block + Math.max(size, 1) - 1);
                    assertTrue(below == null || below.getKey() + Math.max(below.getValue()[0], 1) <= block,
                            "block overlaps a live one");
                    Fill.write(block, size, ++tag);
                    live.put(block, new int[] {size, tag});
                    order.add(block);
                } else {
                    long block = order.remove(op.pick() % order.size());
                    int size = live.remove(block)[0];
                    if (op.pick() % 2 == 0) {
                        small.free(block, size); // Loki's sized free: the vicinity search finds the chunk
                    } else {
                        small.free(block); // the directory finds the chunk
                    }
                    if (size <= 256) {
                        FixedAllocator step = small.stepFor(size);
                        int found = step.lastFreeChunk();
                        assertTrue(found >= 0 && found < step.chunkCount()
                                        && (step.chunk(found).contains(block) || step.chunk(found).isEmpty()),
                                "the last-free chunk holds the freed block (or was emptied and kept)");
                    }
                }
                for (var entry : live.entrySet()) {
                    long block = entry.getKey();
                    int size = entry.getValue()[0];
                    Fill.check(block, size, entry.getValue()[1]);
                    if (size <= 256) {
                        FixedAllocator step = small.stepFor(size);
                        int index = step.vicinityFind(block);
                        assertTrue(index >= 0 && step.chunk(index).contains(block), "vicinity search missed");
                    }
                }
                small.verify();
                assertEquals(live.size(), small.stats().liveBlocks());
            }
            order.forEach(small::free);
            small.trim();
            assertEquals(0, small.stats().footprintBytes(), "every chunk and large block given back");
        }
    }
}
