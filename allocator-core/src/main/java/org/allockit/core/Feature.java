package org.allockit.core;

/**
 * What an allocator supports and which misuse it detects. The invariant kit runs the checks an
 * allocator declares and skips the rest; the CLI prints them beside each allocator.
 */
public enum Feature {
    /** {@code free} gives back single blocks (a region pool frees only all at once). */
    INDIVIDUAL_FREE,
    /** {@code reallocate} is supported. */
    REALLOCATE,
    /** Calls from several threads at once are safe. */
    THREAD_SAFE,
    /** {@code stats()} counts live blocks, usable bytes and operations exactly. */
    EXACT_STATS,
    /** {@code stats().footprintBytes()} returns to its starting level after everything is freed and trimmed. */
    RETURNS_MEMORY,
    /** A free of a block that is already free is rejected with {@link DoubleFreeException}. */
    DETECTS_DOUBLE_FREE,
    /** A free of an address the allocator never returned (outside its memory) is rejected. */
    DETECTS_FOREIGN_ADDRESS,
    /** A free of an address inside a live block, not at its start, is rejected. */
    DETECTS_INTERIOR_ADDRESS,
    /** The allocator can report its metadata accesses to a {@link MemoryProbe}. */
    PROBED,
    /** {@link Allocator#walk(HeapVisitor)} reports the heap's ranges and their states. */
    HEAP_WALK
}
