package org.allockit.core.kit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.PageSourceException;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The kit can fail: each broken allocator below breaks one rule, and running the kit's check for
 * that rule against it must fail with a message that names the problem. The broken allocators are
 * the {@link ReferenceAllocator} with one behaviour changed; their contracts are nested classes, which
 * surefire does not run by itself, run here through the JUnit Platform test kit.
 */
class AllocatorContractSelfTest {

    @Test
    void catchesABlockHandedOutTwiceAndShrinksTheChain() {
        String message = failureOf("jqwik", selectClass(HandsOutTwiceContract.class), "BOUNDED");
        assertContains(message, "overlaps live block");
        // The shrunk chain is a readable program ending in the allocation that returned a live block.
        assertContains(message, "after these calls");
        assertContains(message, "    b1 = ");
    }

    @Test
    void catchesIgnoredAlignment() {
        assertContains(propertyFailure(IgnoresLargeAlignmentsContract.class), "is not aligned to");
    }

    @Test
    void catchesAWriteIntoALiveBlock() {
        assertContains(propertyFailure(StraysIntoNeighbourContract.class), "was overwritten at byte");
    }

    @Test
    void catchesContentsLostByReallocate() {
        assertContains(propertyFailure(LosesContentsOnReallocateContract.class), "lost the contents");
    }

    @Test
    void catchesWrongStats() {
        assertContains(propertyFailure(MiscountsUsableBytesContract.class), "stats().liveUsableBytes");
    }

    @Test
    void catchesMemoryNotGivenBack() {
        assertContains(propertyFailure(KeepsFootprintContract.class), "above the 0 it started at");
    }

    @Test
    void catchesAHeapWalkThatMissesLiveBlocks() {
        assertContains(propertyFailure(WalksLiveBlocksAsFreeContract.class), "starts in no IN_USE range of walk()");
    }

    @Test
    void catchesAnUndetectedDoubleFree() {
        assertContains(testFailure(IgnoresDoubleFreeContract.class, "rejectsDoubleFrees"),
                "free(small) again: expected org.allockit.core.InvalidAddressException, but nothing was thrown");
    }

    @Test
    void catchesCallsAcceptedAfterClose() {
        assertContains(testFailure(IgnoresCloseContract.class, "rejectsEveryCallAfterClose"), "after close()");
    }

    @Test
    void catchesOutOfMemoryReportedAsSomethingElse() {
        assertContains(testFailure(LeaksPageSourceErrorsContract.class, "reportsOutOfMemoryAndStaysUsable"),
                "OutOfNativeMemoryError");
    }

    @Test
    void catchesFreesLostBetweenThreads() {
        assertContains(testFailure(DropsRemoteFreesContract.class, "threadsSharingOneHeapLoseNothing"),
                "live blocks after everything was freed");
    }

    /** The failure message of the random-operations property run against {@code contract}. */
    private static String propertyFailure(Class<? extends AllocatorContract> contract) {
        return failureOf("jqwik", selectClass(contract), "OFF");
    }

    /** The failure message of one of the contract's JUnit tests. */
    private static String testFailure(Class<? extends AllocatorContract> contract, String test) {
        return failureOf("junit-jupiter", selectMethod(contract, test), "OFF");
    }

