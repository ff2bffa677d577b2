package org.allockit.core.pt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.InvalidAddressException;
import org.junit.jupiter.api.Test;

/** The pt heap's own behaviour: arenas per thread, owner by masking, the tcache and its cap, adaptive mapping. */
class PtHeapTest {

    @Test
    void blocksFreedByAnotherThreadGoBackToTheirArena() throws Exception {
        try (PtHeap heap = new PtHeap("pt", AllocatorOptions.defaults())) {
            long[] blocks = new long[1000];
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = heap.alloc(2000); // above the tcache sizes: straight to the arena
                }
            });
            producer.join();
            for (long block : blocks) {
                heap.free(block);
            }
            heap.verify();
            assertEquals(0, heap.stats().liveBlocks());
        }
    }

    @Test
    void busyArenasMakeNewOnesUpToTheLimit() throws Exception {
        try (PtHeap heap = new PtHeap("pt", AllocatorOptions.defaults().withSetting("arena_max", "3"))) {
            int threads = 6;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < 20_000; i++) {
                        heap.free(heap.alloc(1500 + (i & 511)));
                    }
                }));
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            heap.verify();
            long arenas = heap.stats().groups().stream().filter(g -> g.label().startsWith("arena")).count();
            assertTrue(arenas >= 1 && arenas <= 3, "arenas: " + heap.stats().groups());
        }
    }

    @Test
    void rejectsForeignAndMisplacedAddresses() {
        try (PtHeap heap = new PtHeap("pt", AllocatorOptions.defaults())) {
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> heap.free(0x1000));
            assertEquals(InvalidAddressException.Reason.FOREIGN, e.reason());
            long big = heap.alloc(1 << 20);
            assertThrows(InvalidAddressException.class, () -> heap.free(big + 64));
            heap.free(big);
            assertThrows(InvalidAddressException.class, () -> heap.free(big), "an unmapped block is no longer ours");
            heap.verify();
        }
    }

    @Test
    void aSecondFreeOfACachedBlockIsCaught() {
        try (PtHeap heap = new PtHeap("pt", AllocatorOptions.defaults())) {
            long block = heap.alloc(64);
            heap.free(block);
            DoubleFreeException e = assertThrows(DoubleFreeException.class, () -> heap.free(block));
            assertTrue(e.getMessage().contains("tcache"), e.getMessage());
            assertEquals(block, heap.alloc(64), "the cached block is handed out again");
            heap.free(block);
            heap.verify();
        }
    }

    @Test
    void mmapThresholdRisesToTheSizeOfFreedMappedBlocks() {
        try (PtHeap heap = new PtHeap("pt", AllocatorOptions.defaults())) {
            long first = heap.alloc(1 << 20);
            assertEquals(1, direct(heap).liveBlocks(), "1 MiB is above the 128 KiB starting threshold");
            heap.free(first);
            long second = heap.alloc(1 << 20);
            assertEquals(0, direct(heap).liveBlocks(), "after freeing a 1 MiB mapping, 1 MiB blocks stay in the arenas");
            heap.free(second);
            heap.verify();
        }
    }

    @Test
    void tenThousandVirtualThreadsStayUnderTheCacheCap() throws Exception {
        long cap = 256 << 10;
        try (PtHeap heap = new PtHeap("pt", AllocatorOptions.defaults().withSetting("tcache_cap", Long.toString(cap)))) {
            CountDownLatch allCached = new CountDownLatch(10_000);
            CountDownLatch release = new CountDownLatch(1);
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 10_000; t++) {
                    executor.submit(() -> {
                        long[] blocks = new long[8];
                        for (int i = 0; i < blocks.length; i++) {
                            blocks[i] = heap.alloc(1000);
                        }
                        for (long b : blocks) {
                            heap.free(b);
                        }
                        allCached.countDown();
                        release.await();
                        return null;
                    });
                }
                assertTrue(allCached.await(2, TimeUnit.MINUTES));
                AllocatorStats.Group caches = caches(heap);
                assertTrue(caches.freeBytes() <= cap, "cached " + caches.freeBytes() + " bytes above the cap " + cap);
                assertTrue(caches.freeBytes() > 0, "some threads did cache");
                release.countDown();
            }
            heap.trim(); // the threads have ended: their caches go back
            assertEquals(0, caches(heap).freeBytes());
            assertEquals(0, heap.stats().liveBlocks());
            heap.verify();
        }
    }

    @Test
    void buffersGrowingPastTheMappingThresholdKeepTheirBytes() {
        try (PtHeap heap = new PtHeap("pt", AllocatorOptions.defaults())) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            for (int round = 0; round < 3; round++) {
                long[] buffers = new long[4];
                long[] lengths = new long[4];
                for (int step = 0; step < 2000; step++) {
                    int b = random.nextInt(4);
                    long length = lengths[b] + random.nextLong(256, 16 << 10);
                    if (length > (4 << 20)) {
                        heap.free(buffers[b]);
                        buffers[b] = 0;
                        lengths[b] = 0;
                        continue;
                    }
                    long moved = heap.reallocate(buffers[b], length);
                    if (lengths[b] > 0) {
                        assertEquals(lengths[b], heap.segment(moved).get(java.lang.foreign.ValueLayout.JAVA_LONG, 0),
                                "buffer " + b + " kept its first word at step " + step);
                    }
                    heap.segment(moved).set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, length);
                    buffers[b] = moved;
                    lengths[b] = length;
                    heap.verify();
                }
                for (long buffer : buffers) {
                    if (buffer != 0) {
                        heap.free(buffer);
                    }
                }
                heap.trim();
            }
            assertEquals(0, heap.stats().liveBlocks());
        }
    }

    private static AllocatorStats.Group direct(PtHeap heap) {
        return heap.stats().groups().stream().filter(g -> g.label().equals("direct mappings")).findFirst().orElseThrow();
    }

    private static AllocatorStats.Group caches(PtHeap heap) {
        return heap.stats().groups().stream().filter(g -> g.label().startsWith("thread caches")).findFirst().orElseThrow();
    }
}
