package org.allockit.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fallback over JDK arenas, the failure injector and the probe decorator. */
class PageSourceDecoratorsTest {

    @Test
    void arenaPagesReserveZeroedAlignedMemoryAndReleaseIt() {
        ArenaPages pages = new ArenaPages();
        long address = pages.reserve(64 * 1024, 64 * 1024);
        assertEquals(0, address % (64 * 1024));
        assertEquals(64 * 1024, pages.reservedBytes());
        MemorySegment memory = MemorySegment.ofAddress(address).reinterpret(64 * 1024);
        assertEquals(0, memory.get(ValueLayout.JAVA_LONG, 8192));
        memory.set(ValueLayout.JAVA_LONG, 8192, 42);
        pages.decommit(address + 8192, 4096);
        assertEquals(0, memory.get(ValueLayout.JAVA_LONG, 8192), "decommit zeroes");
        pages.release(address, 32 * 1024);
        assertEquals(64 * 1024, pages.reservedBytes(), "a partial release keeps the reservation");
        pages.release(address + 32 * 1024, 32 * 1024);
        assertEquals(0, pages.reservedBytes());
    }

    @Test
    void arenaPagesRejectForeignRanges() {
        ArenaPages pages = new ArenaPages();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pages.decommit(4096, 4096));
        assertTrue(e.getMessage().contains("not inside any reservation"), e.getMessage());
    }

    @Test
    void failAfterRefusesOnceTheCountIsSpent() {
        PageSource pages = FailingPageSource.failAfter(new ArenaPages(), 2);
        long a = pages.reserve(4096, 4096);
        long b = pages.reserve(4096, 4096);
        PageSourceException e = assertThrows(PageSourceException.class, () -> pages.reserve(4096, 4096));
        assertTrue(e.isOutOfMemory());
        pages.release(a, 4096);
        pages.release(b, 4096);
    }

    @Test
    void failAboveAndLimitTotalRefuseBySize() {
        PageSource above = FailingPageSource.failAbove(new ArenaPages(), 8192);
        assertThrows(PageSourceException.class, () -> above.reserve(16384, 4096));
        above.release(above.reserve(8192, 4096), 8192);

        PageSource limited = FailingPageSource.limitTotal(new ArenaPages(), 12288);
        long a = limited.reserve(8192, 4096);
        assertThrows(PageSourceException.class, () -> limited.reserve(8192, 4096));
        limited.release(a, 8192);
        limited.release(limited.reserve(8192, 4096), 8192);
    }

    @Test
    void probedPagesReportEveryRange() {
        PageEvents probe = new PageEvents();
        List<String> events = probe.events;
        PageSource pages = new ProbedPageSource(new ArenaPages(), probe);
        long address = pages.reserve(8192, 4096);
        pages.adviseHugePages(address, 8192);
        pages.decommit(address, 4096);
        pages.release(address, 8192);
        assertEquals(List.of("reserve 8192", "huge 8192", "release 4096", "release 8192"), events);
    }
}