    /** Runs one engine on {@code selector} with jqwik's {@code shrinking} mode and returns the failure with its causes. */
    private static String failureOf(String engine, DiscoverySelector selector, String shrinking) {
        List<Event> failed = EngineTestKit.engine(engine).selectors(selector)
                .configurationParameter("jqwik.shrinking.default", shrinking)
                .configurationParameter("jqwik.shrinking.bounded.seconds", "1")
                .execute().testEvents().failed().list();
        assertTrue(failed.size() == 1, "expected the kit to fail once on " + selector + ", failures: " + failed);
        Throwable t = failed.getFirst().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        StringBuilder text = new StringBuilder();
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), "expected the failure to mention '" + part + "', it says:\n" + text);
    }

    /** Every fifth allocation returns the block allocated before it, which is still live. */
    static final class HandsOutTwice extends ReferenceAllocator {
        private long last;
        private int calls;

        @Override
        public synchronized long alloc(long size, long alignment) {
            if (++calls % 5 == 0 && liveBlocks().containsKey(last) && usableSize(last) >= size && last % alignment == 0) {
                return last;
            }
            last = super.alloc(size, alignment);
            return last;
        }
    }

    /** Alignments above a page are ignored. */
    static final class IgnoresLargeAlignments extends ReferenceAllocator {
        @Override
        public long alloc(long size, long alignment) {
            return super.alloc(size, Math.min(alignment, 4096));
        }
    }

    /** Each free flips the first byte of the lowest live block, like a stray metadata write. */
    static final class StraysIntoNeighbour extends ReferenceAllocator {
        @Override
        public synchronized void free(long address) {
            super.free(address);
            if (!liveBlocks().isEmpty()) {
                long victim = liveBlocks().keySet().iterator().next();
                BlockPattern.fill(victim, 1, ~BlockPattern.expected(0, 0) ^ BlockPattern.actual(victim));
            }
        }
    }

    /** Reallocation moves the block without copying it. */
    static final class LosesContentsOnReallocate extends ReferenceAllocator {
        @Override
        public synchronized long reallocate(long address, long newSize) {
            if (address == 0) {
                return super.reallocate(address, newSize);
            }
            long moved = alloc(newSize);
            free(address);
            return moved;
        }
    }

    /** Reports the requested bytes as the usable bytes. */
    static final class MiscountsUsableBytes extends ReferenceAllocator {
        @Override
        public synchronized AllocatorStats stats() {
            AllocatorStats s = super.stats();
            return new AllocatorStats(s.liveBlocks(), s.liveRequestedBytes(), s.liveRequestedBytes(), s.footprintBytes(),
                    s.peakFootprintBytes(), s.metadataBytes(), s.allocations(), s.frees());
        }
    }

    /** Reports its peak footprint as the current one, as if it never gave memory back. */
    static final class KeepsFootprint extends ReferenceAllocator {
        @Override
        public synchronized AllocatorStats stats() {
            AllocatorStats s = super.stats();
            return new AllocatorStats(s.liveBlocks(), s.liveRequestedBytes(), s.liveUsableBytes(), s.peakFootprintBytes(),
                    s.peakFootprintBytes(), s.metadataBytes(), s.allocations(), s.frees());
        }
    }

    /** Reports the live block at the highest address as free in its heap walk. */
    static final class WalksLiveBlocksAsFree extends ReferenceAllocator {
        @Override
        public synchronized boolean walk(HeapVisitor visitor) {
            long highest = liveBlocks().keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            return super.walk((address, bytes, state) ->
                    visitor.range(address, bytes, address == highest ? HeapVisitor.State.FREE : state));
        }
    }

    /** Declares DETECTS_DOUBLE_FREE yet lets a second free pass silently. */
    static final class IgnoresDoubleFree extends ReferenceAllocator {
        @Override
        public synchronized void free(long address) {
            try {
                super.free(address);
            } catch (DoubleFreeException silenced) {
                return;
            }
        }
    }

    /** Gives its pages back on close but keeps working. */
    static final class IgnoresClose extends ReferenceAllocator {
        @Override
        public synchronized void close() {
            for (long address : List.copyOf(liveBlocks().keySet())) {
                free(address);
            }
        }
    }

    /** Lets the page source's refusal through instead of reporting out of memory. */
    static final class LeaksPageSourceErrors extends ReferenceAllocator {
        LeaksPageSourceErrors(PageSource pages) {
            super(pages);
        }

        @Override
        public synchronized long alloc(long size, long alignment) {
            try {
                return super.alloc(size, alignment);
            } catch (OutOfNativeMemoryError e) {
                throw new PageSourceException(e.getMessage(), PageSourceException.ENOMEM);
            }
        }
    }

    /** Ignores a free from a thread other than the one that allocated the block. */
    static final class DropsRemoteFrees extends ReferenceAllocator {
        private final Map<Long, Thread> owners = new ConcurrentHashMap<>();

        @Override
        public synchronized long alloc(long size, long alignment) {
            long address = super.alloc(size, alignment);
            owners.put(address, Thread.currentThread());
            return address;
        }

        @Override
        public synchronized void free(long address) {
            if (owners.get(address) == Thread.currentThread()) {
                owners.remove(address);
                super.free(address);
            }
        }
    }

    static class HandsOutTwiceContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new HandsOutTwice();
        }
    }

    static class IgnoresLargeAlignmentsContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new IgnoresLargeAlignments();
        }
    }

    static class StraysIntoNeighbourContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new StraysIntoNeighbour();
        }
    }

    static class LosesContentsOnReallocateContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new LosesContentsOnReallocate();
        }
    }

    static class MiscountsUsableBytesContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new MiscountsUsableBytes();
        }
    }

    static class KeepsFootprintContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new KeepsFootprint();
        }
    }

    static class WalksLiveBlocksAsFreeContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new WalksLiveBlocksAsFree();
        }
    }

    static class IgnoresDoubleFreeContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new IgnoresDoubleFree();
        }
    }

    static class IgnoresCloseContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new IgnoresClose();
        }
    }

    static class LeaksPageSourceErrorsContract extends AllocatorContract {
        @Override
        protected Allocator create() {
            return new LeaksPageSourceErrors(PageSource.os());
        }

        @Override
        protected Allocator create(PageSource pages) {
            return new LeaksPageSourceErrors(pages);
        }
    }

    static class DropsRemoteFreesContract extends ConcurrentAllocatorContract {
        @Override
        protected Allocator create() {
            return new DropsRemoteFrees();
        }

        @Override
        protected int operationsPerThread() {
            return 1_000;
        }
    }
}
