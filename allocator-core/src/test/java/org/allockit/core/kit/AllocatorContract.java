package org.allockit.core.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.Feature;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidAddressException.Reason;
import org.allockit.core.InvalidAlignmentException;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.FailingPageSource;
import org.allockit.core.os.PageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/**
 * The invariant kit: the properties every {@link Allocator} must have, for any allocator to run by
 * extending this class and naming a factory.
 *
 * <h2>Use</h2>
 * Depend on allocator-core's test-jar, JUnit 5 and jqwik in test scope:
 * <pre>{@code
 * <dependency>
 *   <groupId>org.allockit</groupId>
 *   <artifactId>allocator-core</artifactId>
 *   <version>0.1.0-SNAPSHOT</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * <!-- plus org.junit.jupiter:junit-jupiter and net.jqwik:jqwik, test scope -->
 * }</pre>
 * then write one test class (surefire runs the JUnit Jupiter and jqwik engines it finds):
 * <pre>{@code
 * class MyHeapContractTest extends AllocatorContract {
 *     protected Allocator create() { return new MyHeap(AllocatorOptions.defaults()); }
 *     // optional: lets the kit run the heap out of memory through a failing page source
 *     protected Allocator create(PageSource pages) { return new MyHeap(AllocatorOptions.defaults().withPages(pages)); }
 * }
 * }</pre>
 * Other hooks, all optional: {@link #naturalAlignment()} (16 unless overridden) and
 * {@link #freeAll(Allocator)} for an allocator that frees only all at once. A thread-safe allocator
 * extends {@link ConcurrentAllocatorContract} instead, which adds the multi-threaded checks to
 * these. Tests run with {@code --enable-native-access=ALL-UNNAMED}. The kit's own tests show it
 * failing: {@code AllocatorContractSelfTest} runs it against allocators broken on purpose, and
 * {@link ReferenceAllocator} is the simplest allocator that passes it all.
 *
 * <h2>What it checks</h2>
 * <ul>
 *   <li>{@link #randomOperationsKeepEveryInvariant}: random chains of allocate, aligned allocate
 *       (alignments up to 1 MiB), reallocate, free and write, sizes from 0 to 6 MiB skewed towards
 *       small ones (see {@link HeapActions}), run against a {@link ModeledHeap} that checks after
 *       every step that live blocks never overlap, alignment holds, {@code usableSize >= requested},
 *       every live block's bytes are intact, {@code stats()} agrees with the model and
 *       {@code verify()} passes; at the end everything is freed, the live counts must be zero and,
 *       after {@code trim()}, the footprint back to where it started. Each new block's
 *       {@code segment()} and {@code buffer()} views must cover exactly its usable bytes. On failure
 *       jqwik shrinks the chain, and the failure lists the calls that ran as a short program
 *       ({@code b1 = reallocate(0, 525695)}, {@code free(b1)}, {@code b2 = alloc(17080, 524288)}...).</li>
 *   <li>{@link #servesAsASegmentAllocator}: the {@code SegmentAllocator} side of the API
 *       ({@code allocateFrom}, {@code allocate(size, alignment)}, {@code free(MemorySegment)}).</li>
 *   <li>Each bad input of the API: negative sizes, sizes (with their alignment) beyond what can be
 *       addressed, alignments that are not powers of two, free and reallocate of a foreign address,
 *       of an interior address and of a block already freed, every call after {@code close()}, and
 *       running out of memory. Each must throw its exception, naming the allocator and the value,
 *       and leave the heap working: its blocks intact, its stats unchanged, new blocks usable.</li>
 * </ul>
 * What an allocator declares in {@link Allocator#features()} decides what runs: without
 * {@link Feature#EXACT_STATS} stats are not compared, without {@link Feature#RETURNS_MEMORY} the
 * footprint is not, without {@link Feature#INDIVIDUAL_FREE} or {@link Feature#REALLOCATE} those calls
 * are never made, and the bad-address checks run only where {@link Feature#DETECTS_FOREIGN_ADDRESS},
 * {@link Feature#DETECTS_INTERIOR_ADDRESS} or {@link Feature#DETECTS_DOUBLE_FREE} is declared: an
 * allocator that cannot detect a bad address (glibc) is never handed one. Checks that do not apply
 * are reported as skipped, with the reason.
 *
 * <p>The random chains run 40 tries of up to 40 steps; the whole kit takes seconds per allocator.
 * Shrinking is bounded to jqwik's default 10 seconds, which may leave a dozen calls; for the
 * smallest failing chain run with {@code -Djqwik.shrinking.default=FULL} (for example
 * {@code mvn verify -pl allocator-core -Dtest=MyHeapContractTest -Djqwik.shrinking.default=FULL}),
 * which brings a misaligned tiny block down to the single call {@code b1 = reallocate(0, 0)}. When a
 * chain fails, jqwik replays the failing sample first on the next run (its database is
 * {@code .jqwik-database} in the module directory), so a fix can be checked against the same chain.
 */
