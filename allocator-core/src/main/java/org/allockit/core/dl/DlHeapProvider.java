package org.allockit.core.dl;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;

/** Registry entry {@code dl-unlocked}: a single-threaded {@link DlHeap}. */
public final class DlHeapProvider implements AllocatorProvider {

    @Override
    public String name() {
        return "dl-unlocked";
    }

    @Override
    public String description() {
        return "dlmalloc-style heap (boundary tags, small and tree bins, dv, top, direct maps); one thread at a time";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        return new DlHeap(name(), options);
    }
}
