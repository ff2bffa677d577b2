package org.allockit.bench.contender;

import org.allockit.core.Allocator;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.HeapVisitor;

/**
 * An allocator from the registry (ours, and glibc malloc as {@code malloc}): the handle is the
 * block's address, so a workload's path through it allocates nothing. An allocator that cannot free
 * single blocks (a region pool) keeps them until closed, within a {@link LeakBudget}.
 *
 * <p>Thread safety: as the allocator's {@link Feature#THREAD_SAFE}.
 */
final class RegistryContender extends Contender {

    private final Allocator allocator;
    private final boolean frees;
    private final boolean threadSafe;
    private final boolean resizes;
    private final LeakBudget leaks;

    RegistryContender(Allocator allocator) {
        super(allocator.name());
        this.allocator = allocator;
        this.frees = allocator.features().contains(Feature.INDIVIDUAL_FREE);
        this.threadSafe = allocator.features().contains(Feature.THREAD_SAFE);
        this.resizes = allocator.features().contains(Feature.REALLOCATE);
        this.leaks = frees ? null : new LeakBudget(allocator.name());
    }

    @Override
    public long alloc(long size) {
        if (leaks != null) {
            leaks.charge(size);
        }
        return allocator.alloc(size);
    }

    @Override
    public long alloc(long size, long alignment) {
        if (leaks != null) {
            leaks.charge(size);
        }
        return allocator.alloc(size, alignment);
    }

    @Override
    public void free(long handle) {
        if (frees) {
            allocator.free(handle);
        }
    }

    @Override
    public long address(long handle) {
        return handle;
    }

    @Override
    public long realloc(long handle, long oldSize, long newSize) {
        if (resizes) {
            return allocator.reallocate(handle, newSize);
        }
        return super.realloc(handle, oldSize, newSize);
    }

    @Override
    public boolean threadSafe() {
        return threadSafe;
    }

    @Override
    public long footprint() {
        AllocatorStats stats = allocator.stats();
        return stats.footprintBytes() < 0 ? UNKNOWN : stats.footprintBytes();
    }

    @Override
    public boolean walk(HeapVisitor visitor) {
        return allocator.walk(visitor);
    }

    @Override
    public void close() {
        allocator.close();
    }
}
