package org.allockit.core;

/**
 * A listener that sees every access an allocator makes to its own memory: each read and write of its
 * metadata (headers, footers, bin and free-list pointers), each block it hands out or takes back, and
 * each range of pages it gets from or gives back to the OS. The cache/TLB/page simulator is one.
 *
 * <p>Allocators keep the probe in a final field and test it against {@code null} before each report,
 * so an allocator created without a probe pays one predictable branch per report site and nothing
 * else. Calls come from whichever thread does the access; an implementation fed by a thread-safe
 * allocator must be thread-safe itself or be used by one thread.
 */
public interface MemoryProbe {

    /** The allocator read {@code size} bytes of its own metadata at {@code address}. */
    void metadataRead(long address, int size);

    /** The allocator wrote {@code size} bytes of its own metadata at {@code address}. */
    void metadataWrite(long address, int size);

    /** A block of {@code usable} bytes (of which {@code requested} were asked for) was handed out. */
    default void blockAllocated(long address, long requested, long usable) {
    }

    /** A block of {@code usable} bytes was taken back. */
    default void blockFreed(long address, long usable) {
    }

    /** Address space was reserved from the OS (not yet touched). */
    default void pagesReserved(long address, long bytes) {
    }

    /** Pages were given back to the OS ({@code MADV_DONTNEED}, {@code MADV_FREE} or unmapped): they fault again when touched. */
    default void pagesReleased(long address, long bytes) {
    }

    /** A range was marked for transparent huge pages ({@code MADV_HUGEPAGE}). */
    default void hugePages(long address, long bytes) {
    }
}
