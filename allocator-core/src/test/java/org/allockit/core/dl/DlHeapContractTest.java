package org.allockit.core.dl;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.kit.AllocatorContract;
import org.allockit.core.os.PageSource;

/** The single-threaded dl heap through the invariant kit, out-of-memory checks included. */
class DlHeapContractTest extends AllocatorContract {

    @Override
    protected Allocator create() {
        return new DlHeap("dl-unlocked", AllocatorOptions.defaults());
    }

    @Override
    protected Allocator create(PageSource pages) {
        return new DlHeap("dl-unlocked", AllocatorOptions.defaults().withPages(pages));
    }
}
