package org.allockit.bench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.allockit.core.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadsTest {

    private static final long SEED = 7;

    /** Steps a run as each of its threads in turn, on this thread. */
    private static long steps(Workload.Run run, int threads, int rounds) {
        long ops = 0;
        for (int i = 0; i < rounds; i++) {
            for (int t = 0; t < threads; t++) {
                ops += run.step(t);
            }
        }
        return ops;
    }

    @Test
    void pairsAllocatesWritesAndFreesOneBlockPerOperation() {
        try (CheckingContender c = new CheckingContender()) {
            Workload.Run run = Workloads.create("pairs").start(c, 1, SEED);
            assertEquals(1000, steps(run, 1, 1000));
            assertEquals(1000, c.allocations);
            assertEquals(1000, c.frees);
            assertTrue(c.smallest >= 16 && c.largest <= 256, c.smallest + ".." + c.largest);
            run.close();
        }
    }

    @Test
    void nettyKeeps8192Blocks256BytesEachAndReplacesOnePerOperation() {
        try (CheckingContender c = new CheckingContender()) {
            Workload.Run run = Workloads.create("netty").start(c, 1, SEED);
            assertEquals(8192, c.live.size());
            assertEquals(500, steps(run, 1, 500));
            assertEquals(8192, c.live.size());
            assertEquals(8192 + 500, c.allocations);
            assertEquals(256, c.smallest);
            assertEquals(256, c.largest);
            assertEquals(8192L * 256, run.liveBytes());
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    @Test
    void paretoSizesStayBetween16BytesAnd1KiBWithMostOfThemSmall() {
        Sizes sizes = Sizes.pareto(SEED, 16, 1024, 1.0);
        assertTrue(sizes.mean() > 16 && sizes.mean() < 200, "mean " + sizes.mean());
        try (CheckingContender c = new CheckingContender()) {
            Workload.Run run = Workloads.create("pareto").start(c, 1, SEED);
            assertEquals(10_000, c.live.size());
            steps(run, 1, 2000);
            assertTrue(c.smallest >= 16 && c.largest <= 1024);
            assertEquals(c.liveBytes(), run.liveBytes());
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    @Test
    void largeBlocksAreOneToEightMiB() {
        try (CheckingContender c = new CheckingContender()) {
            Workload.Run run = Workloads.create("large").start(c, 1, SEED);
            assertEquals(16, c.live.size());
            assertEquals(20, steps(run, 1, 20));
            assertTrue(c.smallest >= 1 << 20 && c.largest <= 8 << 20);
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    @Test
    void larsonKeepsAWorkingSetPerThreadAndPassesBlocksThroughTheMailbox() {
        try (CheckingContender c = new CheckingContender()) {
            Workload w = Workloads.create("larson");
            assertEquals(List.of(1, 2), w.threadCounts());
            assertTrue(w.freesAcrossThreads());
            Workload.Run run = w.start(c, 2, SEED);
            assertEquals(2 * 4000, steps(run, 2, 4000));
            // every thread's 4096 slots are live, and the blocks parked in the mailbox
            assertTrue(c.live.size() > 2 * Larson.SLOTS && c.live.size() <= 2 * Larson.SLOTS + Larson.MAILBOX, "" + c.live.size());
            assertEquals(c.allocations - c.frees, c.live.size());
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    @Test
    void xmallocCountsBlocksThatMadeTheWholeTrip() {
        try (CheckingContender c = new CheckingContender()) {
            Workload w = Workloads.create("xmalloc");
            assertEquals(List.of(2), w.threadCounts());
            Workload.Run run = w.start(c, 2, SEED);
            long ops = 0;
            for (int i = 0; i < 100; i++) {
                ops += run.step(0);
            }
            assertEquals(0, ops, "the producer's steps count nothing");
            assertEquals(100, c.live.size());
            for (int i = 0; i < 150; i++) {
                ops += run.step(1);
            }
            assertEquals(100, ops, "one operation per block freed; an empty ring is a wait");
            assertEquals(0, c.live.size());
            for (int i = 0; i < Xmalloc.RING + 10; i++) {
                run.step(0);
            }
            assertEquals(Xmalloc.RING, c.live.size(), "a full ring makes the producer wait");
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    @Test
    void reallocGrowsBuffersByAppendsUpToTheLimit() {
        try (CheckingContender c = new CheckingContender()) {
            Workload.Run run = Workloads.create("realloc").start(c, 1, SEED);
            assertEquals(3000, steps(run, 1, 3000));
            assertTrue(c.reallocations > 2000, "" + c.reallocations);
            assertTrue(c.frees > 0, "buffers past 4 MiB start over");
            assertTrue(c.live.values().stream().allMatch(size -> size <= Realloc.LIMIT));
            assertEquals(Realloc.BUFFERS, c.live.size());
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    @Test
    void traverseBuildsAFragmentedListAndVisitsEveryNode() {
        try (CheckingContender c = new CheckingContender()) {
            Workload w = Workloads.create("traverse");
            assertTrue(w.mapsHeap());
            Workload.Run run = w.start(c, 1, SEED);
            assertEquals(Traverse.NODES + Traverse.NODES / 2, c.allocations);
            assertEquals(Traverse.NODES / 2, c.frees);
            assertEquals(Traverse.NODES, run.step(0));
            assertEquals(Traverse.NODES, run.step(0));
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    private static final String TINY = """
            # a tiny trace
            a 0 100
            a 1 24
            m 2 64 256
            r 0 5000
            f 1
            a 1 3
            r 1 40
            f 2
            a 3 0
            """;

    private static TraceWorkload tiny() throws IOException {
        return new TraceWorkload(Trace.read(new ByteArrayInputStream(TINY.getBytes(StandardCharsets.US_ASCII)), "tiny.trace", false));
    }

    @Test
    void traceReplaysEveryLineAndRestsOnlyAtTheEndOfAPass() throws IOException {
        TraceWorkload w = tiny();
        assertEquals("trace:tiny", w.name());
        try (CheckingContender c = new CheckingContender()) {
            Workload.Run run = w.start(c, 1, SEED);
            assertEquals(9, run.step(0));
            assertTrue(run.atRest(0));
            assertEquals(3, c.live.size(), "blocks 0, 1 and 3 are live at the end");
            assertEquals(5000 + 40, run.liveBytes());
            assertEquals(2, c.reallocations);
            assertEquals(9, run.step(0), "the next pass frees what the last one left, then replays");
            assertEquals(3, c.live.size());
            run.close();
            assertEquals(0, c.live.size());
        }
    }

    @Test
    void tracesAreFoundBundledBesideTheRepositoryOrByFile() {
        assertEquals(List.of("trace:openssl_rsa", "trace:perl_hash", "trace:python_json"), Workloads.bundledTraceNames());
        assertEquals(Workloads.bundledTraceNames(), Workloads.expand(List.of("trace")));
        assertEquals("trace:openssl_rsa", Workloads.create("trace:openssl_rsa").name());
        assertTrue(Workloads.sampleTraceNames().contains("trace:sqlite3_orders"), Workloads.sampleTraceNames().toString());
        assertThrows(IllegalArgumentException.class, () -> Workloads.create("trace:no-such-trace"));
        assertThrows(IllegalArgumentException.class, () -> Workloads.create("nothing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "pareto", "larson", "realloc", "large", "traverse", "trace"})
    void readsEveryBlockBackSoOverlappingBlocksAreCaught(String name) throws IOException {
        Workload w = name.equals("trace") ? tiny() : Workloads.create(name);
        try (OverlappingContender c = new OverlappingContender()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                Workload.Run run = w.start(c, 1, SEED);
                steps(run, 1, 20_000);
            });
            assertTrue(e.getMessage().contains("two live blocks overlap"), e.getMessage());
        }
    }

    @Test
    void xmallocReadsEveryBlockBeforeFreeingIt() {
        try (OverlappingContender c = new OverlappingContender()) {
            Workload.Run run = Workloads.create("xmalloc").start(c, 2, SEED);
            run.step(0);
            run.step(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.step(1));
            assertTrue(e.getMessage().contains("overlap"));
        }
    }
}
