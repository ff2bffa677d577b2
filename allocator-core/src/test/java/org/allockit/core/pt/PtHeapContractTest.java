package org.allockit.core.pt;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.kit.ConcurrentAllocatorContract;
import org.allockit.core.os.PageSource;

/** The pt heap in its default (glibc-like, lock-free cache fill) mode through the invariant kit and its threads. */
class PtHeapContractTest extends ConcurrentAllocatorContract {

    @Override
    protected Allocator create() {
        return new PtHeap("pt", AllocatorOptions.defaults());
    }

    @Override
    protected Allocator create(PageSource pages) {
        return new PtHeap("pt", AllocatorOptions.defaults().withPages(pages));
    }
}
