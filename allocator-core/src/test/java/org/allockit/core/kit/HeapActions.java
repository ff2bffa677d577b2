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
 * The steps of the kit's random operation sequences, as jqwik actions on a {@link ModeledHeap}. The
 * heap logs each call as it is made ({@code b3 = alloc(100, 4096)}, {@code b3 = reallocate(b3, 20)},
 * {@code free(b3)}, {@code write(b3)}), so a shrunk failing chain is reported as a small program to
 * replay by hand. Blocks are named in the order they were allocated and keep their name through
 * reallocation; steps on a block pick one of the live ones when they run (see {@link Step}), and
 * steps the allocator does not support ({@link Feature#INDIVIDUAL_FREE}, {@link Feature#REALLOCATE})
 * are never chosen.
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
                .withAction(5, new Alloc(false))
                .withAction(2, new AlignedAlloc())
                .withAction(1, new Alloc(true))
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

    /** Which live block a step works on: the oldest for 0, counting on modulo the number live. */
    private static Arbitrary<Integer> choices() {
        return Arbitraries.integers().between(0, 255);
    }

    /**
     * A step of a chain. Its description for jqwik is fixed when it is generated; before it runs it
     * writes the call it makes, with the real block names, into the heap's {@link ModeledHeap#calls()
     * log}: shrinking removes steps, so in a shrunk chain a step may work on another block than the
     * one it was generated for, and the log says what really ran.
     */
    abstract static class Step implements Transformer<ModeledHeap> {
        private final String planned;

        Step(String planned) {
            this.planned = planned;
        }

        @Override
        public final ModeledHeap apply(ModeledHeap heap) {
            run(heap);
            return heap;
        }

        /** Logs the call with {@link ModeledHeap#log} and makes it. */
        abstract void run(ModeledHeap heap);

        @Override
        public String transformation() {
            return planned;
        }

        @Override
        public String toString() {
            return planned;
        }
    }

    /** A step on one live block, picked when it runs; with none live (in a shrunk chain) it does nothing. */
    abstract static class BlockStep extends Step {
        private final int choice;

        BlockStep(int choice, String planned) {
            super(planned);
            this.choice = choice;
        }

        @Override
        final void run(ModeledHeap heap) {
            int id = heap.pick(choice);
            if (id >= 0) {
                run(heap, id, heap.block(id).name());
            }
        }

        abstract void run(ModeledHeap heap, int id, String name);
    }

    /** {@code bN = alloc(size)}, or {@code bN = reallocate(0, size)}, which allocates too. */
    static final class Alloc implements Action.Independent<ModeledHeap> {
        private final boolean throughReallocate;

        Alloc(boolean throughReallocate) {
            this.throughReallocate = throughReallocate;
        }

        @Override
        public boolean precondition(ModeledHeap heap) {
            return roomFor(heap) && (!throughReallocate || heap.has(Feature.REALLOCATE));
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer() {
            return sizes().map(size -> {
                String call = throughReallocate ? "reallocate(0, " + size + ")" : "alloc(" + size + ")";
                return new Step(call) {
                    @Override
                    void run(ModeledHeap heap) {
                        heap.log(heap.nextName() + " = " + call);
                        if (throughReallocate) {
                            heap.reallocateNull(size);
                        } else {
                            heap.alloc(size);
                        }
                    }
                };
            });
        }
    }

    /** {@code bN = alloc(size, alignment)}. */
    static final class AlignedAlloc implements Action.Independent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return roomFor(heap);
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer() {
            return Combinators.combine(sizes(), alignments()).as((size, alignment) -> new Step(
                    "alloc(" + size + ", " + alignment + ")") {
                @Override
                void run(ModeledHeap heap) {
                    heap.log(heap.nextName() + " = alloc(" + size + ", " + alignment + ")");
                    heap.alloc(size, alignment);
                }
            });
        }
    }

    /**
     * How a reallocation sizes the block: to a size drawn like any other, or relative to its current
     * size, where in-place growth and shrinking and their off-by-one edges live.
     */
    enum Resize {
        TO_SIZE, SAME, PLUS_ONE, MINUS_ONE, DOUBLE, HALF, PLUS_PAGE;

        long newSize(long current, long drawn) {
            return switch (this) {
                case TO_SIZE -> drawn;
                case SAME -> current;
                case PLUS_ONE -> current + 1;
                case MINUS_ONE -> Math.max(current - 1, 0);
                case DOUBLE -> Math.min(current * 2, LIVE_LIMIT / 4);
                case HALF -> current / 2;
                case PLUS_PAGE -> current + 4096;
            };
        }
    }

    /** {@code bN = reallocate(bN, newSize)}: checks the kept bytes, then writes a new pattern. */
    static final class Reallocate implements Action.Independent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return heap.has(Feature.REALLOCATE) && heap.hasLiveBlocks();
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer() {
            Arbitrary<Resize> resizes = Arbitraries.frequencyOf(
                    Tuple.of(10, Arbitraries.just(Resize.TO_SIZE)), Tuple.of(6, Arbitraries.of(Resize.class)));
            return Combinators.combine(choices(), resizes, sizes()).as((choice, resize, size) -> new BlockStep(choice,
                    "reallocate(live block " + choice + ", " + (resize == Resize.TO_SIZE ? size : resize) + ")") {
                @Override
                void run(ModeledHeap heap, int id, String name) {
                    long newSize = resize.newSize(heap.block(id).requested(), size);
                    heap.log(name + " = reallocate(" + name + ", " + newSize + ")");
                    heap.reallocate(id, newSize);
                }
            });
        }
    }

    /** {@code free(bN)}. */
    static final class Free implements Action.Independent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return heap.has(Feature.INDIVIDUAL_FREE) && heap.hasLiveBlocks();
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer() {
            return choices().map(choice -> new BlockStep(choice, "free(live block " + choice + ")") {
                @Override
                void run(ModeledHeap heap, int id, String name) {
                    heap.log("free(" + name + ")");
                    heap.free(id);
                }
            });
        }
    }

    /** {@code write(bN)}: a new pattern over every usable byte of a live block. */
    static final class Write implements Action.Independent<ModeledHeap> {
        @Override
        public boolean precondition(ModeledHeap heap) {
            return heap.hasLiveBlocks();
        }

        @Override
        public Arbitrary<Transformer<ModeledHeap>> transformer() {
            return choices().map(choice -> new BlockStep(choice, "write(live block " + choice + ")") {
                @Override
                void run(ModeledHeap heap, int id, String name) {
                    heap.log("write(" + name + ")");
                    heap.write(id);
                }
            });
        }
    }
}
