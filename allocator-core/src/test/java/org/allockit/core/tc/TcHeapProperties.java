package org.allockit.core.tc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TcHeapProperties {

    /** One step: kind 0 alloc, 1 free, 2 reallocate, 3 aligned alloc, 4 trim; {@code pick} chooses a block. */
    record Op(int kind, long size, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Long> sizes = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 256),
                Arbitraries.longs().between(257, 16_384),
                Arbitraries.longs().between(16_385, 600_000));
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 10), sizes, Arbitraries.integers().between(0, 1000))
                .as((k, s, p) -> new Op(k < 4 ? 0 : k < 8 ? 1 : k < 9 ? 2 : k < 10 ? 3 : 4, s, p));
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 60)
    void everyStepKeepsTheHeapConsistent(@ForAll("ops") List<Op> ops, @ForAll boolean checking) {
        try (TcHeap heap = TcHeapTest.heap("checking", String.valueOf(checking), "sample_interval", "32K",
                "cache_cap", "128K")) {
            heap.setSampler((address, bytes) -> { });
            List<long[]> live = new ArrayList<>(); // address, size, stamp
            long stamp = 1;
            for (Op op : ops) {
                switch (op.kind()) {
                    case 0, 3 -> {
                        long alignment = op.kind() == 0 ? 16 : 1L << (4 + op.pick() % 14);
                        long p = heap.alloc(op.size(), alignment);
                        assertEquals(0, p % alignment);
                        assertTrue(heap.usableSize(p) >= op.size());
                        live.add(new long[] {p, op.size(), stamp(heap, p, op.size(), stamp++)});
                    }
                    case 1 -> {
                        if (!live.isEmpty()) {
                            long[] b = live.remove(op.pick() % live.size());
                            check(heap, b);
                            heap.free(b[0]);
                        }
                    }
                    case 2 -> {
                        if (!live.isEmpty()) {
                            long[] b = live.get(op.pick() % live.size());
                            check(heap, b);
                            long q = heap.reallocate(b[0], op.size());
                            if (op.size() > 0 && b[1] > 0) {
                                assertEquals((byte) b[2], heap.segment(q).get(ValueLayout.JAVA_BYTE, 0));
                            }
                            b[0] = q;
                            b[1] = op.size();
                            b[2] = stamp(heap, q, op.size(), stamp++);
                        }
                    }
                    default -> heap.trim();
                }
                heap.verify();
                assertEquals(live.size(), heap.stats().liveBlocks());
            }
            for (long[] b : live) {
                check(heap, b);
                heap.free(b[0]);
            }
            heap.trim();
            heap.verify();
            assertEquals(0, heap.stats().footprintBytes());
        }
    }

    /** Fills a block's first and last byte with its stamp, so an overlap with another block shows. */
    private static long stamp(TcHeap heap, long p, long size, long stamp) {
        if (size > 0) {
            heap.segment(p).set(ValueLayout.JAVA_BYTE, 0, (byte) stamp);
            heap.segment(p).set(ValueLayout.JAVA_BYTE, size - 1, (byte) stamp);
        }
        return stamp;
    }

    private static void check(TcHeap heap, long[] b) {
        if (b[1] > 0) {
            assertEquals((byte) b[2], heap.segment(b[0]).get(ValueLayout.JAVA_BYTE, 0));
            assertEquals((byte) b[2], heap.segment(b[0]).get(ValueLayout.JAVA_BYTE, b[1] - 1));
        }
    }
}
