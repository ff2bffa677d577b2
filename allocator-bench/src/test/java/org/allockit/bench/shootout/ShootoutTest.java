package org.allockit.bench.shootout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        Plan plan = new Plan(List.of("malloc", "arena-confined", "netty-pooled", "dl"),
                List.of("pairs", "larson", "traverse", "trace:" + trace), Duration.ofMillis(20), Duration.ofMillis(40), Plan.SEED);
        shootout = new Shootout(plan);
        results = shootout.run(new Shootout.Listener() {
        });
    }

    @Test
    void everyCellIsMeasuredOrSaysWhyNot() {
        assertEquals(4 * (1 + 2 + 1 + 1), results.measurements().size());
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
        assertEquals(2 + 4, markdown.lines().count());
    }

    @Test
    void aProbedAllocatorIsSimulatedWithMetadataAndDataMallocWithDataAndBaselinesNot() {
        for (String workload : List.of("pairs", "larson", "traverse", "trace:tiny")) {
            Simulated dl = cell(workload, 1, "dl").simulated();
            assertNotNull(dl, workload);
            assertEquals(Shootout.SIM_PRESET, dl.preset());
            assertTrue(dl.operations() > 0, workload + " " + dl);
            assertTrue(dl.hasMetadata() && dl.l1MissesMetadata() >= 0, workload + " " + dl);
            // a traverse step only walks the list: the allocator is not called
            assertEquals(workload.equals("traverse"), dl.cyclesMetadata() == 0, workload + " " + dl);
            assertTrue(dl.cyclesData() > 0 && dl.l1MissesData() >= 0, workload + " " + dl);
            Simulated malloc = cell(workload, 1, "malloc").simulated();
            assertFalse(malloc.hasMetadata(), "malloc reports nothing to a probe");
            assertTrue(malloc.cyclesData() > 0, workload + " " + malloc);
            assertNull(cell(workload, 1, "arena-confined").simulated());
            assertNull(cell(workload, 1, "netty-pooled").simulated());
        }
        assertEquals(SimulatedPass.OPERATIONS, cell("pairs", 1, "dl").simulated().operations(), "one pair per step");
        // dl writes its chunk headers beside the data: metadata is touched on every pair
        assertTrue(cell("pairs", 1, "dl").simulated().cyclesMetadata() >= 4, "" + cell("pairs", 1, "dl").simulated());
        for (Measurement m : results.table("larson", 2)) {
            assertNull(m.simulated(), "one simulated pass per contender and workload");
        }
    }

    @Test
    void theTableShowsTheSimColumnsMetadataSlashData() {
        Table pairs = Table.of(results, "pairs", 1);
        int misses = Table.HEADER.indexOf("sim L1 misses/op (meta/data)");
        int cycles = Table.HEADER.indexOf("sim cycles/op (meta/data)");
        assertTrue(misses > 0 && cycles > 0);
        String number = "[0-9][0-9,.]*";
        for (List<String> row : pairs.rows()) {
            String expected = switch (row.getFirst()) {
                case "dl" -> number + " / " + number;
                case "malloc" -> "– / " + number;
                default -> "–";
            };
            assertTrue(row.get(misses).matches(expected), row.toString());
            assertTrue(row.get(cycles).matches(expected), row.toString());
        }
        assertTrue(pairs.text().contains("sim cycles/op (meta/data)"), pairs.text());
    }

    @Test
    void noSimLeavesTheSimColumnsEmpty() {
        Shootout unsimulated = new Shootout(new Plan(List.of("dl"), List.of("pairs"), Duration.ofMillis(5),
                Duration.ofMillis(5), Plan.SEED), null);
        Results r = unsimulated.run(new Shootout.Listener() {
        });
        assertTrue(r.measurements().getFirst().measured());
        assertNull(r.measurements().getFirst().simulated());
    }

    private static Measurement cell(String workload, int threads, String contender) {
        return results.table(workload, threads).stream().filter(m -> m.cell().contender().equals(contender)).findFirst().orElseThrow();
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

    @Test
    void theJsonHasTheSimFiguresOfEachRecordOrNull() {
        String json = ResultsJson.write(results);
        List<String> fields = List.of("sim_l1_misses_per_op_metadata", "sim_l1_misses_per_op_data",
                "sim_cycles_per_op_metadata", "sim_cycles_per_op_data");
        for (String field : fields) {
            assertEquals(results.measurements().size(), json.split("\"" + field + "\"", -1).length - 1, field);
        }
        List<?> records = (List<?>) ((Map<?, ?>) JsonReader.parse(json)).get("results");
        Map<?, ?> dl = record(records, "dl", "traverse");
        Map<?, ?> malloc = record(records, "malloc", "traverse");
        Map<?, ?> arena = record(records, "arena-confined", "traverse");
        for (String field : fields) {
            assertTrue(dl.get(field) instanceof Double d && d >= 0, field + " " + dl);
            assertNull(arena.get(field), field);
        }
        assertEquals("skylake-sp", dl.get("sim_preset"));
        assertNull(malloc.get("sim_cycles_per_op_metadata"));
        assertTrue(malloc.get("sim_cycles_per_op_data") instanceof Double d && d > 0, malloc.toString());
    }

    private static Map<?, ?> record(List<?> records, String contender, String workload) {
        return records.stream().map(r -> (Map<?, ?>) r)
                .filter(r -> contender.equals(r.get("contender")) && workload.equals(r.get("workload"))).findFirst().orElseThrow();
    }
}
