package org.allockit.core.os;

/**
 * Where allocators get their pages: address space reserved from the OS and given back to it.
 *
 * <p>Reserved memory reads as zero and costs nothing until touched; {@link #decommit} gives touched
 * pages back while keeping the addresses reserved (they read as zero and fault in again when
 * touched); {@link #release} gives the addresses back too. Addresses and lengths are multiples of
 * {@link #pageSize()}; reservations are aligned to at least that.
 *
 * <p>Implementations: {@link OsPages} (Linux {@code mmap}/{@code madvise} through FFM), {@link
 * ArenaPages} (a portable fallback over {@code Arena.ofShared()}), {@link FailingPageSource} (a
 * decorator that fails on demand, for tests) and {@link ProbedPageSource} (reports to a
 * {@link org.allockit.core.MemoryProbe}). All are thread-safe.
 */
public interface PageSource {

    /** The OS page size in bytes. */
    long pageSize();

    /**
     * Reserves {@code bytes} of zeroed, untouched address space at a multiple of {@code alignment}
     * (a power of two). Throws {@link PageSourceException} when the OS refuses.
     */
    long reserve(long bytes, long alignment);

    /** Gives a reserved range back to the OS entirely (unmap). */
    void release(long address, long bytes);

    /**
     * Resizes the whole reservation {@code [address, address + oldBytes)} to {@code newBytes}, keeping
     * its contents and moving it if it must ({@code mremap(MREMAP_MAYMOVE)}: the kernel moves the page
     * tables, no byte is copied). Returns the new address, or 0 when this source cannot resize, in
     * which case nothing changed and the caller reserves, copies and releases instead.
     */
    default long resize(long address, long oldBytes, long newBytes) {
        return 0;
    }

    /** Gives the pages of a range back ({@code MADV_DONTNEED}); the range stays reserved and reads as zero. */
    void decommit(long address, long bytes);

    /**
     * Lets the OS take the pages of a range when it needs them ({@code MADV_FREE}); until then they
     * keep their contents. Falls back to {@link #decommit} where the OS has no lazy free.
     */
    default void lazyFree(long address, long bytes) {
        decommit(address, bytes);
    }

    /** Asks for transparent huge pages over a range ({@code MADV_HUGEPAGE}); a hint, may do nothing. */
    default void adviseHugePages(long address, long bytes) {
    }

    /** Bytes currently reserved through this source and not released. */
    long reservedBytes();

    /** The best source for this system: {@link OsPages} on Linux, else {@link ArenaPages}. */
    static PageSource os() {
        return OsPages.isSupported() ? OsPages.INSTANCE : new ArenaPages();
    }

    /** Rounds {@code bytes} up to a multiple of {@code unit}, a power of two. */
    static long roundUp(long bytes, long unit) {
        return (bytes + unit - 1) & -unit;
    }
}
