package org.allockit.core.kit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;
import org.allockit.core.Feature;

/**
 * The steps of the kit's random operation sequences, as jqwik actions on a {@link ModeledHeap}. Each
 * step reads like the call it makes ({@code b3 = alloc(100, 4096)}, {@code b3 = reallocate(b3, 20)},
 * {@code free(b3)}, {@code write(b3)}), so a shrunk failing chain is a small program to replay by
 * hand. Blocks are named in the order they were allocated and keep their name through
 * reallocation; steps that name a block pick among the live ones, and steps the allocator does not
 * support ({@link Feature#INDIVIDUAL_FREE}, {@link Feature#REALLOCATE}) are never chosen.
 */
public final class HeapActions {

    /** New blocks are not allocated while the live blocks hold this many usable bytes. */
    static final long LIVE_LIMIT = 48L << 20;

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;

    private HeapActions() {
    }

    /** Chains of at most {@code maxSteps} steps on heaps made by {@code heaps}. */
    public static ActionChainArbitrary<ModeledHeap> chains(java.util.function.Supplier<ModeledHeap> heaps, int maxSteps) {
        return ActionChain.<ModeledHeap>startWith(heaps)
                .withAction(5, new Alloc())
                .withAction(2, new AlignedAlloc())
                .withAction(1, new ReallocateNull())
                .withAction(3, new Reallocate())
                .withAction(4, new Free())
                .withAction(1, new Write())
                .withMaxTransformations(maxSteps);
    }

    /**
     * Sizes from 0 to 6 MiB, mostly small: half up to 256 B, a fifth up to 16 KiB, a tenth at powers of
     * two and their neighbours (where size classes and thresholds change), the rest up to 6 MiB.
     */
    public static Arbitrary<Long> sizes() {
        Arbitrary<Long> nearPowersOfTwo = Combinators.combine(
                        Arbitraries.integers().between(3, 22), Arbitraries.longs().between(-1, 1))
                .as((exponent, delta) -> (1L << exponent) + delta);
        return Arbitraries.frequencyOf(
                Tuple.of(50, Arbitraries.longs().between(0, 256)),
                Tuple.of(20, Arbitraries.longs().between(257, 16 * KIB)),
                Tuple.of(10, nearPowersOfTwo),
                Tuple.of(15, Arbitraries.longs().between(16 * KIB + 1, 512 * KIB)),
                Tuple.of(5, Arbitraries.longs().between(512 * KIB + 1, 6 * MIB)));
    }

    /** Powers of two from 1 to 1 MiB, mostly up to 64. */
    public static Arbitrary<Long> alignments() {
        return Arbitraries.frequencyOf(
                        Tuple.of(70, Arbitraries.integers().between(0, 6)),
                        Tuple.of(20, Arbitraries.integers().between(7, 12)),
                        Tuple.of(10, Arbitraries.integers().between(13, 20)))
                .map(exponent -> 1L << exponent);
    }

    private static boolean roomFor(ModeledHeap heap) {
        return heap.liveUsableBytes() < LIVE_LIMIT;
    }

    private static Arbitrary<Integer> liveBlock(ModeledHeap heap) {
        return Arbitraries.of(heap.liveIds());
    }

    private static String name(int id) {
        return "b" + id;
    }

    /** {@code bN = alloc(size)}. */
    static final class Alloc implements Action.Dependent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return roomFor(heap);
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer(ModeledHeap heap) {
            return sizes().map(size -> Transformer.mutate(heap.nextName() + " = alloc(" + size + ")", h -> h.alloc(size)));
        }
    }

    /** {@code bN = alloc(size, alignment)}. */
    static final class AlignedAlloc implements Action.Dependent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return roomFor(heap);
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer(ModeledHeap heap) {
            return Combinators.combine(sizes(), alignments()).as((size, alignment) -> Transformer.mutate(
                    heap.nextName() + " = alloc(" + size + ", " + alignment + ")", h -> h.alloc(size, alignment)));
        }
    }

    /** {@code bN = reallocate(0, size)}, which allocates. */
    static final class ReallocateNull implements Action.Dependent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return heap.has(Feature.REALLOCATE) && roomFor(heap);
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer(ModeledHeap heap) {
            return sizes().map(size -> Transformer.mutate(
                    heap.nextName() + " = reallocate(0, " + size + ")", h -> h.reallocateNull(size)));
        }
    }

    /** {@code bN = reallocate(bN, newSize)}: checks the kept bytes, then writes a new pattern. */
    static final class Reallocate implements Action.Dependent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return heap.has(Feature.REALLOCATE) && heap.hasLiveBlocks();
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer(ModeledHeap heap) {
            return Combinators.combine(liveBlock(heap), sizes()).as((id, size) -> Transformer.mutate(
                    name(id) + " = reallocate(" + name(id) + ", " + size + ")", h -> h.reallocate(id, size)));
        }
    }

    /** {@code free(bN)}. */
    static final class Free implements Action.Dependent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return heap.has(Feature.INDIVIDUAL_FREE) && heap.hasLiveBlocks();
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer(ModeledHeap heap) {
            return liveBlock(heap).map(id -> Transformer.mutate("free(" + name(id) + ")", h -> h.free(id)));
        }
    }

    /** {@code write(bN)}: a new pattern over every usable byte of a live block. */
    static final class Write implements Action.Dependent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return heap.hasLiveBlocks();
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer(ModeledHeap heap) {
            return liveBlock(heap).map(id -> Transformer.mutate("write(" + name(id) + ")", h -> h.write(id)));
        }
    }
}
