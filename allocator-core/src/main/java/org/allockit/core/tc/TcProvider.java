package org.allockit.core.tc;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;

/** Registers the tcmalloc-style heap as {@code tc}. */
public final class TcProvider implements AllocatorProvider {

    @Override
    public String name() {
        return TcHeap.NAME;
    }

    @Override
    public String description() {
        return "tcmalloc-style: size classes, thread caches under a global cap, transfer caches, central lists, page heap";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        return new TcHeap(options);
    }
}
