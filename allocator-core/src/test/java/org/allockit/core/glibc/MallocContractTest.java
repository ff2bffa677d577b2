package org.allockit.core.glibc;

import org.allockit.core.Allocator;
import org.allockit.core.kit.ConcurrentAllocatorContract;

/**
 * glibc's allocator through the invariant kit. It declares no detection of bad addresses (glibc
 * would abort the JVM), so the kit never hands it one; its stats are not exact and its footprint is
 * the resident set, so those checks are skipped too. Everything else runs, threads included.
 */
class MallocContractTest extends ConcurrentAllocatorContract {

    @Override
    protected Allocator create() {
        return new MallocAllocator();
    }
}
