package org.allockit.pool.small;

import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;
import org.allockit.pool.Backing;

/**
 * Registers the Loki small-object allocator as {@code small}. Settings: {@code max_object} (256),
 * {@code alignment} (8), {@code page} (4K, the chunk size target) and {@code backing} (a registry name or
 * {@code pages}; default {@code malloc} when registered, which also serves the large requests).
 */
public final class SmallObjectProvider implements AllocatorProvider {

    @Override
    public String name() {
        return SmallObjectAllocator.NAME;
    }

    @Override
    public String description() {
        return "Loki small-object allocator: 255-block chunks with one-byte in-block free lists";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        options.rejectUnknown(name(), Backing.with(Set.of("max_object", "alignment", "page")));
        return new SmallObjectAllocator(Backing.from(options, "malloc"),
                Math.toIntExact(options.size("max_object", SmallObjectAllocator.DEFAULT_MAX_OBJECT)),
                Math.toIntExact(options.size("alignment", SmallObjectAllocator.DEFAULT_ALIGNMENT)),
                options.size("page", SmallObjectAllocator.DEFAULT_PAGE));
    }
}
