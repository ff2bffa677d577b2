package org.allockit.core.pt;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;

/** Registry entry {@code pt}: the ptmalloc-style multi-arena heap. */
public final class PtProvider implements AllocatorProvider {

    @Override
    public String name() {
        return "pt";
    }

    @Override
    public String description() {
        return "ptmalloc-style heap: arenas per thread found by masking, lock-free thread caches under a global cap";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        return new PtHeap(name(), options);
    }
}
