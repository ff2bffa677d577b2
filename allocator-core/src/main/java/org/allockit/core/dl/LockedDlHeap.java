package org.allockit.core.dl;

import java.util.EnumSet;
import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.HeapVisitor;

/**
 * A {@link DlHeap} behind one lock, like dlmalloc built with {@code USE_LOCKS}: every call takes
 * the lock for its whole duration, so the heap may be shared by any number of threads. The lock is
 * a {@link HeapLock}: one compare-and-set to take, one plain release store to give back, nothing
 * allocated. Thread-safe.
 */
public final class LockedDlHeap implements Allocator {

    private final DlHeap heap;
    private final HeapLock lock = new HeapLock();

    public LockedDlHeap(String name, AllocatorOptions options) {
        this.heap = new DlHeap(name, options);
    }

    @Override
    public String name() {
        return heap.name();
    }

    @Override
    public long alloc(long size) {
        lock.lock();
        try {
            return heap.alloc(size);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long alloc(long size, long alignment) {
        lock.lock();
        try {
            return heap.alloc(size, alignment);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void free(long address) {
        lock.lock();
        try {
            heap.free(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long reallocate(long address, long newSize) {
        lock.lock();
        try {
            return heap.reallocate(address, newSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long usableSize(long address) {
        lock.lock();
        try {
            return heap.usableSize(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public AllocatorStats stats() {
        lock.lock();
        try {
            return heap.stats();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void verify() {
        lock.lock();
        try {
            heap.verify();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long trim() {
        lock.lock();
        try {
            return heap.trim();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean walk(HeapVisitor visitor) {
        lock.lock();
        try {
            return heap.walk(visitor);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<Feature> features() {
        Set<Feature> features = EnumSet.copyOf(heap.features());
        features.add(Feature.THREAD_SAFE);
        return features;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            heap.close();
        } finally {
            lock.unlock();
        }
    }
}
