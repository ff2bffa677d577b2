package org.allockit.bench.shootout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny shoot-out, run once for the class: seconds, not minutes. */
class ShootoutTest {

    @TempDir
    static Path folder;

    static Shootout shootout;
    static Results results;

    @BeforeAll
    static void runATinyShootout() throws IOException {
        // a pass of five whole steps and a short one: growing batches must not step over its end
        StringBuilder lines = new StringBuilder("a 0 100\na 1 5000\nr 0 300\nf 1\na 1 24\nf 1\n");
        for (int i = 0; i < 10_300; i++) {
            lines.append("a 1 ").append(16 + i % 200).append("\nf 1\n");
        }
        Path trace = Files.writeString(folder.resolve("tiny.trace"), lines);
        Plan plan = new Plan(List.of("malloc", "arena-confined", "netty-pooled"),
                List.of("pairs", "larson", "traverse", "trace:" + trace), Duration.ofMillis(20), Duration.ofMillis(40), Plan.SEED);
        shootout = new Shootout(plan);
        results = shootout.run(new Shootout.Listener() {
        });
    }

    @Test
    void everyCellIsMeasuredOrSaysWhyNot() {
        assertEquals(3 * (1 + 2 + 1 + 1), results.measurements().size());
        for (Measurement m : results.measurements()) {
            boolean confinedAcrossThreads = m.cell().contender().equals("arena-confined") && m.cell().workload().equals("larson");
            if (confinedAcrossThreads) {
                assertFalse(m.measured());
                assertEquals("not thread-safe", m.note());
            } else {
                assertTrue(m.measured(), m.cell() + " " + m.note());
                assertTrue(m.nsPerOp() > 0 && m.operations() > 0, m.cell().toString());
                assertTrue(m.allocBytesPerOp() >= 0, m.cell().toString());
            }
        }
    }

    @Test
    void tracePassesEndWhereTheRunMayStop() {
        for (Measurement m : results.table("trace:tiny", 1)) {
            assertEquals("", m.note(), m.cell().toString());
            assertEquals(0, m.operations() % 20_606, "whole passes only: " + m.operations());
        }
    }

    @Test
    void mallocIsTheReferenceOfEveryRatio() {
        for (Measurement m : results.measurements()) {
            if (m.cell().contender().equals("malloc")) {
                assertEquals(1.0, results.ratioToMalloc(m), 1e-9);
            } else if (m.measured()) {
                assertTrue(results.ratioToMalloc(m) > 0, m.cell().toString());
            }
        }
    }

    @Test
    void liveSetsAreSampledAndTracesChartTheirFootprint() {
        Measurement traverse = results.table("traverse", 1).getFirst();
        assertTrue(traverse.peakLiveBytes() >= 100_000L * 16, "" + traverse.peakLiveBytes());
        Measurement pooledTrace = results.table("trace:tiny", 1).get(2);
        assertEquals("netty-pooled", pooledTrace.cell().contender());
        assertTrue(pooledTrace.timeline().size() >= 2);
        assertTrue(pooledTrace.peakFootprintBytes() > 0, "Netty reports its used direct memory");
    }

    @Test
    void theTablesShowEveryContenderOfEveryWorkload() {
        assertEquals(List.of("pairs", "larson", "traverse", "trace:tiny"), List.copyOf(results.tables().keySet()));
        assertEquals(List.of(1, 2), results.tables().get("larson"));
        String text = Table.of(results, "larson", 2).text();
        assertTrue(text.startsWith("larson (2 threads): per thread 4096"), text);
        for (String column : Table.HEADER) {
            assertTrue(text.contains(column), column);
        }
        assertTrue(text.contains("netty-pooled") && text.contains("not thread-safe"), text);
        String markdown = Table.of(results, "pairs", 1).markdown();
        assertEquals(2 + 3, markdown.lines().count());
    }

    @Test
    void theReportFolderHasMarkdownStandaloneHtmlAndCharts() throws IOException {
        Path out = folder.resolve("report");
        List<Path> written = Report.write(results, shootout, "test", out);
        for (String file : List.of("report.md", "report.html", "ns-per-op.png", "ratio-to-malloc.png", "fragmentation.png")) {
            assertTrue(written.contains(out.resolve(file)), file);
            assertTrue(Files.size(out.resolve(file)) > 1000, file + " holds a chart");
        }
        assertTrue(written.contains(out.resolve("footprint-trace_tiny.png")), "a footprint chart per trace");
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=\"ns-per-op.png\""),
                "the html needs no network and no file beside it");
        assertTrue(html.contains("cannot walk their heap, so they have no map: malloc"), "allocators without a walk are named");
        String markdown = Files.readString(out.resolve("report.md"));
        assertTrue(markdown.contains("![Time per operation](ns-per-op.png)"));
        assertTrue(markdown.contains("### traverse: list of 100,000"));
    }

    @Test
    void theJsonHasTheMachineAndOneRecordPerCell() {
        String json = ResultsJson.write(results);
        assertTrue(json.contains("\"cpu\"") && json.contains("\"cores\"") && json.contains("\"jdk\"") && json.contains("\"os\""));
        assertTrue(json.contains("\"date\""));
        for (String field : List.of("contender", "workload", "threads", "ns_per_op", "ratio_to_malloc",
                "peak_footprint_bytes", "alloc_bytes_per_op")) {
            assertEquals(results.measurements().size(), json.split("\"" + field + "\"", -1).length - 1, field);
        }
        List<ResultsJson.Entry> read = ResultsJson.read(json);
        assertEquals(ResultsJson.entries(results).size(), read.size());
        ResultsJson.Entry first = read.getFirst();
        assertEquals("malloc", first.contender());
        assertEquals("pairs", first.workload());
        assertEquals(1, first.threads());
        assertEquals(results.measurements().getFirst().nsPerOp(), first.nsPerOp(), first.nsPerOp() * 1e-5);
        assertEquals(1.0, first.ratioToMalloc(), 1e-9);
    }
}
