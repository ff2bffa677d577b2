package org.allockit.leak;

import org.allockit.core.Allocator;
import org.allockit.core.glibc.MallocAllocator;
import org.allockit.core.kit.ConcurrentAllocatorContract;

/**
 * The invariant kit over {@code LeakTracker.wrap(malloc, FULL)}: the tracker keeps malloc's contract,
 * rejects every bad address the kit tries (malloc alone is never handed one), and throws no memory
 * error on the kit's clean random programs, so it reports no false positive. Threads included.
 */
class FullTrackerContractTest extends ConcurrentAllocatorContract {

    @Override
    protected Allocator create() {
        return LeakTracker.wrap(new MallocAllocator(), LeakOptions.of(Level.FULL).withLog(message -> { }));
    }
}
