package org.allockit.core.kit;

import org.allockit.core.Allocator;
import org.allockit.core.os.PageSource;

/** The kit passes a correct allocator, every check of it running (the reference declares every feature), threads included. */
class ReferenceAllocatorContractTest extends ConcurrentAllocatorContract {

    @Override
    protected Allocator create() {
        return new ReferenceAllocator();
    }

    @Override
    protected Allocator create(PageSource pages) {
        return new ReferenceAllocator(pages);
    }

    /** A reservation per block makes the reference slow under contention (every release unmaps). */
    @Override
    protected int operationsPerThread() {
        return 3_000;
    }
}
