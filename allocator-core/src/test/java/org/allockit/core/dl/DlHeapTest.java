package org.allockit.core.dl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.Allocators;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.MemoryProbe;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.FailingPageSource;
import org.allockit.core.os.PageSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DlHeapTest {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private final List<DlHeap> heaps = new ArrayList<>();

    private DlHeap heap() {
        return heap(AllocatorOptions.defaults());
    }

    private DlHeap heap(AllocatorOptions options) {
        DlHeap heap = new DlHeap("dl-unlocked", options);
        heaps.add(heap);
        return heap;
    }

    @AfterEach
    void closeHeaps() {
        heaps.forEach(DlHeap::close);
    }

    private static long head(long mem) {
        return ALL.get(ValueLayout.JAVA_LONG, mem - 8);
    }

    private static long chunkSize(long mem) {
        return head(mem) & ~15L;
    }

    @Test
    void chunksHaveEightBytesOverheadSixteenAlignmentAndThirtyTwoMinimum() {
        DlHeap heap = heap();
        long a = heap.alloc(0);
        long b = heap.alloc(24);
        long c = heap.alloc(25);
        assertEquals(32, chunkSize(a));
        assertEquals(32, chunkSize(b), "24 user bytes + 8 header fit 32");
        assertEquals(48, chunkSize(c));
        assertEquals(24, heap.usableSize(b));
        assertEquals(0, a % 16);
        assertEquals(b + 32, c, "consecutive chunks from top");
        heap.verify();
    }

    @Test
    void reusesTheExactSmallBinLastInFirstOut() {
        DlHeap heap = heap();
        long a = heap.alloc(40);
        heap.alloc(16);
        long b = heap.alloc(40);
        heap.alloc(16);
        heap.free(a);
        heap.free(b);
        assertEquals(b, heap.alloc(40));
        assertEquals(a, heap.alloc(40));
        heap.verify();
    }

    @Test
    void coalescesWithBothNeighbours() {
        DlHeap heap = heap();
        long a = heap.alloc(100);
        long b = heap.alloc(100);
        long c = heap.alloc(100);
        heap.alloc(100); // keeps c away from top
        long total = chunkSize(a) + chunkSize(b) + chunkSize(c);
        heap.free(a);
        heap.free(c);
        heap.free(b);
        heap.verify();
        List<long[]> free = ranges(heap, HeapVisitor.State.FREE);
        assertEquals(a - 16, free.getFirst()[0]);
        assertEquals(total, free.getFirst()[1], "a, b and c are one chunk");
        assertEquals(a, heap.alloc(total - 8 - 16), "the merged chunk serves a request of its size");
    }

    @Test
    void freeNextToTopMergesIntoTop() {
        DlHeap heap = heap();
        long before = heap.topSize();
        long a = heap.alloc(1000);
        heap.free(a);
        assertEquals(before == 0 ? heap.topSize() : before, heap.topSize());
        assertEquals(a - 16, heap.top());
        heap.verify();
    }

    @Test
    void bestFitComesFromTheTreeBins() {
        DlHeap heap = heap();
        long big = heap.alloc(1000);
        heap.alloc(16);
        long fit = heap.alloc(600);
        heap.alloc(16);
        long mid = heap.alloc(800);
        heap.alloc(16);
        heap.free(big);
        heap.free(fit);
        heap.free(mid);
        assertEquals(fit, heap.alloc(590));
        heap.verify();
    }

    @Test
    void servesEqualSizesOldestFirst() {
        DlHeap heap = heap();
        long[] blocks = new long[5];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = heap.alloc(3000);
            heap.alloc(16);
        }
        for (long b : blocks) {
            heap.free(b);
        }
        for (long b : blocks) {
            assertEquals(b, heap.alloc(3000));
            heap.verify();
        }
    }

    @Test
    void theRemainderOfASplitBecomesTheDesignatedVictim() {
        DlHeap heap = heap();
        long big = heap.alloc(2000);
        heap.alloc(16);
        heap.free(big);
        long a = heap.alloc(40);
        assertEquals(big, a, "the small request splits the tree chunk");
        assertEquals(a - 16 + 48, heap.dv());
        long b = heap.alloc(60);
        assertEquals(a + 48, b, "the next small request is carved from dv");
        heap.verify();
    }

    @Test
    void mapsLargeRequestsDirectlyAndUnmapsThemOnFree() {
        DlHeap heap = heap();
        long before = heap.stats().footprintBytes();
        long a = heap.alloc(300_000);
        assertTrue(heap.stats().footprintBytes() - before >= 300_000);
        assertEquals(1, heap.segments().directCount());
        assertTrue(heap.usableSize(a) >= 300_000);
        heap.verify();
        heap.free(a);
        assertEquals(before, heap.stats().footprintBytes());
        assertEquals(0, heap.segments().directCount());
    }

    @Test
    void growsInDiscontiguousSegments() {
        DlHeap heap = heap(AllocatorOptions.defaults().withPages(new GappedPages()).withSetting("granularity", "64K"));
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            blocks.add(heap.alloc(5000));
            heap.verify();
        }
        assertTrue(heap.segments().heapCount() > 3, "several segments");
        for (int s = 1; s < heap.segments().count(); s++) {
            assertTrue(heap.segments().base(s) > heap.segments().end(s - 1), "segments are apart");
        }
        for (long b : blocks) {
            heap.free(b);
            heap.verify();
        }
        DlHeapProperties.assertEveryHeapSegmentIsOneFreeChunk(heap);
        heap.trim();
        assertEquals(0, heap.segments().count());
    }

    @Test
    void trimsTopBeyondTheThreshold() {
        DlHeap heap = heap(AllocatorOptions.defaults().withSetting("granularity", "4M"));
        long a = heap.alloc(100);
        long b = heap.alloc(200_000);
        long before = heap.stats().footprintBytes();
        heap.free(b);
        long after = heap.stats().footprintBytes();
        assertTrue(before - after > 3 << 20, "top beyond 2 MiB given back: " + before + " -> " + after);
        assertTrue(heap.topSize() < 2 << 20);
        heap.verify();
        heap.free(a);
        heap.trim();
        assertEquals(heap.stateBytes(), heap.stats().footprintBytes());
    }

    @Test
    void trimDecommitsTheInteriorOfLargeFreeChunksAndFootprintFollows() {
        DlHeap heap = heap(AllocatorOptions.defaults().withSetting("granularity", "1M"));
        List<Long> big = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            big.add(heap.alloc(60_000));
            heap.alloc(16);
        }
        big.forEach(heap::free);
        long before = heap.stats().footprintBytes();
        long given = heap.trim();
        heap.verify();
        assertTrue(given >= 4 * 12 * 4096L, "interiors given back: " + given);
        assertEquals(before - given, heap.stats().footprintBytes());
        assertFalse(ranges(heap, HeapVisitor.State.RELEASED).isEmpty());
        long again = heap.alloc(60_000);
        assertTrue(heap.stats().footprintBytes() > before - given, "reuse counts the pages again");
        MemorySegment.ofAddress(again).reinterpret(60_000).fill((byte) 7);
        heap.verify();
    }

    @Test
    void reallocGrowsIntoTopInPlace() {
        DlHeap heap = heap();
        long a = heap.alloc(100);
        fill(a, 100);
        assertEquals(a, heap.reallocate(a, 5000));
        assertFilled(a, 100);
        heap.verify();
    }

    @Test
    void reallocGrowsIntoAFreeNextChunkAndShrinksBySplitting() {
        DlHeap heap = heap();
        long a = heap.alloc(100);
        long b = heap.alloc(400);
        heap.alloc(16);
        heap.free(b);
        fill(a, 100);
        assertEquals(a, heap.reallocate(a, 450));
        assertFilled(a, 100);
        heap.verify();
        assertEquals(a, heap.reallocate(a, 40));
        assertEquals(48, chunkSize(a));
        assertFilled(a, 40);
        heap.verify();
    }

    @Test
    void reallocMovesWhenBlockedAndKeepsTheContents() {
        DlHeap heap = heap();
        long a = heap.alloc(100);
        heap.alloc(16);
        fill(a, 100);
        long moved = heap.reallocate(a, 3000);
        assertNotEquals(a, moved);
        assertFilled(moved, 100);
        assertEquals(1 + 1, heap.stats().liveBlocks());
        heap.verify();
    }

    @Test
    void reallocGrowsADirectMappingByRemappingIt() {
        DlHeap heap = heap();
        long start = heap.stats().footprintBytes();
        long a = heap.alloc(300_000);
        fill(a, 1000);
        long grown = heap.reallocate(a, 3_000_000);
        assertFilled(grown, 1000);
        assertTrue(heap.usableSize(grown) >= 3_000_000);
        assertTrue(heap.stats().peakFootprintBytes() - start < 3_000_000 + 300_000,
                "the old and the new mapping never both counted: peak " + heap.stats().peakFootprintBytes());
        assertEquals(1, heap.stats().liveBlocks());
        heap.verify();
        heap.free(grown);
        assertEquals(start, heap.stats().footprintBytes());
    }

    @Test
    void alignedAllocationReturnsTheLeadingAndTrailingParts() {
        DlHeap heap = heap();
        long before = heap.stats().liveBlocks();
        for (int shift = 5; shift <= 16; shift++) {
            long alignment = 1L << shift;
            long a = heap.alloc(100, alignment);
            assertEquals(0, a % alignment, "aligned to " + alignment);
            assertTrue(heap.usableSize(a) >= 100);
            assertTrue(heap.usableSize(a) < 100 + 2 * 32, "the trailing part was given back");
            heap.verify();
        }
        assertEquals(before + 12, heap.stats().liveBlocks());
        long huge = heap.alloc(64, 1L << 30);
        assertEquals(0, huge % (1L << 30));
        assertTrue(heap.stats().footprintBytes() < 16 << 20, "the alignment gap was given back");
        heap.verify();
        heap.free(huge);
    }

    @Test
    void rejectsDoubleFree() {
        DlHeap heap = heap();
        long a = heap.alloc(64);
        heap.alloc(64);
        heap.free(a);
        DoubleFreeException e = assertThrows(DoubleFreeException.class, () -> heap.free(a));
        assertTrue(e.getMessage().contains("double free"), e.getMessage());
        heap.verify();
    }

    @Test
    void rejectsDoubleFreeAfterTheChunkMergedBackwards() {
        DlHeap heap = heap();
        long a = heap.alloc(64);
        long b = heap.alloc(64);
        heap.alloc(64);
        heap.free(a);
        heap.free(b); // b now lies inside a's free chunk
        assertThrows(DoubleFreeException.class, () -> heap.free(b));
        heap.verify();
    }

    @Test
    void rejectsMisalignedAndForeignAddresses() {
        DlHeap heap = heap();
        long a = heap.alloc(64);
        InvalidAddressException misaligned = assertThrows(InvalidAddressException.class, () -> heap.free(a + 8));
        assertEquals(InvalidAddressException.Reason.MISALIGNED, misaligned.reason());
        try (Arena arena = Arena.ofConfined()) {
            long foreign = arena.allocate(64, 16).address();
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> heap.free(foreign));
            assertEquals(InvalidAddressException.Reason.FOREIGN, e.reason());
            assertTrue(e.getMessage().contains("free(): invalid pointer") || e.getMessage().contains("invalid pointer"));
            assertTrue(e.getMessage().contains("outside every segment"), e.getMessage());
        }
        heap.verify();
        heap.free(a);
    }

    @Test
    void rejectsAnAddressInsideADirectMapping() {
        DlHeap heap = heap();
        long a = heap.alloc(1 << 20);
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> heap.free(a + 4096));
        assertEquals(InvalidAddressException.Reason.INTERIOR, e.reason());
        heap.verify();
        heap.free(a);
    }

    @Test
    void detectsASizeThatRunsPastItsSegment() {
        DlHeap heap = heap();
        long a = heap.alloc(64);
        long saved = head(a);
        ALL.set(ValueLayout.JAVA_LONG, a - 8, (1L << 40) | 3);
        HeapCorruptionException e = assertThrows(HeapCorruptionException.class, () -> heap.free(a));
        assertTrue(e.getMessage().contains("invalid size"), e.getMessage());
        ALL.set(ValueLayout.JAVA_LONG, a - 8, saved);
        heap.verify();
        heap.free(a);
    }

    @Test
    void detectsASizeThatDisagreesWithTheNextChunk() {
        DlHeap heap = heap();
        long a = heap.alloc(64);
        long b = heap.alloc(64);
        heap.alloc(64);
        heap.free(b);
        long saved = head(a);
        ALL.set(ValueLayout.JAVA_LONG, a - 8, (chunkSize(a) + 16) | 3); // a now ends inside free b
        HeapCorruptionException e = assertThrows(HeapCorruptionException.class, () -> heap.free(a));
        assertTrue(e.getMessage().contains("double free or corruption (!prev)"), e.getMessage());
        ALL.set(ValueLayout.JAVA_LONG, a - 8, saved);
        heap.verify();
    }

    @Test
    void detectsACorruptedPreviousSize() {
        DlHeap heap = heap();
        long a = heap.alloc(64);
        long b = heap.alloc(64);
        heap.alloc(64);
        heap.free(a);
        long footer = b - 16;
        long saved = ALL.get(ValueLayout.JAVA_LONG, footer);
        ALL.set(ValueLayout.JAVA_LONG, footer, 48);
        HeapCorruptionException e = assertThrows(HeapCorruptionException.class, () -> heap.free(b));
        assertTrue(e.getMessage().contains("corrupted size vs. prev_size"), e.getMessage());
        assertThrows(HeapCorruptionException.class, heap::verify);
        ALL.set(ValueLayout.JAVA_LONG, footer, saved);
        heap.verify();
        heap.free(b);
    }

    @Test
    void detectsACorruptedBinList() {
        DlHeap heap = heap();
        long a = heap.alloc(64);
        heap.alloc(16);
        long b = heap.alloc(64);
        heap.alloc(16);
        heap.free(a);
        heap.free(b);
        ALL.set(ValueLayout.JAVA_LONG, b, a + 4096); // b's fd, as a use-after-free would write it
        HeapCorruptionException e = assertThrows(HeapCorruptionException.class, () -> heap.alloc(64));
        assertTrue(e.getMessage().contains("corrupted double-linked list"), e.getMessage());
        assertThrows(HeapCorruptionException.class, heap::verify);
    }

    @Test
    void verifyFindsAnOverwrittenFooter() {
        DlHeap heap = heap();
        long a = heap.alloc(300);
        long b = heap.alloc(300);
        heap.free(a);
        ALL.set(ValueLayout.JAVA_LONG, b - 16, 12345 * 16);
        HeapCorruptionException e = assertThrows(HeapCorruptionException.class, heap::verify);
        assertTrue(e.getMessage().contains("footer"), e.getMessage());
    }

    @Test
    void footersRejectAnAddressThatIsNotABlockStart() {
        DlHeap heap = heap(AllocatorOptions.defaults().withSetting("footers", "true"));
        long a = heap.alloc(200);
        assertEquals(chunkSize(a) - 16, heap.usableSize(a), "16 bytes of overhead with footers");
        MemorySegment.ofAddress(a).reinterpret(200).fill((byte) 0);
        ALL.set(ValueLayout.JAVA_LONG, a + 64 + 8, 96 | 3); // a plausible header inside the block
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> heap.free(a + 64 + 16));
        assertTrue(e.getMessage().contains("owner tag"), e.getMessage());
        heap.verify();
        heap.free(a);
    }

    @Test
    void runsOutOfMemoryCleanlyAndStaysUsable() {
        DlHeap heap = heap(AllocatorOptions.defaults().withPages(FailingPageSource.limitTotal(PageSource.os(), 1 << 20)));
        List<Long> blocks = new ArrayList<>();
        assertThrows(OutOfNativeMemoryError.class, () -> {
            while (true) {
                blocks.add(heap.alloc(10_000));
            }
        });
        heap.verify();
        heap.free(blocks.removeLast());
        blocks.add(heap.alloc(10_000));
        blocks.forEach(heap::free);
        heap.verify();
    }

    @Test
    void statsCountLiveBlocksAndBins() {
        DlHeap heap = heap();
        long a = heap.alloc(40);
        heap.alloc(16);
        long b = heap.alloc(1000);
        heap.alloc(16);
        var stats = heap.stats();
        assertEquals(4, stats.liveBlocks());
        assertEquals(4, stats.allocations());
        heap.free(a);
        heap.free(b);
        stats = heap.stats();
        assertEquals(2, stats.frees());
        assertTrue(stats.groups().stream().anyMatch(g -> g.label().equals("small bin 48") && g.freeBlocks() == 1));
        assertTrue(stats.groups().stream().anyMatch(g -> g.label().startsWith("tree bin") && g.freeBytes() == 1008));
        assertTrue(stats.footprintBytes() <= stats.peakFootprintBytes());
    }

    @Test
    void probeSeesHeadersFootersAndBinLinks() {
        Set<Long> reads = new HashSet<>();
        Set<Long> writes = new HashSet<>();
        List<Long> handedOut = new ArrayList<>();
        MemoryProbe probe = new MemoryProbe() {
            @Override
            public void metadataRead(long address, int size) {
                reads.add(address);
            }

            @Override
            public void metadataWrite(long address, int size) {
                writes.add(address);
            }

            @Override
            public void blockAllocated(long address, long requested, long usable) {
                handedOut.add(address);
            }
        };
        DlHeap heap = heap(AllocatorOptions.defaults().withProbe(probe));
        long a = heap.alloc(64);
        long b = heap.alloc(64);
        heap.alloc(64);
        assertEquals(List.of(a, b, b + 80), handedOut);
        assertTrue(writes.contains(a - 8), "a's head written");
        heap.free(a);
        assertTrue(reads.contains(a - 8), "a's head read");
        assertTrue(writes.contains(b - 16), "a's footer written");
        assertTrue(writes.contains(a) && writes.contains(a + 8), "a's fd and bk written");
        heap.free(b);
        assertTrue(reads.contains(b - 16), "b reads the footer before it");
        for (long w : writes) {
            assertEquals(0, w % 8, "word-aligned metadata");
        }
    }

    @Test
    void closeGivesEverythingBackAndRejectsLaterCalls() {
        // A page source of its own: the OS source's count is process-wide, moved by other tests' cleaner threads.
        PageSource pages = new org.allockit.core.os.ArenaPages();
        DlHeap heap = new DlHeap("dl-unlocked", AllocatorOptions.defaults().withPages(pages));
        long a = heap.alloc(100);
        heap.alloc(1 << 20);
        heap.close();
        assertEquals(0, pages.reservedBytes());
        assertThrows(AllocatorClosedException.class, () -> heap.alloc(10));
        assertThrows(AllocatorClosedException.class, () -> heap.free(a));
        assertThrows(AllocatorClosedException.class, heap::verify);
    }

    @Test
    void registryNamesTheLockedAndUnlockedHeaps() {
        try (Allocator locked = Allocators.create("dl"); Allocator unlocked = Allocators.create("dl-unlocked")) {
            assertInstanceOf(LockedDlHeap.class, locked);
            assertInstanceOf(DlHeap.class, unlocked);
            assertTrue(locked.features().contains(org.allockit.core.Feature.THREAD_SAFE));
            assertFalse(unlocked.features().contains(org.allockit.core.Feature.THREAD_SAFE));
        }
    }

    @Test
    void rejectsUnknownSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> heap(AllocatorOptions.defaults().withSetting("mmap_treshold", "1M")));
    }

    private static void fill(long address, int n) {
        for (int i = 0; i < n; i++) {
            ALL.set(ValueLayout.JAVA_BYTE, address + i, (byte) i);
        }
    }

    private static void assertFilled(long address, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals((byte) i, ALL.get(ValueLayout.JAVA_BYTE, address + i), "byte " + i);
        }
    }

    private static List<long[]> ranges(DlHeap heap, HeapVisitor.State wanted) {
        List<long[]> out = new ArrayList<>();
        heap.walk((address, bytes, state) -> {
            if (state == wanted) {
                out.add(new long[] {address, bytes});
            }
        });
        return out;
    }

    /** Pages that are never adjacent: each reservation leaves a released page before and after it. */
    private static final class GappedPages implements PageSource {
        private final PageSource os = PageSource.os();

        @Override
        public long pageSize() {
            return os.pageSize();
        }

        @Override
        public long reserve(long bytes, long alignment) {
            long page = os.pageSize();
            long base = os.reserve(bytes + 2 * page, alignment);
            os.release(base, page);
            os.release(base + page + bytes, page);
            return base + page;
        }

        @Override
        public void release(long address, long bytes) {
            os.release(address, bytes);
        }

        @Override
        public void decommit(long address, long bytes) {
            os.decommit(address, bytes);
        }

        @Override
        public long reservedBytes() {
            return os.reservedBytes();
        }
    }
}
