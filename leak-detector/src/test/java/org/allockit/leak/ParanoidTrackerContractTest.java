package org.allockit.leak;

import org.allockit.core.Allocator;
import org.allockit.core.glibc.MallocAllocator;
import org.allockit.core.kit.ConcurrentAllocatorContract;

/**
 * The invariant kit over {@code LeakTracker.wrap(malloc, PARANOID)}: red zones, poison and quarantine
 * stay invisible to correct programs (no false positive across the kit's random programs), the
 * exact stats PARANOID declares agree with the kit's model, and every bad address is rejected.
 */
class ParanoidTrackerContractTest extends ConcurrentAllocatorContract {

    @Override
    protected Allocator create() {
        return LeakTracker.wrap(new MallocAllocator(), LeakOptions.of(Level.PARANOID).withLog(message -> { }));
    }
}
