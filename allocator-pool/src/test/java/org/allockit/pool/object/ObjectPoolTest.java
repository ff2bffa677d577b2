package org.allockit.pool.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ObjectPoolTest {

    private static ObjectPool<StringBuilder> pool(int maximum) {
        return new ObjectPool<>("builders", StringBuilder::new, sb -> sb.setLength(0), maximum);
    }

    @Test
    void reusesAReleasedObjectOnTheSameThread() {
        var pool = pool(8);
        Pooled<StringBuilder> first = pool.acquire();
        first.get().append("dirty");
        StringBuilder object = first.get();
        first.release();
        Pooled<StringBuilder> again = pool.acquire();
        assertSame(object, again.get());
        assertEquals(0, again.get().length(), "reset on release");
        assertEquals(1, pool.stats().created());
    }

    @Test
    void rejectsADoubleRelease() {
        var pool = pool(8);
        Pooled<StringBuilder> handle = pool.acquire();
        handle.release();
        var twice = assertThrows(IllegalStateException.class, handle::release);
        assertTrue(twice.getMessage().contains("double release"), twice.getMessage());
        assertSame(handle, pool.acquire(), "the pool still hands it out once");
        assertNotSame(handle, pool.acquire());
    }

    @Test
    void rejectsAnObjectOfAnotherPool() {
        var ours = pool(8);
        var theirs = pool(8);
        Pooled<StringBuilder> foreign = theirs.acquire();
        var refused = assertThrows(IllegalArgumentException.class, () -> ours.release(foreign));
        assertTrue(refused.getMessage().contains("belongs to pool 'builders'"), refused.getMessage());
        foreign.release();
    }

    @Test
    void aResetThatThrowsDropsTheObject() {
        var pool = new ObjectPool<StringBuilder>("fragile", StringBuilder::new, sb -> {
            throw new IllegalStateException("cannot reset");
        }, 8);
        Pooled<StringBuilder> handle = pool.acquire();
        assertThrows(IllegalStateException.class, handle::release);
        assertNotSame(handle, pool.acquire());
        assertThrows(IllegalStateException.class, handle::release, "dropped: releasing again is a double release");
    }

    @Test
    void closeRefusesAcquireAndDropsReleases() {
        var pool = pool(8);
        Pooled<StringBuilder> handle = pool.acquire();
        Pooled<StringBuilder> local = pool.acquire();
        local.release(); // stays in this thread's cache
        pool.close();
        var refused = assertThrows(IllegalStateException.class, pool::acquire, "even with one cached");
        assertTrue(refused.getMessage().contains("after close"), refused.getMessage());
        handle.release();
        assertEquals(1, pool.stats().dropped());
    }

    @Test
    void releaseOnAnotherThreadComesBackThroughTheSharedQueue() throws Exception {
        var pool = new ObjectPool<>("handoff", StringBuilder::new, sb -> sb.setLength(0), 64, 4);
        BlockingQueue<Pooled<StringBuilder>> handoff = new ArrayBlockingQueue<>(16);
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 10_000; i++) {
                    handoff.take().release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 10_000; i++) {
            handoff.put(pool.acquire());
        }
        consumer.join();
        assertTrue(pool.stats().created() < 200, "objects came back: " + pool.stats());
        assertTrue(pool.stats().idleShared() > 0);
    }

    @Test
    void idleObjectsStayCappedWhateverTheNumberOfThreads() throws Exception {
        int maximum = 100;
        var pool = new ObjectPool<>("capped", StringBuilder::new, sb -> sb.setLength(0), maximum, 8);
        AtomicInteger inUse = new AtomicInteger();
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor();
             var platform = Executors.newFixedThreadPool(30)) {
            CountDownLatch done = new CountDownLatch(10_000 + 300);
            Runnable work = () -> {
                List<Pooled<StringBuilder>> held = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    held.add(pool.acquire());
                    inUse.incrementAndGet();
                }
                held.forEach(h -> {
                    inUse.decrementAndGet();
                    h.release();
                });
                done.countDown();
            };
            for (int i = 0; i < 10_000; i++) {
                virtual.submit(work);
            }
            for (int i = 0; i < 300; i++) {
                platform.submit(work);
            }
            done.await();
        }
        var stats = pool.stats();
        assertEquals(0, inUse.get());
        assertTrue(stats.idleShared() + stats.leasedSlots() <= maximum, stats.toString());
        assertTrue(stats.created() - stats.dropped() <= maximum, "objects kept: " + stats);
    }

    @Test
    void racingReleasesOfOneHandleSucceedOnce() throws Exception {
        var pool = pool(1000);
        AtomicInteger refused = new AtomicInteger();
        CyclicBarrier barrier = new CyclicBarrier(2);
        int rounds = 2000;
        List<Pooled<StringBuilder>> handles = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            handles.add(pool.acquire());
        }
        Runnable releaser = () -> {
            try {
                barrier.await();
                for (Pooled<StringBuilder> handle : handles) {
                    try {
                        handle.release();
                    } catch (IllegalStateException e) {
                        refused.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Thread a = Thread.ofPlatform().start(releaser);
        Thread b = Thread.ofPlatform().start(releaser);
        a.join();
        b.join();
        assertEquals(rounds, refused.get(), "each handle released exactly once");
    }
}
