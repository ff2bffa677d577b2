package org.allockit.core.dl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.allockit.core.AllocatorOptions;
import org.junit.jupiter.api.Test;

class LockedDlHeapTest {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Test
    void threadsSharingTheHeapNeverGetOverlappingBlocks() throws Exception {
        int threads = 4;
        try (LockedDlHeap heap = new LockedDlHeap("dl", AllocatorOptions.defaults().withSetting("granularity", "64K"));
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    start.await();
                    churn(heap, seed);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            heap.verify();
            assertEquals(0, heap.stats().liveBlocks());
            assertEquals(heap.stats().allocations(), heap.stats().frees());
        }
    }

    /** Random allocs, reallocs and frees; each block carries its own stamp, checked before it goes. */
    private static void churn(LockedDlHeap heap, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] blocks = new long[64];
        long[] stamps = new long[64];
        for (int i = 0; i < 30_000; i++) {
            int k = random.nextInt(blocks.length);
            if (blocks[k] != 0) {
                assertEquals(stamps[k], ALL.get(ValueLayout.JAVA_LONG, blocks[k]), "block overwritten by another thread");
                if (random.nextInt(4) == 0) {
                    blocks[k] = heap.reallocate(blocks[k], 8 + random.nextInt(3000));
                    assertEquals(stamps[k], ALL.get(ValueLayout.JAVA_LONG, blocks[k]), "realloc lost the stamp");
                    continue;
                }
                heap.free(blocks[k]);
            }
            blocks[k] = heap.alloc(8 + random.nextInt(random.nextInt(8) == 0 ? 20_000 : 300));
            stamps[k] = seed << 32 | i;
            ALL.set(ValueLayout.JAVA_LONG, blocks[k], stamps[k]);
        }
        for (int k = 0; k < blocks.length; k++) {
            if (blocks[k] != 0) {
                assertEquals(stamps[k], ALL.get(ValueLayout.JAVA_LONG, blocks[k]));
                heap.free(blocks[k]);
            }
        }
    }
}
