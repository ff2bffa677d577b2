package org.allockit.core;

/**
 * Receives an allocator's address space as a sequence of ranges, each in one state, in address order
 * within each region the allocator owns; the shoot-out draws its heap maps from it. See
 * {@link Allocator#walk(HeapVisitor)}.
 */
@FunctionalInterface
public interface HeapVisitor {

    /** What a range of the heap holds. */
    enum State {
        /** A block handed out and not freed (its header included). */
        IN_USE,
        /** Free memory the allocator holds (bins, free lists, caches, the top chunk). */
        FREE,
        /** The allocator's own structures (tables, span records, headers of free lists). */
        METADATA,
        /** Reserved, touched once, then given back to the OS (MADV_DONTNEED). */
        RELEASED,
        /** Reserved and never handed out. */
        UNTOUCHED
    }

    /** One range of {@code bytes} bytes at {@code address}, all in {@code state}. */
    void range(long address, long bytes, State state);
}
