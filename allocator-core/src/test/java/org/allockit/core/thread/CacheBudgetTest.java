package org.allockit.core.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CacheBudgetTest {

    @Test
    void leasesWhatIsLeftButNeverLessThanTheMinimum() {
        CacheBudget budget = new CacheBudget(100);
        assertEquals(60, budget.lease(10, 60));
        assertEquals(40, budget.lease(10, 60));
        assertEquals(0, budget.lease(1, 60));
        budget.giveBack(30);
        assertEquals(0, budget.lease(31, 40));
        assertEquals(30, budget.lease(30, 40));
        assertEquals(0, budget.remaining());
        assertEquals(100, budget.cap());
    }

    @Test
    void threadsTogetherNeverLeaseMoreThanTheCap() throws Exception {
        CacheBudget budget = new CacheBudget(1 << 20);
        AtomicLong held = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                long mine = 0;
                for (int i = 0; i < 100_000; i++) {
                    if ((i & 1) == 0) {
                        mine += budget.lease(1, 4096);
                    } else if (mine > 0) {
                        long back = Math.min(mine, 1000);
                        mine -= back;
                        budget.giveBack(back);
                    }
                }
                held.addAndGet(mine);
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(budget.cap(), budget.remaining() + held.get());
    }

    @Test
    void rejectsANegativeCap() {
        assertThrows(IllegalArgumentException.class, () -> new CacheBudget(-1));
    }
}
