package org.allockit.core.dl;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;

/** Registry entry {@code dl}: a {@link DlHeap} behind one lock ({@link LockedDlHeap}), safe to share. */
public final class LockedDlHeapProvider implements AllocatorProvider {

    @Override
    public String name() {
        return "dl";
    }

    @Override
    public String description() {
        return "dlmalloc-style heap behind one lock (like USE_LOCKS); thread-safe";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        return new LockedDlHeap(name(), options);
    }
}
