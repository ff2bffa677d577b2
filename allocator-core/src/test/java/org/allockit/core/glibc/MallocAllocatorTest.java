package org.allockit.core.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.InvalidAlignmentException;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.OutOfNativeMemoryError;
import org.junit.jupiter.api.Test;

/** glibc through FFM: aligned blocks, realloc keeps data, checked arguments, closed means closed. */
class MallocAllocatorTest {

    @Test
    void alignsEveryPowerOfTwoUpToOneGibibyte() {
        try (Allocator heap = new MallocAllocator()) {
            for (long alignment = 1; alignment <= (1L << 30); alignment <<= 3) {
                long address = heap.alloc(100, alignment);
                assertEquals(0, address % alignment, "alignment " + alignment);
                assertTrue(heap.usableSize(address) >= 100);
                heap.free(address);
            }
        }
    }

    @Test
    void reallocateKeepsTheBytes() {
        try (Allocator heap = new MallocAllocator()) {
            long address = heap.alloc(32);
            heap.segment(address).set(ValueLayout.JAVA_LONG, 8, 0x1234_5678_9abcL);
            long moved = heap.reallocate(address, 1 << 20);
            assertEquals(0x1234_5678_9abcL, heap.segment(moved).get(ValueLayout.JAVA_LONG, 8));
            heap.free(moved);
        }
    }

    @Test
    void rejectsBadArgumentsAndStaysUsable() {
        try (Allocator heap = new MallocAllocator()) {
            assertThrows(InvalidSizeException.class, () -> heap.alloc(-1));
            assertThrows(InvalidAlignmentException.class, () -> heap.alloc(8, 3));
            assertThrows(OutOfNativeMemoryError.class, () -> heap.alloc(1L << 60));
            heap.free(heap.alloc(8));
        }
    }

    @Test
    void callsAfterCloseAreRejected() {
        Allocator heap = new MallocAllocator();
        heap.close();
        AllocatorClosedException e = assertThrows(AllocatorClosedException.class, () -> heap.alloc(8));
        assertEquals("malloc: alloc after close()", e.getMessage());
    }

    @Test
    void agronaViewCoversTheUsableBytes() {
        try (Allocator heap = new MallocAllocator()) {
            long address = heap.alloc(40);
            var buffer = heap.buffer(address);
            assertEquals(heap.usableSize(address), buffer.capacity());
            buffer.putLong(0, 77);
            assertEquals(77, heap.segment(address).get(ValueLayout.JAVA_LONG, 0));
            heap.free(address);
        }
    }

    @Test
    void statsSeeLiveBytes() {
        try (Allocator heap = new MallocAllocator()) {
            // Other JVM threads use malloc too, so look for a change far larger than their noise.
            long before = heap.stats().liveUsableBytes();
            long address = heap.alloc(256 << 20);
            assertTrue(heap.stats().liveUsableBytes() >= before + (200 << 20));
            heap.free(address);
        }
    }
}
