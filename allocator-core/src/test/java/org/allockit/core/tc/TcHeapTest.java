package org.allockit.core.tc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Allocators;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.os.PageSource;
import org.junit.jupiter.api.Test;

class TcHeapTest {

    static TcHeap heap(String... settings) {
        AllocatorOptions options = AllocatorOptions.defaults();
        for (int i = 0; i < settings.length; i += 2) {
            options = options.withSetting(settings[i], settings[i + 1]);
        }
        return new TcHeap(options);
    }

    @Test
    void isRegisteredAsTc() {
        try (var a = Allocators.create("tc")) {
            assertEquals("tc", a.name());
        }
    }

    @Test
    void smallBlocksAreDistinctAlignedAndWritable() {
        try (TcHeap heap = heap()) {
            Set<Long> seen = new HashSet<>();
            for (int size = 0; size <= 4096; size += 7) {
                long p = heap.alloc(size);
                assertTrue(seen.add(p));
                assertEquals(0, p % (size <= 8 ? 8 : 16), "size " + size);
                assertTrue(heap.usableSize(p) >= size);
                heap.segment(p).fill((byte) 0x5a);
            }
            heap.verify();
            for (long p : seen) {
                heap.free(p);
            }
            heap.verify();
            assertEquals(0, heap.stats().liveBlocks());
        }
    }

    @Test
    void freedBlockIsReusedByTheNextAllocationOfItsClass() {
        try (TcHeap heap = heap()) {
            long p = heap.alloc(100);
            heap.free(p);
            assertEquals(p, heap.alloc(110));
        }
    }

    @Test
    void rejectsForeignAddress() {
        try (TcHeap heap = heap(); var arena = java.lang.foreign.Arena.ofConfined()) {
            long foreign = arena.allocate(64).address();
            var e = assertThrows(InvalidAddressException.class, () -> heap.free(foreign));
            assertEquals(InvalidAddressException.Reason.FOREIGN, e.reason());
            assertTrue(e.getMessage().contains("tc: free(0x"), e.getMessage());
            heap.verify();
        }
    }

    @Test
    void rejectsInteriorAddressOfSmallAndLargeBlocks() {
        try (TcHeap heap = heap()) {
            long small = heap.alloc(48);
            long large = heap.alloc(1 << 20);
            assertEquals(InvalidAddressException.Reason.INTERIOR,
                    assertThrows(InvalidAddressException.class, () -> heap.free(small + 16)).reason());
            assertEquals(InvalidAddressException.Reason.INTERIOR,
                    assertThrows(InvalidAddressException.class, () -> heap.free(large + 8192)).reason());
            heap.free(small);
            heap.free(large);
            heap.verify();
        }
    }

    @Test
    void rejectsDoubleFreeInCheckingMode() {
        try (TcHeap heap = heap("checking", "true")) {
            long p = heap.alloc(32);
            heap.free(p);
            assertThrows(DoubleFreeException.class, () -> heap.free(p));
            heap.verify();
            assertEquals(0, heap.stats().liveBlocks());
            assertTrue(heap.features().contains(org.allockit.core.Feature.DETECTS_DOUBLE_FREE));
        }
    }

    @Test
    void rejectsDoubleFreeOfLargeBlockWithoutChecking() {
        try (TcHeap heap = heap()) {
            long p = heap.alloc(300_000);
            heap.free(p);
            assertThrows(DoubleFreeException.class, () -> heap.free(p));
            heap.verify();
        }
    }

    @Test
    void largeRequestsAreSpansOfTheirOwn() {
        try (TcHeap heap = heap()) {
            long p = heap.alloc(SizeClasses.MAX_SMALL + 1);
            assertEquals(0, p % SizeClasses.PAGE);
            assertEquals(SizeClasses.MAX_SMALL + SizeClasses.PAGE, heap.usableSize(p));
            AllocatorStats stats = heap.stats();
            assertEquals(1, stats.liveBlocks());
            heap.free(p);
            heap.verify();
        }
    }

