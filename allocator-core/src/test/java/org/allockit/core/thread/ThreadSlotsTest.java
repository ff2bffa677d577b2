package org.allockit.core.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadSlotsTest {

    /** A value that remembers the thread it was made for. */
    private record Made(Thread thread, int serial) {
    }

    private final AtomicInteger made = new AtomicInteger();

    private ThreadSlots<Made> slots(int size) {
        return new ThreadSlots<>(size, () -> new Made(Thread.currentThread(), made.incrementAndGet()));
    }

    @Test
    void givesEachThreadTheSameValueEveryTime() {
        ThreadSlots<Made> slots = slots(64);
        Made first = slots.get();
        for (int i = 0; i < 1000; i++) {
            assertSame(first, slots.get());
        }
        assertSame(Thread.currentThread(), first.thread());
        assertEquals(1, made.get());
    }

    @Test
    void collidingThreadsEachKeepTheirOwnValue() throws Exception {
        ThreadSlots<Made> slots = slots(2); // 8 threads on 2 entries: most of them collide
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        Set<Made> seen = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    Made mine = slots.get();
                    for (int i = 0; i < 100_000; i++) {
                        Made got = slots.get();
                        if (got != mine || got.thread() != Thread.currentThread()) {
                            throw new AssertionError("thread got another thread's value: " + got);
                        }
                    }
                    seen.add(mine);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(threads, seen.size());
        assertEquals(threads, made.get());
    }

    @Test
    void anEntryOfATerminatedThreadIsTakenOver() throws Exception {
        ThreadSlots<Made> slots = slots(1);
        Thread gone = Thread.ofPlatform().start(slots::get);
        gone.join();
        Made mine = slots.get(); // the one entry belongs to a dead thread: this thread takes it
        assertSame(mine, slots.get());
        Thread other = Thread.ofPlatform().start(() -> assertNotSame(mine, slots.get()));
        other.join();
        assertEquals(3, made.get());
    }

    @Test
    void clearGivesEveryThreadANewValue() {
        ThreadSlots<Made> slots = slots(16);
        Made before = slots.get();
        slots.clear();
        Made after = slots.get();
        assertNotSame(before, after);
        assertSame(after, slots.get());
    }

    @Test
    void rejectsATableSizeThatIsNotAPowerOfTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> slots(3));
        assertEquals("slots must be a power of two, not 3", e.getMessage());
    }
}
