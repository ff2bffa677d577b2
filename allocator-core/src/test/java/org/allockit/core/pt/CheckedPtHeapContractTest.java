package org.allockit.core.pt;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.kit.ConcurrentAllocatorContract;

/** The pt heap with check=true (every free checked by its arena first): the kit's double-free checks run too. */
class CheckedPtHeapContractTest extends ConcurrentAllocatorContract {

    @Override
    protected Allocator create() {
        return new PtHeap("pt", AllocatorOptions.defaults().withSetting("check", "true"));
    }
}
