package org.allockit.core.dl;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.kit.ConcurrentAllocatorContract;
import org.allockit.core.os.PageSource;

/** The locked dl heap through the invariant kit, with its multi-threaded checks. */
class LockedDlHeapContractTest extends ConcurrentAllocatorContract {

    @Override
    protected Allocator create() {
        return new LockedDlHeap("dl", AllocatorOptions.defaults());
    }

    @Override
    protected Allocator create(PageSource pages) {
        return new LockedDlHeap("dl", AllocatorOptions.defaults().withPages(pages));
    }
}
