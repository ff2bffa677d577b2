package org.allockit.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.allockit.core.Allocators;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Over a thread-safe allocator the tracker stays exact when threads allocate and free each other's blocks. */
class ConcurrentTrackerTest {

    @ParameterizedTest
    @EnumSource(Level.class)
    void staysExactUnderContention(Level level) throws Exception {
        int threads = 4;
        int ops = level.recordsEverySite() ? 2_000 : 20_000;
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"),
                LeakOptions.of(level).withSampleInterval(8192).withLog(m -> { }));
        ConcurrentLinkedQueue<Long> handoff = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] kept = new long[threads];
        List<Thread> workers = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    SplittableRandom random = new SplittableRandom(id);
                    start.await();
                    for (int i = 0; i < ops; i++) {
                        long block = tracker.alloc(random.nextInt(1, 300));
                        if (random.nextBoolean()) {
                            handoff.add(block);          // freed by whichever thread polls it
                        } else {
                            tracker.free(block);
                        }
                        Long other = handoff.poll();
                        if (other != null) {
                            tracker.free(other);
                        }
                    }
                    kept[id] = tracker.alloc(10 + id);   // one planted leak per thread
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertTrue(errors.isEmpty(), errors.toString());
        for (Long block = handoff.poll(); block != null; block = handoff.poll()) {
            tracker.free(block);
        }
        tracker.close();
        LeakReport report = tracker.report();
        assertEquals(threads, report.blocks(), report.toText());
        assertEquals(10 + 11 + 12 + 13, report.bytes());
        assertTrue(report.errors().isEmpty(), report.toText());
    }
}