    @Test
    void honoursAlignmentsFrom32BytesTo4MiB() {
        try (TcHeap heap = heap()) {
            List<Long> blocks = new ArrayList<>();
            for (long alignment = 32; alignment <= 4L << 20; alignment <<= 1) {
                for (long size : new long[] {1, 100, 5000, 300_000}) {
                    long p = heap.alloc(size, alignment);
                    assertEquals(0, p % alignment, size + " @ " + alignment);
                    assertTrue(heap.usableSize(p) >= size);
                    blocks.add(p);
                }
            }
            heap.verify();
            blocks.forEach(heap::free);
            heap.verify();
        }
    }

    @Test
    void freedNeighbourSpansCoalesce() {
        try (TcHeap heap = heap("release_rate", "0")) {
            long a = heap.alloc(512 * 1024);
            long b = heap.alloc(512 * 1024);
            long c = heap.alloc(512 * 1024);
            assertEquals(a + 512 * 1024, b);
            heap.free(a);
            heap.free(c);
            heap.free(b);
            heap.verify();
            List<long[]> free = new ArrayList<>();
            heap.walk((address, bytes, state) -> {
                if (state == HeapVisitor.State.FREE) {
                    free.add(new long[] {address, bytes});
                }
            });
            assertEquals(1, free.size());
            assertEquals(PageHeap.REGION, free.get(0)[1]);
        }
    }

