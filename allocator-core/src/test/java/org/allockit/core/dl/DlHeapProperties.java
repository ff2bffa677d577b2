package org.allockit.core.dl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.HeapVisitor;

/**
 * Random sequences of alloc, aligned alloc, realloc and free, with {@code verify()} after every step
 * and each block's contents checked before it is freed; then everything is freed and each segment
 * must be one free chunk (or given back), and a trim must bring the footprint back to the start.
 */
class DlHeapProperties {

    /** One step: kind 0 alloc, 1 aligned alloc, 2 realloc, 3 free; pick chooses the block. */
    record Op(int kind, long size, int alignShift, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Long> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 240)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(241, 8192)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(8193, 300_000)));
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 9), size, Arbitraries.integers().between(5, 16),
                Arbitraries.integers().between(0, 1 << 20))
                .as((k, s, a, p) -> new Op(k < 4 ? 0 : k < 5 ? 1 : k < 6 ? 2 : 3, s, a, p));
        return op.list().ofMaxSize(150);
    }

    @Property(tries = 120)
    void defaultHeapKeepsEveryInvariant(@ForAll("ops") List<Op> ops) {
        run(AllocatorOptions.defaults(), ops);
    }

    @Property(tries = 120)
    void smallSegmentsLowThresholdsAndFootersKeepEveryInvariant(@ForAll("ops") List<Op> ops) {
        run(AllocatorOptions.defaults().withSetting("granularity", "4K").withSetting("mmap_threshold", "32K")
                .withSetting("trim_threshold", "16K").withSetting("footers", "true"), ops);
    }

    @Property(tries = 60)
    void trimInTheMiddleKeepsEveryInvariant(@ForAll("ops") List<Op> ops, @ForAll @Size(max = 5) List<Integer> trimAt) {
        try (DlHeap heap = new DlHeap("dl-unlocked", AllocatorOptions.defaults().withSetting("granularity", "16K"))) {
            List<long[]> live = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                step(heap, ops.get(i), live);
                if (trimAt.contains(i)) {
                    heap.trim();
                    heap.verify();
                }
            }
            freeAll(heap, live);
        }
    }

    private static void run(AllocatorOptions options, List<Op> ops) {
        try (DlHeap heap = new DlHeap("dl-unlocked", options)) {
            long start = heap.stats().footprintBytes();
            List<long[]> live = new ArrayList<>();
            for (Op op : ops) {
                step(heap, op, live);
            }
            freeAll(heap, live);
            heap.trim();
            heap.verify();
            assertEquals(start, heap.stats().footprintBytes(), "footprint after free-all and trim");
        }
    }

    /** Applies one op; live blocks are {address, size, seed}. */
    private static void step(DlHeap heap, Op op, List<long[]> live) {
        if (op.kind() <= 1 || live.isEmpty()) {
            long alignment = op.kind() == 1 ? 1L << op.alignShift() : 16;
            long a = op.kind() == 1 ? heap.alloc(op.size(), alignment) : heap.alloc(op.size());
            assertEquals(0, a % alignment, "alignment");
            assertTrue(heap.usableSize(a) >= op.size());
            fill(a, op.size(), op.pick());
            live.add(new long[] {a, op.size(), op.pick()});
        } else {
            int i = op.pick() % live.size();
            long[] b = live.get(i);
            check(b);
            if (op.kind() == 2) {
                long moved = heap.reallocate(b[0], op.size());
                checkPrefix(moved, Math.min(64, Math.min(b[1], op.size())), b[2]);
                fill(moved, op.size(), op.pick());
                live.set(i, new long[] {moved, op.size(), op.pick()});
            } else {
                heap.free(b[0]);
                live.set(i, live.getLast());
                live.removeLast();
            }
        }
        heap.verify();
    }

    private static void freeAll(DlHeap heap, List<long[]> live) {
        for (long[] b : live) {
            check(b);
            heap.free(b[0]);
        }
        live.clear();
        heap.verify();
        assertEveryHeapSegmentIsOneFreeChunk(heap);
    }

    /** After everything is freed: each heap segment holds exactly one free range before its fence. */
    static void assertEveryHeapSegmentIsOneFreeChunk(DlHeap heap) {
        List<HeapVisitor.State> states = new ArrayList<>();
        heap.walk((address, bytes, state) -> states.add(state));
        // METADATA (state page), then per segment: FREE, METADATA (fence). No IN_USE anywhere.
        assertEquals(HeapVisitor.State.METADATA, states.getFirst());
        for (int i = 1; i < states.size(); i += 2) {
            assertEquals(HeapVisitor.State.FREE, states.get(i), "segment range " + i + " of " + states);
            assertEquals(HeapVisitor.State.METADATA, states.get(i + 1), "fence " + i + " of " + states);
        }
        assertEquals(0, heap.stats().liveBlocks());
    }

    private static void fill(long address, long size, long seed) {
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(size);
        long n = Math.min(size, 64);
        for (long i = 0; i < n; i++) {
            s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (seed + i));
        }
        if (size > 64) {
            s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, size - 1, (byte) seed);
        }
    }

    private static void checkPrefix(long address, long n, long seed) {
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(n);
        for (long i = 0; i < n; i++) {
            assertEquals((byte) (seed + i), s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i), "byte " + i + " of block 0x"
                    + Long.toHexString(address));
        }
    }

    private static void check(long[] b) {
        checkPrefix(b[0], Math.min(b[1], 64), b[2]);
        MemorySegment s = MemorySegment.ofAddress(b[0]).reinterpret(b[1]);
        if (b[1] > 64) {
            assertEquals((byte) b[2], s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, b[1] - 1), "last byte");
        }
    }
}
