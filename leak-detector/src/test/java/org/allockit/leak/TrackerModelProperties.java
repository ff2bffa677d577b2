package org.allockit.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.allockit.core.Allocators;

/**
 * Random allocate / free / reallocate sequences on clean code: after every step the tracker's counts
 * equal a model's, every block keeps its contents, and no error is ever reported (no false positives).
 */
class TrackerModelProperties {

    record Op(int kind, int size, int pick, int alignShift) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3000),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 8)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(150);
    }

    @Property(tries = 25)
    void countsMatchAModelAndCleanCodeReportsNothing(@ForAll("ops") List<Op> ops, @ForAll Level level) {
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"),
                LeakOptions.of(level).withSampleInterval(4096).withQuarantine(8192, 16).withLog(m -> { }));
        Map<Long, long[]> model = new HashMap<>();   // block -> {size, seed of its contents}
        List<Long> live = new ArrayList<>();
        long bytes = 0;
        for (Op op : ops) {
            if (op.kind == 0 || live.isEmpty()) {
                long block = tracker.alloc(op.size, 1L << op.alignShift);
                assertEquals(0, block % (1L << op.alignShift));
                fill(tracker, block, op.size, block);
                model.put(block, new long[] {op.size, block});
                live.add(block);
                bytes += op.size;
            } else {
                int i = op.pick % live.size();
                long block = live.get(i);
                long[] entry = model.remove(block);
                long size = entry[0];
                check(tracker, block, size, entry[1]);
                bytes -= size;
                if (op.kind == 1) {
                    tracker.free(block);
                    live.set(i, live.getLast());
                    live.removeLast();
                } else {
                    long moved = tracker.reallocate(block, op.size);
                    check(tracker, moved, Math.min(size, op.size), entry[1]);
                    fill(tracker, moved, op.size, moved);
                    model.put(moved, new long[] {op.size, moved});
                    live.set(i, moved);
                    bytes += op.size;
                }
            }
            assertEquals(model.size(), tracker.stats().liveBlocks());
            assertEquals(bytes, tracker.stats().liveRequestedBytes());
        }
        tracker.verify();
        LeakReport before = tracker.report();
        assertEquals(model.size(), before.blocks());
        assertEquals(bytes, before.bytes());
        assertEquals(before.blocks(), before.sites().stream().mapToLong(SiteLeaks::blocks).sum());
        live.forEach(tracker::free);
        tracker.close();
        assertTrue(tracker.report().clean(), tracker.report().toText());
    }

    /** Writes {@code seed + i} into each of the block's first 64 bytes. */
    private static void fill(LeakTracker tracker, long block, long size, long seed) {
        for (long i = 0; i < Math.min(size, 64); i++) {
            tracker.segment(block).set(ValueLayout.JAVA_BYTE, i, (byte) (seed + i));
        }
    }

    private static void check(LeakTracker tracker, long block, long size, long seed) {
        for (long i = 0; i < Math.min(size, 64); i++) {
            assertEquals((byte) (seed + i), tracker.segment(block).get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
    }
}
