package org.allockit.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.allockit.core.Allocators;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.InvalidAddressException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Leaks, bad frees and clean code under every level, over glibc malloc. */
class LeakTrackerTest {

    private static LeakTracker tracker(Level level) {
        return LeakTracker.wrap(Allocators.create("malloc"), LeakOptions.of(level).withLog(m -> { }));
    }

    /** A distinct method, so the site's innermost frame names it. */
    private static long plantLeak(LeakTracker tracker, long size) {
        return tracker.alloc(size);
    }

    private static String topMethod(Site site) {
        return site.frames().getFirst().getMethodName();
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void countsLiveBlocksAndBytesExactly(Level level) {
        try (LeakTracker tracker = tracker(level)) {
            long a = tracker.alloc(100);
            long b = tracker.alloc(28, 64);
            long c = tracker.alloc(0);
            tracker.free(b);
            LeakReport report = tracker.report();
            assertEquals(2, report.blocks());
            assertEquals(100, report.bytes());
            assertEquals(2, tracker.stats().liveBlocks());
            assertEquals(100, tracker.stats().liveRequestedBytes());
            tracker.free(a);
            tracker.free(c);
            assertTrue(tracker.report().clean(), tracker.report().toText());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Level.class, names = {"FULL", "PARANOID"})
    void findsAPlantedLeakWithItsSite(Level level) {
        LeakTracker tracker = tracker(level);
        long kept = tracker.alloc(16);
        for (int i = 0; i < 2; i++) {
            plantLeak(tracker, 48);
        }
        tracker.free(kept);
        tracker.close();
        LeakReport report = tracker.report();
        assertEquals(2, report.blocks());
        assertEquals(96, report.bytes());
        assertEquals(1, report.sites().size(), report.toText());
        SiteLeaks leak = report.sites().getFirst();
        assertEquals("plantLeak", topMethod(leak.site()));
        assertEquals(Thread.currentThread().getName(), leak.site().thread());
        assertTrue(leak.oldestAgeNanos() >= 0);
    }

    @ParameterizedTest
    @EnumSource(value = Level.class, names = {"COUNT", "SAMPLED"})
    void neverMissesALeakWithoutASite(Level level) {
        LeakTracker tracker = tracker(level);
        for (int i = 0; i < 10; i++) {
            plantLeak(tracker, 32);
        }
        tracker.close();
        LeakReport report = tracker.report();
        assertEquals(10, report.blocks());
        assertEquals(320, report.bytes());
        long counted = report.sites().stream().mapToLong(SiteLeaks::blocks).sum();
        assertEquals(10, counted, "every block is in some group, sited or not");
    }

    @Test
    void sampledRecordsTheSiteOfSampledBlocks() {
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"),
                LeakOptions.of(Level.SAMPLED).withSampleInterval(1).withLog(m -> { }));
        plantLeak(tracker, 64);
        tracker.close();
        assertEquals("plantLeak", topMethod(tracker.report().sites().getFirst().site()));
    }

    @Test
    void sampledRecordsAboutOneAllocationPerInterval() {
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"),
                LeakOptions.of(Level.SAMPLED).withSampleInterval(64 * 1024).withLog(m -> { }));
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {   // 20 000 x 256 B = 5000 KiB: about 78 samples expected
            blocks.add(tracker.alloc(256));
        }
        long sampled = tracker.report().sites().stream().filter(s -> s.site() != Site.UNKNOWN)
                .mapToLong(SiteLeaks::blocks).sum();
        blocks.forEach(tracker::free);
        tracker.close();
        assertTrue(sampled >= 40 && sampled <= 130, "sampled " + sampled + " of 20000, expected about 78");
    }

