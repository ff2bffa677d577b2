package org.allockit.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageSourceResizeTest {

    private static final long MIB = 1 << 20;

    @Test
    void resizeKeepsTheContentsAndTheReservedCount() {
        PageSource pages = PageSource.os();
        // The count is process-wide and other tests' cleaner threads may move it meanwhile: one quiet try of a few suffices.
        boolean counted = false;
        for (int attempt = 0; attempt < 20 && !counted; attempt++) {
            long before = pages.reservedBytes();
            long a = pages.reserve(MIB, pages.pageSize());
            MemorySegment.ofAddress(a).reinterpret(MIB).set(ValueLayout.JAVA_LONG, MIB - 8, 42);
            long b = pages.resize(a, MIB, 8 * MIB);
            assertNotEquals(0, b);
            assertEquals(42, MemorySegment.ofAddress(b).reinterpret(MIB).get(ValueLayout.JAVA_LONG, MIB - 8));
            long during = pages.reservedBytes();
            pages.release(b, 8 * MIB);
            counted = during == before + 8 * MIB && pages.reservedBytes() == before;
        }
        assertTrue(counted, "reservedBytes() never followed the resize exactly");
    }

    @Test
    void aSourceThatCannotResizeSaysSo() {
        assertEquals(0, new ArenaPages().resize(0, 4096, 8192));
    }

    @Test
    void probedResizeReportsTheOldPagesGoneAndTheNewOnesReserved() {
        PageEvents probe = new PageEvents();
        List<String> events = probe.events;
        PageSource pages = new ProbedPageSource(PageSource.os(), probe);
        long a = pages.reserve(MIB, pages.pageSize());
        long b = pages.resize(a, MIB, 2 * MIB);
        pages.release(b, 2 * MIB);
        assertEquals(List.of("reserve " + MIB, "release " + MIB, "reserve " + 2 * MIB, "release " + 2 * MIB), events);
    }

    @Test
    void failingSourceRefusesGrowthBeyondItsLimit() {
        PageSource os = PageSource.os();
        PageSource pages = FailingPageSource.failAbove(os, 2 * MIB);
        long a = pages.reserve(MIB, os.pageSize());
        assertThrows(PageSourceException.class, () -> pages.resize(a, MIB, 4 * MIB));
        long b = pages.resize(a, MIB, 2 * MIB);
        pages.release(b, 2 * MIB);
    }
}
