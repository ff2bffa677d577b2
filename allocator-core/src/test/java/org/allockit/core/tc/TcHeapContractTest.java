package org.allockit.core.tc;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.kit.ConcurrentAllocatorContract;
import org.allockit.core.os.PageSource;

/** The tc heap in checking mode through the invariant kit, threads included (every feature it declares is checked). */
class TcHeapContractTest extends ConcurrentAllocatorContract {

    private static AllocatorOptions checking() {
        return AllocatorOptions.defaults().withSetting("checking", "true");
    }

    @Override
    protected Allocator create() {
        return new TcHeap(checking());
    }

    /** Blocks of up to 8 bytes come from the 8-byte class, aligned to 8; all others are aligned to 16. */
    @Override
    protected long naturalAlignment() {
        return 8;
    }

    @Override
    protected Allocator create(PageSource pages) {
        return new TcHeap(checking().withPages(pages));
    }
}