    @Test
    void sampledOverTheTcHeapUsesItsSamplingHook() {
        var options = org.allockit.core.AllocatorOptions.defaults().withSetting("sample_interval", "4K");
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("tc", options),
                LeakOptions.of(Level.SAMPLED).withSampleInterval(Long.MAX_VALUE).withLog(m -> { }));
        List<Long> freed = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {          // 2000 x 100 B = 200 KB: about 50 samples at 4 KiB
            long block = plantLeak(tracker, 100);
            if (i % 2 == 0) {
                freed.add(block);
            }
        }
        freed.forEach(tracker::free);
        LeakReport report = tracker.report();
        assertEquals(1000, report.blocks());
        assertEquals(100_000, report.bytes(), "sampled blocks count their requested size, not the span's");
        SiteLeaks sampled = report.sites().stream().filter(s -> s.site() != Site.UNKNOWN).findFirst().orElseThrow();
        assertEquals("plantLeak", topMethod(sampled.site()), "the heap's own frames are skipped");
        assertTrue(sampled.blocks() >= 5 && sampled.blocks() <= 60, "live sampled blocks: " + sampled.blocks());
        tracker.close();
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void reportsADoubleFree(Level level) {
        try (LeakTracker tracker = tracker(level)) {
            long block = plantLeak(tracker, 40);
            tracker.free(block);
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> tracker.free(block));
            MemoryError error = tracker.errors().getFirst();
            assertTrue(topMethod(error.detected()).contains("reportsADoubleFree"), error.message());
            if (level.recordsEverySite()) {
                assertTrue(e instanceof DoubleFreeException, e.toString());
                assertEquals(MemoryError.Kind.DOUBLE_FREE, error.kind());
                assertEquals("plantLeak", topMethod(error.allocated()));
            } else {
                assertEquals(MemoryError.Kind.FOREIGN_FREE, error.kind());
            }
            if (level == Level.PARANOID) {
                assertEquals("reportsADoubleFree", topMethod(error.freed()), error.message());
            }
            assertTrue(tracker.report().blocks() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void reportsAForeignFreeWithoutTouchingIt(Level level) {
        try (LeakTracker tracker = tracker(level)) {
            long mine = tracker.alloc(16);
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> tracker.free(0x1000));
            assertEquals(InvalidAddressException.Reason.FOREIGN, e.reason());
            assertEquals(MemoryError.Kind.FOREIGN_FREE, tracker.errors().getFirst().kind());
            assertEquals("lambda$reportsAForeignFreeWithoutTouchingIt$0", topMethod(tracker.errors().getFirst().detected()));
            tracker.free(mine);
        }
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void reportsAnInteriorFreeWithTheBlocksSite(Level level) {
        try (LeakTracker tracker = tracker(level)) {
            long block = plantLeak(tracker, 64);
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> tracker.free(block + 24));
            assertEquals(InvalidAddressException.Reason.INTERIOR, e.reason());
            MemoryError error = tracker.errors().getFirst();
            assertEquals(24, error.offset());
            if (level.recordsEverySite()) {
                assertEquals("plantLeak", topMethod(error.allocated()));
            }
            tracker.free(block);
            assertTrue(tracker.report().blocks() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void logModeRecordsAndCarriesOn(Level level) {
        List<String> logged = new ArrayList<>();
        try (LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"),
                LeakOptions.of(level).withErrors(ErrorMode.LOG).withLog(logged::add))) {
            long block = tracker.alloc(32);
            tracker.free(block);
            tracker.free(block);
            tracker.free(0x2000);
            assertEquals(2, tracker.errors().size());
            assertEquals(2, logged.size());
            assertTrue(logged.get(1).contains("0x2000"), logged.get(1));
            tracker.free(tracker.alloc(8));
            assertEquals(0, tracker.report().blocks());
        }
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void reallocateKeepsContentsAndCounts(Level level) {
        try (LeakTracker tracker = tracker(level)) {
            long block = tracker.alloc(16);
            tracker.segment(block).fill((byte) 7);
            long moved = tracker.reallocate(block, 4000);
            assertEquals(7, tracker.segment(moved).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 15));
            assertEquals(1, tracker.report().blocks());
            assertEquals(4000, tracker.report().bytes());
            long grown = tracker.reallocate(0, 10);
            tracker.free(moved);
            tracker.free(grown);
            assertTrue(tracker.report().clean(), tracker.report().toText());
        }
    }

    @Test
    void closingLogsTheLeakReport() {
        List<String> logged = new ArrayList<>();
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"), LeakOptions.of(Level.FULL).withLog(logged::add));
        plantLeak(tracker, 10);
        tracker.close();
        assertEquals(1, logged.size());
        assertTrue(logged.getFirst().contains("plantLeak"), logged.getFirst());
        assertTrue(logged.getFirst().contains("10 bytes"), logged.getFirst());
    }
}
