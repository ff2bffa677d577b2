package org.allockit.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel's pages through FFM: reservations cost no memory until touched, and madvise gives it back. */
class OsPagesTest {

    private static final long MiB = 1L << 20;
    private static final PageSource PAGES = OsPages.INSTANCE;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(OsPages.isSupported() && ResidentSet.isSupported(), "needs Linux mmap and /proc");
    }

    @Test
    void reservingSixtyFourGibibytesCostsLessThanOneMebibyte() {
        // The JVM's own threads touch fresh pages now and then; the least growth over a few tries is the reservation's.
        long size = 64L << 30;
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = ResidentSet.bytes();
            long address = PAGES.reserve(size, PAGES.pageSize());
            try {
                least = Math.min(least, ResidentSet.bytes() - before);
                assertEquals(0, address % PAGES.pageSize());
            } finally {
                PAGES.release(address, size);
            }
        }
        assertTrue(least < MiB, "reserving 64 GiB made " + least + " bytes resident");
    }

    @Test
    void touchingSixtyFourMebibytesIsResidentAndDecommitGivesItBack() {
        long size = 64 * MiB;
        long address = PAGES.reserve(size, PAGES.pageSize());
        try {
            long before = ResidentSet.bytes();
            touchEveryPage(address, size);
            long grown = ResidentSet.bytes() - before;
            // About 64 MiB: the JVM's own threads may touch a few more pages meanwhile.
            assertTrue(grown > 60 * MiB && grown < 80 * MiB, "touched 64 MiB, resident grew by " + grown);

            long beforeDecommit = ResidentSet.bytes();
            PAGES.decommit(address, size);
            long shrunk = beforeDecommit - ResidentSet.bytes();
            assertTrue(shrunk > 60 * MiB, "MADV_DONTNEED gave back only " + shrunk);
            assertEquals(0, MemorySegment.ofAddress(address).reinterpret(size).get(ValueLayout.JAVA_LONG, size / 2),
                    "decommitted pages read as zero");
        } finally {
            PAGES.release(address, size);
        }
    }

    @Test
    void reservesAtLargeAlignments() {
        long alignment = 1L << 30;
        long address = PAGES.reserve(8 * MiB, alignment);
        try {
            assertEquals(0, address % alignment);
            touchEveryPage(address, 8 * MiB);
        } finally {
            PAGES.release(address, 8 * MiB);
        }
    }

    @Test
    void lazyFreeAndHugePageAdviceAreAccepted() {
        long size = 4 * MiB;
        long address = PAGES.reserve(size, 2 * MiB);
        try {
            PAGES.adviseHugePages(address, size);
            touchEveryPage(address, size);
            PAGES.lazyFree(address, size);
        } finally {
            PAGES.release(address, size);
        }
    }

    @Test
    void refusalCarriesErrno() {
        // An mmap of nearly the whole address space is refused with ENOMEM.
        PageSourceException e = assertThrows(PageSourceException.class, () -> PAGES.reserve(1L << 62, PAGES.pageSize()));
        assertEquals(PageSourceException.ENOMEM, e.errno());
        assertTrue(e.getMessage().contains("errno 12"), e.getMessage());
        assertTrue(e.isOutOfMemory());
    }

    @Test
    void rejectsUnalignedRanges() {
        assertThrows(IllegalArgumentException.class, () -> PAGES.decommit(4097, 4096));
        assertThrows(IllegalArgumentException.class, () -> PAGES.reserve(100, 4096));
    }

    @Test
    void reservedBytesFollowReservations() {
        // The counter is process-wide and other heaps' cleaner threads may move it meanwhile: one quiet try of a few suffices.
        boolean followed = false;
        for (int attempt = 0; attempt < 20 && !followed; attempt++) {
            long before = PAGES.reservedBytes();
            long address = PAGES.reserve(MiB, PAGES.pageSize());
            long during = PAGES.reservedBytes();
            PAGES.release(address, MiB);
            followed = during == before + MiB && PAGES.reservedBytes() == before;
        }
        assertTrue(followed, "reservedBytes() never moved by exactly the 1 MiB reserved and released");
    }

    static void touchEveryPage(long address, long size) {
        MemorySegment memory = MemorySegment.ofAddress(address).reinterpret(size);
        for (long offset = 0; offset < size; offset += 4096) {
            memory.set(ValueLayout.JAVA_BYTE, offset, (byte) 1);
        }
    }
}
