package org.allockit.core.tc;

/**
 * Receives about one allocation per sampling interval of bytes allocated (2 MiB by default, set with
 * {@code sample_interval}), like tcmalloc's heap profiler: the distance to the next sample is drawn
 * from an exponential distribution, so large and small blocks are sampled in proportion to their
 * bytes. A sampled block gets a span of its own, so its free is seen without any cost to the others.
 * Set one with {@link TcHeap#setSampler}. Calls come from the allocating (or freeing) thread; an
 * implementation must be thread-safe and must not call back into the heap.
 */
public interface AllocationSampler {

    /** A block of {@code bytes} usable bytes was allocated at {@code address} and chosen as a sample. */
    void sampled(long address, long bytes);

    /** A sampled block was freed. */
    default void freed(long address, long bytes) {
    }
}
