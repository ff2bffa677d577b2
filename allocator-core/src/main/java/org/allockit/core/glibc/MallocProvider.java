package org.allockit.core.glibc;

import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;

/** Registers glibc's allocator as {@code malloc}. It takes no settings and ignores page sources and probes. */
public final class MallocProvider implements AllocatorProvider {

    @Override
    public String name() {
        return "malloc";
    }

    @Override
    public String description() {
        return "glibc malloc/free through FFM downcalls (baseline)";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        options.rejectUnknown(name(), Set.of());
        return new MallocAllocator();
    }
}
