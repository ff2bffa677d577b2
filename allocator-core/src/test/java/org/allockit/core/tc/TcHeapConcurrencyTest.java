package org.allockit.core.tc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class TcHeapConcurrencyTest {

    private static final long DONE = -1;

    @Test
    void crossThreadFreesLoseNothingAndFreeNothingTwice() throws Exception {
        int pairs = 3;
        int perProducer = 60_000;
        try (TcHeap heap = TcHeapTest.heap("checking", "true", "cache_cap", "256K")) {
            BlockingQueue<Long> queue = new ArrayBlockingQueue<>(4096);
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < pairs; t++) {
                long tag = t;
                threads.add(Thread.ofPlatform().start(() -> run(failures, () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < perProducer; i++) {
                        long p = heap.alloc(random.nextInt(1, 600));
                        heap.segment(p).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, p ^ tag);
                        if (random.nextInt(4) == 0) {
                            mine.add(p); // some frees stay on the allocating thread
                        } else {
                            queue.put(p);
                        }
                        if (mine.size() > 64) {
                            heap.free(mine.remove(random.nextInt(mine.size())));
                        }
                    }
                    mine.forEach(heap::free);
                    queue.put(DONE);
                })));
                threads.add(Thread.ofPlatform().start(() -> run(failures, () -> {
                    while (true) {
                        long p = queue.take();
                        if (p == DONE) {
                            return;
                        }
                        long word = heap.segment(p).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                        assertTrue(word >= 0 && ((word ^ p) < pairs), "block 0x" + Long.toHexString(p) + " was overwritten");
                        heap.free(p);
                    }
                })));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), failures);
            heap.verify();
            assertEquals(0, heap.stats().liveBlocks());
            assertEquals((long) pairs * perProducer, heap.stats().frees());
        }
    }

    @Test
    void tenThousandVirtualThreadsStayUnderTheCacheCap() throws Exception {
        int threads = 10_000;
        long cap = 1 << 20;
        try (TcHeap heap = TcHeapTest.heap("cache_cap", String.valueOf(cap))) {
            CountDownLatch freed = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                started.add(Thread.ofVirtual().start(() -> run(failures, () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long[] blocks = new long[32];
                    for (int i = 0; i < blocks.length; i++) {
                        blocks[i] = heap.alloc(random.nextInt(16, 2048));
                    }
                    for (long p : blocks) {
                        heap.free(p);
                    }
                    freed.countDown();
                    go.await(); // alive, holding whatever its cache holds
                })));
            }
            freed.await();
            assertEquals(List.of(), failures);
            long cached = heap.cachedBytes();
            assertTrue(cached <= cap, "cached " + cached + " > cap " + cap);
            assertTrue(heap.claimedBudget() <= cap);
            assertTrue(cached > 0, "the caches hold something");
            heap.verify();
            assertEquals(0, heap.stats().liveBlocks());
            go.countDown();
            for (Thread t : started) {
                t.join();
            }
            heap.trim(); // reclaims the dead threads' caches
            assertEquals(0, heap.cachedBytes());
            assertEquals(0, heap.threadCaches() - (heap.threadCaches() > 0 ? 1 : 0));
            assertEquals(0, heap.stats().footprintBytes());
            heap.verify();
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void run(List<Throwable> failures, Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }
}
