package org.allockit.pool.contract;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.Allocators;
import org.allockit.core.kit.AllocatorContract;
import org.allockit.core.os.PageSource;

/** The invariant kit on the growing pool, in its size-tracking mode (blocks have no header otherwise). */
class GrowingPoolContractTest extends AllocatorContract {

    @Override
    protected Allocator create() {
        return Allocators.create("growing", AllocatorOptions.defaults().withSetting("track_sizes", "true"));
    }

    @Override
    protected Allocator create(PageSource pages) {
        return Allocators.create("growing", AllocatorOptions.defaults().withPages(pages)
                .withSetting("backing", "pages").withSetting("track_sizes", "true"));
    }
}