    @Test
    void reallocatePreservesContentsAndGrowsAcrossTiers() {
        try (TcHeap heap = heap()) {
            long p = heap.alloc(24);
            heap.segment(p).fill((byte) 7);
            long q = heap.reallocate(p, 100_000);
            long r = heap.reallocate(q, 1 << 20);
            for (int i = 0; i < 24; i++) {
                assertEquals(7, heap.segment(r).get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
            }
            assertEquals(r, heap.reallocate(r, (1 << 20) - 10));
            heap.free(r);
            heap.verify();
            assertEquals(0, heap.stats().liveBlocks());
        }
    }

    @Test
    void trimBringsTheFootprintBackToNothingHeld() {
        try (TcHeap heap = heap("release_rate", "0")) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                blocks.add(heap.alloc(16 + (i % 50) * 16));
            }
            blocks.add(heap.alloc(3 << 20));
            assertTrue(heap.stats().footprintBytes() >= 3 << 20);
            blocks.forEach(heap::free);
            long released = heap.trim();
            assertTrue(released > 0);
            assertEquals(0, heap.stats().footprintBytes());
            assertEquals(0, heap.cachedBytes());
            heap.verify();
        }
    }

    @Test
    void freedSpansAreReleasedAtTheReleaseRate() {
        try (TcHeap eager = heap("release_rate", "1"); TcHeap lazy = heap("release_rate", "0")) {
            for (TcHeap h : List.of(eager, lazy)) {
                long p = h.alloc(8 << 20);
                h.free(p);
                h.verify();
            }
            assertEquals(0, eager.stats().footprintBytes());
            assertEquals(8 << 20, lazy.stats().footprintBytes());
        }
    }

    @Test
    void samplerSeesAboutOneAllocationPerIntervalAndItsFree() {
        try (TcHeap heap = heap("sample_interval", "64K")) {
            List<Long> sampled = new ArrayList<>();
            AtomicLong freed = new AtomicLong();
            heap.setSampler(new AllocationSampler() {
                @Override
                public void sampled(long address, long bytes) {
                    sampled.add(address);
                }

                @Override
                public void freed(long address, long bytes) {
                    freed.incrementAndGet();
                }
            });
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 64 * 1024; i++) { // 16 MiB of 256-byte blocks: about 256 samples
                blocks.add(heap.alloc(256));
            }
            assertTrue(sampled.size() > 150 && sampled.size() < 400, "samples: " + sampled.size());
            assertTrue(blocks.containsAll(sampled));
            heap.verify();
            blocks.forEach(heap::free);
            assertEquals(sampled.size(), freed.get());
            heap.verify();
        }
    }

    @Test
    void statsCountPerSizeClass() {
        try (TcHeap heap = heap()) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                blocks.add(heap.alloc(48));
            }
            heap.free(blocks.remove(0));
            AllocatorStats stats = heap.stats();
            AllocatorStats.Group group = stats.groups().stream().filter(g -> g.blockSize() == 48).findFirst().orElseThrow();
            assertEquals(99, group.liveBlocks());
            assertEquals(SizeClasses.objectsPerSpan(SizeClasses.classOf(48)) - 99, group.freeBlocks());
            assertEquals(99, stats.liveBlocks());
            assertEquals(99 * 48, stats.liveUsableBytes());
            assertEquals(100, stats.allocations());
            assertEquals(1, stats.frees());
        }
    }

    @Test
    void probeSeesLinksAndBlocks() {
        RecordingProbe probe = new RecordingProbe();
        try (TcHeap heap = new TcHeap(new AllocatorOptions(PageSource.os(), probe, Map.of()))) {
            long p = heap.alloc(64);
            heap.free(p);
            heap.free(heap.alloc(64));
            assertTrue(probe.reads.get() > 0);
            assertTrue(probe.writes.get() > 0);
            assertEquals(2, probe.blocks.get());
        }
    }

    @Test
    void closedHeapRejectsCalls() {
        TcHeap heap = heap();
        long p = heap.alloc(16);
        heap.close();
        assertThrows(AllocatorClosedException.class, () -> heap.alloc(16));
        assertThrows(AllocatorClosedException.class, () -> heap.free(p));
    }

    @Test
    void rejectsUnknownSettings() {
        assertThrows(IllegalArgumentException.class, () -> heap("cach_cap", "1M"));
    }

    @Test
    void walkCoversEveryRegionWithoutGaps() {
        try (TcHeap heap = heap()) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                blocks.add(heap.alloc(i * 37 % 3000));
            }
            for (int i = 0; i < 1000; i += 3) {
                heap.free(blocks.get(i));
            }
            long[] total = new long[HeapVisitor.State.values().length];
            heap.walk((address, bytes, state) -> total[state.ordinal()] += bytes);
            long all = java.util.Arrays.stream(total).sum();
            assertEquals(0, all % PageHeap.REGION);
            assertNotEquals(0, total[HeapVisitor.State.IN_USE.ordinal()]);
            assertTrue(total[HeapVisitor.State.IN_USE.ordinal()] >= heap.stats().liveUsableBytes());
        }
    }

    @Test
    void aFreeFromAnotherThreadIsCachedByTheFreeingThread() throws Exception {
        try (TcHeap heap = heap()) {
            long p = heap.alloc(200);
            long[] reused = new long[1];
            Thread other = Thread.ofPlatform().start(() -> {
                heap.free(p);
                reused[0] = heap.alloc(200);
                heap.free(reused[0]);
            });
            other.join();
            assertEquals(p, reused[0]);
            heap.verify();
        }
    }

    @Test
    void aThreadCacheGrowsWithUseButNeverBeyondItsMaximum() {
        try (TcHeap heap = heap("thread_cache_max", "256K")) {
            long[] blocks = new long[10_000];
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = heap.alloc(256);
                }
                for (long p : blocks) {
                    heap.free(p);
                }
                assertTrue(heap.cachedBytes() <= 256 * 1024, "cached " + heap.cachedBytes());
                assertTrue(heap.cachedBytes() >= 64 * 1024, "the cache grew: " + heap.cachedBytes());
                heap.verify();
            }
        }
    }

    @Test
    void regionsAreAdvisedForHugePagesWhenAsked() {
        RecordingProbe probe = new RecordingProbe();
        AllocatorOptions options = new AllocatorOptions(PageSource.os(), probe, Map.of("huge_pages", "true"));
        try (TcHeap heap = new TcHeap(options)) {
            heap.free(heap.alloc(64));
            heap.free(heap.alloc(3 << 20));
            assertEquals(List.of(PageHeap.REGION, 2 * PageHeap.REGION), probe.hugePageRanges);
        }
    }
}
