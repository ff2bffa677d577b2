package org.allockit.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.allockit.core.Allocators;
import org.allockit.core.HeapCorruptionException;
import org.junit.jupiter.api.Test;

/** The PARANOID checks: red zones, poison and quarantine, each error with its sites and offset. */
class ParanoidTest {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static LeakTracker paranoid(LeakOptions options) {
        return LeakTracker.wrap(Allocators.create("malloc"), options.withLog(m -> { }));
    }

    private static LeakTracker paranoid() {
        return paranoid(LeakOptions.of(Level.PARANOID));
    }

    private static long allocateBuffer(LeakTracker tracker, long size) {
        return tracker.alloc(size);
    }

    private static void release(LeakTracker tracker, long block) {
        tracker.free(block);
    }

    private static String topMethod(Site site) {
        return site.frames().getFirst().getMethodName();
    }

    @Test
    void findsAnOverflowWithItsOffsetAndSite() {
        try (LeakTracker tracker = paranoid()) {
            long block = allocateBuffer(tracker, 40);
            ALL.set(ValueLayout.JAVA_BYTE, block + 42, (byte) 1);    // third byte past the end
            HeapCorruptionException e = assertThrows(HeapCorruptionException.class, () -> release(tracker, block));
            MemoryError error = tracker.errors().getFirst();
            assertEquals(MemoryError.Kind.OVERFLOW, error.kind());
            assertEquals(42, error.offset());
            assertEquals("allocateBuffer", topMethod(error.allocated()));
            assertEquals("release", topMethod(error.freed()));
            assertTrue(e.getMessage().contains("heap-buffer-overflow: byte 42 (3 past the end)"), e.getMessage());
            assertEquals(0, tracker.report().blocks(), "the damaged block was still freed");
        }
    }

    @Test
    void findsAnUnderflowWithANegativeOffset() {
        try (LeakTracker tracker = paranoid()) {
            long block = allocateBuffer(tracker, 64);
            ALL.set(ValueLayout.JAVA_BYTE, block - 5, (byte) 0);
            assertThrows(HeapCorruptionException.class, () -> release(tracker, block));
            MemoryError error = tracker.errors().getFirst();
            assertEquals(MemoryError.Kind.UNDERFLOW, error.kind());
            assertEquals(-5, error.offset());
            assertEquals("allocateBuffer", topMethod(error.allocated()));
        }
    }

    @Test
    void anOverflowWithinTheBlocksAlignmentSlackIsStillCaught() {
        try (LeakTracker tracker = paranoid()) {
            long block = allocateBuffer(tracker, 13);      // malloc would give 24 usable bytes
            assertEquals(13, tracker.usableSize(block));
            ALL.set(ValueLayout.JAVA_BYTE, block + 13, (byte) 0);
            assertThrows(HeapCorruptionException.class, () -> release(tracker, block));
            assertEquals(13, tracker.errors().getFirst().offset());
        }
    }

    @Test
    void findsAWriteAfterFreeWhenTheBlockLeavesTheQuarantine() {
        try (LeakTracker tracker = paranoid(LeakOptions.of(Level.PARANOID).withQuarantine(1 << 20, 2))) {
            long block = allocateBuffer(tracker, 100);
            release(tracker, block);
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, block + 16, 42L);   // use after free
            tracker.free(tracker.alloc(8));                             // quarantine: block, then this one
            HeapCorruptionException e = assertThrows(HeapCorruptionException.class,
                    () -> tracker.free(tracker.alloc(8)));              // the third pushes block out
            MemoryError error = tracker.errors().getFirst();
            assertEquals(MemoryError.Kind.USE_AFTER_FREE, error.kind());
            assertEquals(16, error.offset());
            assertEquals(block, error.address());
            assertEquals("allocateBuffer", topMethod(error.allocated()));
            assertEquals("release", topMethod(error.freed()));
            assertTrue(e.getMessage().contains("heap-use-after-free: byte 16"), e.getMessage());
        }
    }

    @Test
    void holdsFreedBlocksWithinTheByteBudget() {
        try (LeakTracker tracker = paranoid(LeakOptions.of(Level.PARANOID).withQuarantine(4096, 1000))) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                blocks.add(tracker.alloc(1000));
            }
            blocks.forEach(tracker::free);
            assertTrue(tracker.errors().isEmpty());
            assertEquals(0, tracker.stats().liveBlocks());
        }
    }

    @Test
    void aDoubleFreeNamesAllThreeSites() {
        try (LeakTracker tracker = paranoid()) {
            long block = allocateBuffer(tracker, 24);
            release(tracker, block);
            assertThrows(org.allockit.core.DoubleFreeException.class, () -> tracker.free(block));
            MemoryError error = tracker.errors().getFirst();
            assertEquals("allocateBuffer", topMethod(error.allocated()));
            assertEquals("release", topMethod(error.freed()));
            assertTrue(error.message().contains("freed again at"), error.message());
        }
    }

    @Test
    void anInteriorFreeOfAQuarantinedBlockIsNamed() {
        try (LeakTracker tracker = paranoid()) {
            long block = allocateBuffer(tracker, 64);
            release(tracker, block);
            assertThrows(org.allockit.core.InvalidAddressException.class, () -> tracker.free(block + 8));
            assertTrue(tracker.errors().getFirst().message().contains("freed 64-byte block"),
                    tracker.errors().getFirst().message());
        }
    }

    @Test
    void keepsTheAlignmentAskedFor() {
        try (LeakTracker tracker = paranoid()) {
            for (long alignment = 1; alignment <= 1 << 16; alignment <<= 1) {
                long block = tracker.alloc(100, alignment);
                assertEquals(0, block % Math.max(alignment, 16), "alignment " + alignment);
                tracker.segment(block).fill((byte) 1);
                tracker.free(block);
            }
            assertTrue(tracker.errors().isEmpty());
        }
    }

    @Test
    void verifyFindsDamageInLiveBlocksOnce() {
        try (LeakTracker tracker = paranoid()) {
            long block = allocateBuffer(tracker, 32);
            ALL.set(ValueLayout.JAVA_BYTE, block + 32, (byte) 9);
            assertThrows(HeapCorruptionException.class, tracker::verify);
            tracker.verify();                    // repaired after the report
            tracker.free(block);
            assertEquals(1, tracker.errors().size());
        }
    }

    @Test
    void closeChecksTheQuarantineAndNeverThrows() {
        LeakTracker tracker = paranoid();
        long block = allocateBuffer(tracker, 32);
        release(tracker, block);
        ALL.set(ValueLayout.JAVA_BYTE, block, (byte) 0);
        tracker.close();
        assertEquals(MemoryError.Kind.USE_AFTER_FREE, tracker.report().errors().getFirst().kind());
        assertEquals(0, tracker.report().errors().getFirst().offset());
    }

    @Test
    void trimEmptiesTheQuarantine() {
        try (LeakTracker tracker = paranoid()) {
            long block = tracker.alloc(64);
            tracker.free(block);
            ALL.set(ValueLayout.JAVA_BYTE, block + 3, (byte) 0);
            assertThrows(HeapCorruptionException.class, tracker::trim);
            assertEquals(3, tracker.errors().getFirst().offset());
        }
    }
}
