package org.allockit.bench.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.allockit.bench.replay.CorruptingAllocator.Fault;
import org.allockit.core.Allocators;
import org.allockit.core.Feature;
import org.allockit.core.trace.Trace;
import org.junit.jupiter.api.Test;

class ReplayerTest {

    static Trace trace(String text) {
        try {
            return Trace.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "inline.trace", false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A random trace of every kind of operation, sizes up to 256 KiB, some blocks left live at the end. */
    static Trace randomTrace(long seed, int operations) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder("# random trace\n");
        List<Integer> live = new ArrayList<>();
        int nextId = 0;
        for (int i = 0; i < operations; i++) {
            int choice = random.nextInt(10);
            long size = random.nextInt(20) == 0 ? random.nextInt(256 << 10) : random.nextInt(300);
            if (live.isEmpty() || choice < 4) {
                int id = nextId++;
                live.add(id);
                text.append(choice == 0 ? "m " + id + " " + size + " " + (1L << random.nextInt(4, 14)) : "a " + id + " " + size);
            } else if (choice < 6) {
                text.append("r ").append(live.get(random.nextInt(live.size()))).append(' ').append(size);
            } else {
                text.append("f ").append(live.remove(random.nextInt(live.size())));
            }
            text.append('\n');
        }
        return trace(text.toString());
    }

    @Test
    void replaysEveryOperationAgainstMallocAndFreesWhatIsLeft() {
        Trace t = randomTrace(1, 20_000);
        assertTrue(t.liveAtEnd() > 0 && t.count(Trace.ALIGNED) > 0 && t.count(Trace.REALLOC) > 0);
        ReplayResult r = new Replayer(1000).replay(t, () -> Allocators.create("malloc"));
        assertEquals("malloc", r.allocator());
        assertEquals("inline", r.trace());
        assertEquals(20_000, r.operations());
        assertEquals(t.peakLiveBytes(), r.peakLiveBytes());
        assertEquals(t.liveAtEnd(), r.blocksLeft());
        assertTrue(r.samples() >= 21, "samples every 1000 ops, at the peak and at the end: " + r.samples());
        assertTrue(r.nanos() > 0);
        assertFalse(r.footprintFromRss(), "malloc reports its footprint itself");
    }

    @Test
    void replaysAnAllocatorWithoutReallocateOrFreeByMovingAndKeepingBlocks() {
        Trace t = randomTrace(3, 3_000);
        ReplayResult r = new Replayer().replay(t, () -> new CorruptingAllocator(Allocators.create("malloc"), Fault.NONE, false)
                .without(Feature.REALLOCATE, Feature.INDIVIDUAL_FREE));
        assertEquals(3_000, r.operations());
        assertEquals(t.liveAtEnd(), r.blocksLeft());
    }

    @Test
    void theReplayLoopAllocatesNothingOnTheJavaHeap() {
        long small = allocatedByReplay(2_000);
        long large = allocatedByReplay(20_000);
        assertTrue(large - small < 20_000, "54,000 more operations allocated " + (large - small) + " more bytes");
    }

    /** The fewest bytes the replaying thread allocated in three replays of a trace of 3 * cycles ops. */
    private static long allocatedByReplay(int cycles) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cycles; i++) {
            text.append("a ").append(i % 100).append(' ').append(i % 5000).append('\n');
            text.append("r ").append(i % 100).append(' ').append(i % 300).append('\n');
            text.append("f ").append(i % 100).append('\n');
        }
        Trace t = trace(text.toString());
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Replayer replayer = new Replayer(Integer.MAX_VALUE);
        long fewest = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            replayer.replay(t, () -> Allocators.create("malloc"));
            fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }

    @Test
    void callsTheEndOfTraceHookWhileTheLeftBlocksAreStillLive() {
        Trace t = trace("a 0 100\na 1 200\nf 0\n");
        long[] liveAtHook = new long[1];
        ReplayResult r = new Replayer().replay(t,
                () -> new CorruptingAllocator(Allocators.create("malloc"), Fault.NONE, false),
                allocator -> liveAtHook[0] = allocator.liveBlocks());
        assertEquals(1, liveAtHook[0]);
        assertEquals(1, r.blocksLeft());
    }

    @Test
    void samplesTheResidentSetAtThePeakOfLiveBytes() {
        Trace t = trace("a 0 100\na 1 67108864\nf 1\na 2 100\nf 0\nf 2\n");
        ReplayResult r = new Replayer(1_000_000).replay(t, () -> Allocators.create("malloc"));
        assertTrue(r.peakRssGrowthBytes() >= 60L << 20, "peak RSS growth " + r.peakRssGrowthBytes());
        assertTrue(r.peakFootprintBytes() >= 60L << 20, "peak footprint " + r.peakFootprintBytes());
        assertTrue(r.peakRssGrowthBytes() - r.finalRssGrowthBytes() >= 48L << 20,
                "the 64 MiB block went back: " + r.finalRssGrowthBytes());
        assertEquals(67108964, r.peakLiveBytes());
    }

    @Test
    void takesTheResidentSetAsFootprintWhenTheAllocatorDoesNotKnowIt() {
        Trace t = trace("a 0 33554432\nf 0\n");
        ReplayResult r = new Replayer().replay(t,
                () -> new CorruptingAllocator(Allocators.create("malloc"), Fault.NONE, true));
        assertTrue(r.footprintFromRss());
        assertEquals(r.peakRssGrowthBytes(), r.peakFootprintBytes());
        assertEquals(r.finalRssGrowthBytes(), r.finalFootprintBytes());
        assertTrue(r.peakFootprintBytes() >= 30L << 20, "peak footprint " + r.peakFootprintBytes());
    }

    @Test
    void failsNamingTheBlockAndTheOperationWhenABlockIsOverwritten() {
        Trace t = randomTrace(2, 5_000);
        var e = assertThrows(ReplayException.class, () -> new Replayer().replay(t,
                () -> new CorruptingAllocator(Allocators.create("malloc"), Fault.OVERWRITE_LIVE_BLOCK, false)));
        assertTrue(e.getMessage().matches(
                "corrupting-overwrite_live_block: block \\d+ \\(\\d+ bytes at 0x\\p{XDigit}+\\) was overwritten at offset 0, "
                        + "before (operation \\d+ \"[rf] \\d+.*\" \\(inline.trace:\\d+\\)|freeing the blocks left.*): "
                        + "expected 0x\\p{XDigit}{2}, found 0x\\p{XDigit}{2}"), e.getMessage());
    }

    @Test
    void failsWhenAReallocationLosesTheContents() {
        Trace t = trace("a 5 100\nr 5 5000\nf 5\n");
        var e = assertThrows(ReplayException.class, () -> new Replayer().replay(t,
                () -> new CorruptingAllocator(Allocators.create("malloc"), Fault.REALLOCATE_WITHOUT_COPY, false)));
        assertEquals(1, e.operation());
        assertTrue(e.getMessage().contains("block 5 (100 bytes at 0x"), e.getMessage());
        assertTrue(e.getMessage().contains("lost its contents in the reallocation, at offset 0, after operation 1 \"r 5 5000\" (inline.trace:2)"),
                e.getMessage());
    }

    @Test
    void failsWhenABlockIsHandedOutTwice() {
        StringBuilder text = new StringBuilder();
        for (int id = 0; id < 200; id++) {
            text.append("a ").append(id).append(" 64\n");
        }
        for (int id = 0; id < 200; id++) {
            text.append("f ").append(id).append('\n');
        }
        var e = assertThrows(ReplayException.class, () -> new Replayer().replay(trace(text.toString()),
                () -> new CorruptingAllocator(Allocators.create("malloc"), Fault.HAND_OUT_TWICE, false)));
        assertEquals(298, e.operation(), "the 99th block is checked when it is freed");
        assertTrue(e.getMessage().contains("block 98 (64 bytes at"), e.getMessage());
    }

    @Test
    void failsWhenAnAlignedBlockIsMisaligned() {
        Trace t = trace("a 0 10\nm 1 100 4096\n");
        var e = assertThrows(ReplayException.class, () -> new Replayer().replay(t,
                () -> new CorruptingAllocator(Allocators.create("malloc"), Fault.MISALIGN, false)));
        assertEquals(1, e.operation());
        assertTrue(e.getMessage().contains("operation 1 \"m 1 100 4096\" (inline.trace:2) returned 0x"), e.getMessage());
        assertTrue(e.getMessage().endsWith("which is not aligned to 4096"), e.getMessage());
    }

    @Test
    void reportsTheOperationWhereTheAllocatorThrew() {
        Trace t = trace("a 0 10\na 1 4611686018427387904\n");
        var e = assertThrows(ReplayException.class, () -> new Replayer().replay(t, () -> Allocators.create("malloc")));
        assertEquals(1, e.operation());
        assertTrue(e.getMessage().startsWith("malloc: operation 1 \"a 1 4611686018427387904\" (inline.trace:2) failed: "),
                e.getMessage());
    }
}
