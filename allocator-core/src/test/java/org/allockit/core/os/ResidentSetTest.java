package org.allockit.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResidentSetTest {

    @Test
    void agreesWithTheStatmFile() throws IOException {
        assumeTrue(ResidentSet.isSupported());
        long before = Long.parseLong(Files.readString(Path.of("/proc/self/statm")).split(" ")[1]) * 4096;
        long now = ResidentSet.bytes();
        long after = Long.parseLong(Files.readString(Path.of("/proc/self/statm")).split(" ")[1]) * 4096;
        assertTrue(now >= Math.min(before, after) - (1 << 20) && now <= Math.max(before, after) + (1 << 20),
                before + " <= " + now + " <= " + after);
    }

    @Test
    void seesMemoryBeingTouchedBetweenTwoReads() {
        assumeTrue(ResidentSet.isSupported());
        PageSource pages = PageSource.os();
        long bytes = 32L << 20;
        long region = pages.reserve(bytes, pages.pageSize());
        try {
            long before = ResidentSet.bytes();
            java.lang.foreign.MemorySegment.ofAddress(region).reinterpret(bytes).fill((byte) 1);
            assertTrue(ResidentSet.bytes() - before >= bytes - (4 << 20), "the same open file reads fresh figures");
        } finally {
            pages.release(region, bytes);
        }
    }

    @Test
    void allocatesNothingOnTheJavaHeap() {
        assumeTrue(ResidentSet.isSupported());
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ResidentSet.bytes();
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                ResidentSet.bytes();
            }
            fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, fewest, 1000, "1000 reads allocated " + fewest + " bytes");
    }
}
