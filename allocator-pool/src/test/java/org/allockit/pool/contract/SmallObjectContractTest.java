package org.allockit.pool.contract;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.Allocators;
import org.allockit.core.kit.AllocatorContract;
import org.allockit.core.os.PageSource;
import org.allockit.pool.small.SmallObjectAllocator;

/** The invariant kit on the Loki small-object allocator, over malloc and over pages. */
class SmallObjectContractTest extends AllocatorContract {

    @Override
    protected Allocator create() {
        return Allocators.create("small");
    }

    @Override
    protected Allocator create(PageSource pages) {
        return Allocators.create("small", AllocatorOptions.defaults().withPages(pages).withSetting("backing", "pages"));
    }

    @Override
    protected long naturalAlignment() {
        return SmallObjectAllocator.DEFAULT_ALIGNMENT;
    }
}
