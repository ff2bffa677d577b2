package org.allockit.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.allockit.core.Allocators;
import org.junit.jupiter.api.Test;

/** A handle dropped without release is found after a GC; a released one never is. */
class UnreachableHandlesTest {

    /** A handle with identity over an off-heap block, as a pool's record handle would be. */
    static final class Record {
        final long address;
        final UnreachableHandles.Registration registration;

        Record(LeakTracker memory, long bytes) {
            this.address = memory.alloc(bytes);
            this.registration = memory.handles().register(this, address, bytes);
        }

        void free(LeakTracker memory) {
            memory.free(address);
            registration.release();
        }
    }

    private static Record openRecord(LeakTracker memory) {
        return new Record(memory, 48);
    }

    @Test
    void aDroppedHandleIsReportedAfterAGc() throws InterruptedException {
        try (LeakTracker memory = LeakTracker.wrap(Allocators.create("malloc"), LeakOptions.of(Level.COUNT).withLog(m -> { }))) {
            openRecord(memory).free(memory);
            openRecord(memory);                           // dropped: unreachable at once
            List<HandleLeak> leaks = awaitLeaks(memory.handles());
            assertEquals(1, leaks.size());
            HandleLeak leak = leaks.getFirst();
            assertEquals(Record.class.getName(), leak.type());
            assertEquals(48, leak.bytes());
            assertEquals("<init>", leak.site().frames().getFirst().getMethodName());
            assertEquals("openRecord", leak.site().frames().get(1).getMethodName());
            assertEquals(1, memory.report().unreachable().size());
            memory.free(leak.address());
        }
    }

    private static List<HandleLeak> awaitLeaks(UnreachableHandles handles) throws InterruptedException {
        for (int i = 0; i < 100 && handles.leaks().isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(!handles.leaks().isEmpty(), "no leak found after 100 GCs");
        Thread.sleep(50);   // let the Cleaner finish any other pending action
        return handles.leaks();
    }
}