public abstract class AllocatorContract {

    private static final long MIB = 1L << 20;

    /** The heap of the chain running now, kept here because jqwik knows it only after a step succeeds. */
    private ModeledHeap chainHeap;

    /** A new allocator with its default options. Each try and each test gets its own, and closes it. */
    protected abstract Allocator create();

    /**
     * A new allocator that takes its pages from {@code pages}, or {@code null} when it cannot be
     * built over a page source (then the out-of-memory check is skipped).
     */
    protected Allocator create(PageSource pages) {
        return null;
    }

    /**
     * Frees every block of {@code allocator} at once, for an allocator without
     * {@link Feature#INDIVIDUAL_FREE} (a region pool's reset), and returns true; with it the kit checks
     * at the end of each chain that nothing is live (frees counting every block given back) and the
     * footprint returns after {@code trim()}. Returns false, the default, when there is no such call.
     */
    protected boolean freeAll(Allocator allocator) {
        return false;
    }

    /** The alignment of blocks from {@code alloc(size)} and {@code reallocate}: 16 unless overridden. */
    protected long naturalAlignment() {
        return 16;
    }

    private ModeledHeap newHeap() {
        Allocator allocator = create();
        assertNotNull(allocator, "create() returned null");
        return new ModeledHeap(allocator, naturalAlignment());
    }

    @Provide
    Arbitrary<ActionChain<ModeledHeap>> operations() {
        return HeapActions.chains(() -> chainHeap = newHeap(), 40);
    }

    @Property(tries = 40)
    public void randomOperationsKeepEveryInvariant(@ForAll("operations") ActionChain<ModeledHeap> chain) {
        ModeledHeap heap;
        try {
            heap = chain.withInvariant("heap invariants", ModeledHeap::checkInvariants).run();
            if (heap.has(Feature.INDIVIDUAL_FREE)) {
                heap.log("free every live block, check, trim()");
                heap.freeEverything();
            } else {
                heap.log("freeAll(), check, trim()");
                heap.freeEverythingAtOnce(this::freeAll);
            }
        } catch (Throwable failure) {
            ModeledHeap failed = chainHeap;
            chainHeap = null;
            if (failed == null) {
                throw failure;
            }
            closeAfter(failed, failure);
            // jqwik wraps what a step or the invariant threw; report that, then the calls that led to it.
            boolean inChain = chain.running() == ActionChain.RunningState.FAILED && failure.getCause() != null;
            throw new AssertionFailedError((inChain ? failure.getCause() : failure).getMessage()
                    + "\nafter these calls (blocks named b1, b2, ... in the order they were allocated):\n" + failed.calls(), failure);
        }
        heap.close();
        chainHeap = null;
    }

    @Test
    public void honoursEveryAlignmentUpTo1GiB() {
        try (ModeledHeap heap = heapWithBlocks()) {
            for (int shift = 0; shift <= 30; shift++) {
                ModeledHeap.Block empty = heap.alloc(0, 1L << shift);
                ModeledHeap.Block sized = heap.alloc(shift % 2 == 0 ? 64 : Math.min((1L << shift) + 1, 100_000), 1L << shift);
                heap.checkInvariants();
                if (heap.has(Feature.INDIVIDUAL_FREE) && shift >= 20) {
                    heap.free(empty.id());
                    heap.free(sized.id());
                }
            }
            assertStillWorks(heap);
        }
    }

    @Test
    public void servesAsASegmentAllocator() {
        try (ModeledHeap heap = heapWithBlocks()) {
            Allocator a = heap.allocator();
            AllocatorStats before = a.stats();
            MemorySegment ints = a.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3);
            MemorySegment page = a.allocate(4096, 4096);
            assertEquals(12, ints.byteSize(), "allocateFrom(JAVA_INT, 1, 2, 3) segment size");
            assertEquals(0, ints.address() % ValueLayout.JAVA_INT.byteAlignment(), "allocateFrom alignment");
            assertEquals(0, page.address() % 4096, "allocate(4096, 4096) alignment");
            assertTrue(a.usableSize(ints.address()) >= 12 && a.usableSize(page.address()) >= 4096, "usable sizes of the segments");
            page.fill((byte) 7);
            assertEquals(List.of(1, 2, 3), List.of(ints.getAtIndex(ValueLayout.JAVA_INT, 0),
                    ints.getAtIndex(ValueLayout.JAVA_INT, 1), ints.getAtIndex(ValueLayout.JAVA_INT, 2)), "allocateFrom contents");
            if (heap.has(Feature.EXACT_STATS)) {
                assertEquals(before.liveBlocks() + 2, a.stats().liveBlocks(), "live blocks with the two segments");
            }
            if (heap.has(Feature.INDIVIDUAL_FREE)) {
                a.free(ints);
                a.free(page);
                if (heap.has(Feature.EXACT_STATS)) {
                    assertEquals(before.liveBlocks(), a.stats().liveBlocks(), "live blocks after free(MemorySegment)");
                    assertEquals(before.allocations() + 2, a.stats().allocations(), "allocations counted");
                }
                heap.countAllocatedAndFreedDirectly(2);
                assertStillWorks(heap);
            }
        }
    }

    @Test
    public void rejectsNegativeSizes() {
        try (ModeledHeap heap = heapWithBlocks()) {
            Allocator a = heap.allocator();
            expectInvalidSize(a, -1, () -> a.alloc(-1), "alloc(-1)");
            expectInvalidSize(a, -1, () -> a.alloc(-1, 64), "alloc(-1, 64)");
            expectInvalidSize(a, Long.MIN_VALUE, () -> a.alloc(Long.MIN_VALUE), "alloc(Long.MIN_VALUE)");
            if (heap.has(Feature.REALLOCATE)) {
                long b1 = heap.block(1).address();
                expectInvalidSize(a, -1, () -> a.reallocate(b1, -1), "reallocate(b1, -1)");
                expectInvalidSize(a, -1, () -> a.reallocate(0, -1), "reallocate(0, -1)");
            }
            assertStillWorks(heap);
        }
    }

    @Test
    public void rejectsSizesBeyondWhatCanBeAddressed() {
        try (ModeledHeap heap = heapWithBlocks()) {
            Allocator a = heap.allocator();
            long max = Allocator.MAX_SIZE;
            expectInvalidSize(a, max + 1, () -> a.alloc(max + 1), "alloc(MAX_SIZE + 1)");
            expectInvalidSize(a, Long.MAX_VALUE, () -> a.alloc(Long.MAX_VALUE), "alloc(Long.MAX_VALUE)");
            expectInvalidSize(a, max - 100, () -> a.alloc(max - 100, 4096), "alloc(MAX_SIZE - 100, 4096)");
            expectInvalidSize(a, max - MIB / 2, () -> a.alloc(max - MIB / 2, MIB), "alloc(MAX_SIZE - 512 KiB, 1 MiB)");
            if (heap.has(Feature.REALLOCATE)) {
                long b1 = heap.block(1).address();
                expectInvalidSize(a, Long.MAX_VALUE, () -> a.reallocate(b1, Long.MAX_VALUE), "reallocate(b1, Long.MAX_VALUE)");
            }
            assertStillWorks(heap);
        }
    }

    @Test
    public void rejectsAlignmentsThatAreNotPowersOfTwo() {
        try (ModeledHeap heap = heapWithBlocks()) {
            Allocator a = heap.allocator();
            for (long alignment : new long[] {0, 3, 24, 48, 1000, -16, Long.MIN_VALUE, (1L << 20) + 16}) {
                InvalidAlignmentException e = expect(InvalidAlignmentException.class,
                        () -> a.alloc(64, alignment), "alloc(64, " + alignment + ")");
                assertEquals(alignment, e.alignment(), "the alignment the exception names");
                assertNamesAllocator(a, e);
            }
            assertStillWorks(heap);
        }
    }

    @Test
    public void rejectsForeignAddresses() {
        try (ModeledHeap heap = heapWithBlocks(); Arena arena = Arena.ofConfined()) {
            assumeDeclared(heap, Feature.DETECTS_FOREIGN_ADDRESS);
            assumeTrue(heap.has(Feature.INDIVIDUAL_FREE) || heap.has(Feature.REALLOCATE),
                    heap.allocator().name() + " has neither free nor reallocate to hand an address to");
            Allocator a = heap.allocator();
            long foreign = arena.allocate(4096, 4096).address();
            BlockPattern.fill(foreign, 4096, 42);
            if (heap.has(Feature.INDIVIDUAL_FREE)) {
                expectInvalidAddress(a, foreign, Set.of(Reason.FOREIGN), () -> a.free(foreign), "free(foreign)");
            }
            if (heap.has(Feature.REALLOCATE)) {
                expectInvalidAddress(a, foreign, Set.of(Reason.FOREIGN), () -> a.reallocate(foreign, 64),
                        "reallocate(foreign, 64)");
            }
            assertEquals(-1, BlockPattern.firstMismatch(foreign, 4096, 42), "rejecting a foreign address must not write to it");
            assertStillWorks(heap);
        }
    }

    @Test
    public void rejectsInteriorAddresses() {
        try (ModeledHeap heap = heapWithBlocks()) {
            assumeDeclared(heap, Feature.DETECTS_INTERIOR_ADDRESS, Feature.INDIVIDUAL_FREE);
            Allocator a = heap.allocator();
            Set<Reason> interior = Set.of(Reason.INTERIOR, Reason.MISALIGNED);
            long small = heap.block(1).address();
            long large = heap.block(2).address();
            for (long inside : new long[] {small + 1, small + 16, small + 48, large + 16, large + 4096, large + 65536}) {
                expectInvalidAddress(a, inside, interior, () -> a.free(inside), "free(0x" + Long.toHexString(inside) + ")");
                if (heap.has(Feature.REALLOCATE)) {
                    expectInvalidAddress(a, inside, interior, () -> a.reallocate(inside, 32),
                            "reallocate(0x" + Long.toHexString(inside) + ", 32)");
                }
            }
            assertStillWorks(heap);
        }
    }

    @Test
    public void rejectsDoubleFrees() {
        try (ModeledHeap heap = heapWithBlocks()) {
            assumeDeclared(heap, Feature.DETECTS_DOUBLE_FREE, Feature.INDIVIDUAL_FREE);
            Allocator a = heap.allocator();
            ModeledHeap.Block small = heap.alloc(64);
            ModeledHeap.Block large = heap.alloc(4 * MIB);
            heap.free(small.id());
            heap.free(large.id());
            heap.checkInvariants();
            // A small freed block is still the allocator's: it must know it is free.
            assertInstanceOf(DoubleFreeException.class, expectInvalidAddress(a, small.address(), Set.of(Reason.DOUBLE_FREE),
                    () -> a.free(small.address()), "free(small) again"));
            // A large one may already be back with the OS, and then it is foreign.
            Set<Reason> freedLarge = Set.of(Reason.DOUBLE_FREE, Reason.FOREIGN);
            expectInvalidAddress(a, large.address(), freedLarge, () -> a.free(large.address()), "free(large) again");
            if (heap.has(Feature.REALLOCATE)) {
                expectInvalidAddress(a, small.address(), Set.of(Reason.DOUBLE_FREE),
                        () -> a.reallocate(small.address(), 128), "reallocate(freed small, 128)");
                expectInvalidAddress(a, large.address(), freedLarge,
                        () -> a.reallocate(large.address(), 128), "reallocate(freed large, 128)");
            }
            // A block freed between two free neighbours may be merged away: its address is then inside
            // a larger free block, and a second free of it, or of a neighbour, must still be refused.
            ModeledHeap.Block left = heap.alloc(64);
            ModeledHeap.Block middle = heap.alloc(64);
            ModeledHeap.Block right = heap.alloc(64);
            heap.alloc(64);
            heap.free(left.id());
            heap.free(right.id());
            heap.free(middle.id());
            heap.checkInvariants();
            Set<Reason> merged = Set.of(Reason.DOUBLE_FREE, Reason.INTERIOR, Reason.FOREIGN);
            expectInvalidAddress(a, middle.address(), merged, () -> a.free(middle.address()), "free(merged middle) again");
            expectInvalidAddress(a, right.address(), merged, () -> a.free(right.address()), "free(merged right) again");
            // Were the free lists corrupted, these would hand the same block out twice.
            for (int i = 0; i < 6; i++) {
                heap.alloc(64);
            }
            for (int i = 0; i < 3; i++) {
                heap.alloc(4 * MIB);
            }
            assertStillWorks(heap);
        }
    }

    @Test
    public void rejectsEveryCallAfterClose() {
        ModeledHeap heap = heapWithBlocks();
        Allocator a = heap.allocator();
        long b1 = heap.block(1).address();
        a.close();
        // The allocating calls first: an allocator that ignored close() is caught before it is handed b1.
        expectClosed(a, () -> a.alloc(16), "alloc(16)");
        expectClosed(a, () -> a.alloc(16, 4096), "alloc(16, 4096)");
        expectClosed(a, () -> a.allocate(16, 8), "allocate(16, 8) (SegmentAllocator)");
        expectClosed(a, a::stats, "stats()");
        expectClosed(a, a::verify, "verify()");
        expectClosed(a, a::trim, "trim()");
        expectClosed(a, () -> a.usableSize(b1), "usableSize(b1)");
        expectClosed(a, () -> a.segment(b1), "segment(b1)");
        if (heap.has(Feature.HEAP_WALK)) {
            expectClosed(a, () -> a.walk((address, bytes, state) -> { }), "walk(visitor)");
        }
        if (heap.has(Feature.REALLOCATE)) {
            expectClosed(a, () -> a.reallocate(0, 16), "reallocate(0, 16)");
            expectClosed(a, () -> a.reallocate(b1, 16), "reallocate(b1, 16)");
        }
        if (heap.has(Feature.INDIVIDUAL_FREE)) {
            expectClosed(a, () -> a.free(b1), "free(b1)");
        }
    }

    @Test
    public void reportsOutOfMemoryAndStaysUsable() {
        Allocator allocator = create(FailingPageSource.failAbove(PageSource.os(), 64 * MIB));
        assumeTrue(allocator != null, "create(PageSource) is not overridden: out of memory is not checked");
        try (ModeledHeap heap = new ModeledHeap(allocator, naturalAlignment())) {
            heap.alloc(64);
            heap.alloc(100_000);
            heap.checkInvariants();
            long huge = 1L << 30;
            OutOfNativeMemoryError e = expect(OutOfNativeMemoryError.class, () -> allocator.alloc(huge),
                    "alloc(1 GiB) with pages refused above 64 MiB");
            assertTrue(e.requested() >= huge, "the error names " + e.requested() + " bytes, fewer than the 1 GiB asked");
            expect(OutOfNativeMemoryError.class, () -> allocator.alloc(huge / 4, MIB),
                    "alloc(256 MiB, 1 MiB) with pages refused above 64 MiB");
            if (heap.has(Feature.REALLOCATE)) {
                long b1 = heap.block(1).address();
                expect(OutOfNativeMemoryError.class, () -> allocator.reallocate(b1, huge),
                        "reallocate(b1, 1 GiB) with pages refused above 64 MiB");
            }
            assertStillWorks(heap);
        }
    }

    @Test
    public void reportsOutOfMemoryForARequestNoMachineCanHold() {
        try (ModeledHeap heap = heapWithBlocks()) {
            Allocator a = heap.allocator();
            long exbibyte = 1L << 60;
            expectRefusedAsTooLarge(a, exbibyte, () -> a.alloc(exbibyte), "alloc(1 EiB)");
            expectRefusedAsTooLarge(a, exbibyte, () -> a.alloc(exbibyte, MIB), "alloc(1 EiB, 1 MiB)");
            if (heap.has(Feature.REALLOCATE)) {
                long b2 = heap.block(2).address();
                expectRefusedAsTooLarge(a, exbibyte, () -> a.reallocate(b2, exbibyte), "reallocate(b2, 1 EiB)");
            }
            assertStillWorks(heap);
        }
    }

    /**
     * A request within {@link Allocator#MAX_SIZE} that no machine can hold: out of memory, or an
     * invalid size where the allocator's own structures cannot address it. A layered allocator may
     * name the larger request it made of the layer below, and pass on that layer's message.
     */
    private static void expectRefusedAsTooLarge(Allocator a, long size, Executable call, String what) {
        InvalidSizeException invalid = null;
        try {
            call.execute();
        } catch (OutOfNativeMemoryError e) {
            assertTrue(e.requested() >= size, what + ": the error names " + e.requested() + " bytes, fewer than asked");
            return;
        } catch (InvalidSizeException e) {
            invalid = e;
        } catch (Throwable t) {
            throw new AssertionFailedError(what + ": expected OutOfNativeMemoryError or InvalidSizeException, but " + t
                    + " was thrown", t);
        }
        if (invalid == null) {
            throw new AssertionFailedError(what + ": expected OutOfNativeMemoryError or InvalidSizeException, but it returned");
        }
        assertEquals(size, invalid.size(), what + ": the size the exception names");
        assertNamesAllocator(a, invalid);
    }

    /** A heap of this allocator holding {@code b1} (64 bytes) and {@code b2} (100 000 bytes). */
    private ModeledHeap heapWithBlocks() {
        ModeledHeap heap = newHeap();
        heap.alloc(64);
        heap.alloc(100_000);
        heap.checkInvariants();
        return heap;
    }

    /**
     * The heap still works after a rejected call: its blocks are intact and its stats unchanged, new
     * blocks can be allocated, written and freed, and it verifies.
     */
    static void assertStillWorks(ModeledHeap heap) {
        heap.checkInvariants();
        heap.alloc(24);
        heap.alloc(24);
        heap.alloc(5000, 256);
        heap.alloc(300_000);
        heap.checkInvariants();
        if (heap.has(Feature.INDIVIDUAL_FREE)) {
            heap.freeEverything();
        }
    }

    private static void assumeDeclared(ModeledHeap heap, Feature... features) {
        for (Feature f : features) {
            assumeTrue(heap.has(f), heap.allocator().name() + " does not declare " + f);
        }
    }

    private static void expectInvalidSize(Allocator a, long size, Executable call, String what) {
        InvalidSizeException e = expect(InvalidSizeException.class, call, what);
        assertEquals(size, e.size(), what + ": the size the exception names");
        assertNamesAllocator(a, e);
    }

    private static InvalidAddressException expectInvalidAddress(Allocator a, long address, Set<Reason> reasons,
                                                                Executable call, String what) {
        InvalidAddressException e = expect(InvalidAddressException.class, call, what);
        assertEquals(address, e.address(), what + ": the address the exception names");
        assertTrue(reasons.contains(e.reason()), what + ": reason " + e.reason() + ", expected one of " + reasons);
        assertNamesAllocator(a, e);
        return e;
    }

    private static void expectClosed(Allocator a, Executable call, String what) {
        AllocatorClosedException e = expect(AllocatorClosedException.class, call, what + " after close()");
        assertNamesAllocator(a, e);
    }

    /**
     * Like {@code assertThrows}, except that an unexpected {@link OutOfMemoryError} (which JUnit and
     * jqwik rethrow as fatal, ending the whole run) fails only this test.
     */
    static <T extends Throwable> T expect(Class<T> type, Executable call, String what) {
        try {
            call.execute();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionFailedError(what + ": expected " + type.getName() + ", but " + t + " was thrown", t);
        }
        throw new AssertionFailedError(what + ": expected " + type.getName() + ", but nothing was thrown");
    }

    private static void assertNamesAllocator(Allocator a, Throwable e) {
        if (!e.getMessage().contains(a.name())) {
            fail("the message does not name the allocator '" + a.name() + "': " + e.getMessage());
        }
    }

    /** Closes a heap after a failure, keeping the failure first and anything close throws beside it. */
    static void closeAfter(ModeledHeap heap, Throwable failure) {
        try {
            heap.close();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }
}
