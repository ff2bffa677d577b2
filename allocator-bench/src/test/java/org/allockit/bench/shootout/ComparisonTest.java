package org.allockit.bench.shootout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.allockit.core.report.JsonWriter;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static ResultsJson.Entry entry(String contender, String workload, int threads, double ns, double ratio) {
        return new ResultsJson.Entry(contender, workload, threads, ns, ratio);
    }

    @Test
    void matchesCellsByContenderWorkloadAndThreads() {
        List<ResultsJson.Entry> old = List.of(entry("malloc", "netty", 1, 20, 1), entry("dl", "netty", 1, 40, 2),
                entry("dl", "larson", 1, 50, 1), entry("gone", "netty", 1, 10, 0.5));
        List<ResultsJson.Entry> now = List.of(entry("malloc", "netty", 1, 22, 1), entry("dl", "netty", 1, 33, 1.5),
                entry("dl", "larson", 2, 70, 1.1), entry("new", "netty", 1, 5, 0.2));
        List<Comparison.Row> rows = Comparison.compare(old, now);
        assertEquals(2, rows.size(), "only cells in both runs");
        Comparison.Row dl = rows.get(1);
        assertEquals("dl", dl.contender());
        assertEquals(33.0 / 40.0, dl.speedup(), 1e-12);
        assertEquals(2.0, dl.oldRatioToMalloc());
        assertEquals(1.5, dl.newRatioToMalloc());
        String text = Comparison.text(rows);
        assertTrue(text.contains("0.83"), text);
        assertEquals(3, text.lines().count());
    }

    @Test
    void readsItsOwnFileBackAndRejectsOthers() {
        String file = """
                {"machine": {"cpu": "x", "cores": 2, "jdk": "25", "os": "Linux"}, "date": "2026-01-01T00:00:00Z",
                 "results": [{"contender": "dl", "workload": "trace:cc1", "threads": 1, "ns_per_op": 12.5,
                              "ratio_to_malloc": null, "note": "a \\"quoted\\" note"}]}
                """;
        List<ResultsJson.Entry> entries = ResultsJson.read(file);
        assertEquals(1, entries.size());
        assertEquals("trace:cc1", entries.getFirst().workload());
        assertEquals(12.5, entries.getFirst().nsPerOp());
        assertTrue(Double.isNaN(entries.getFirst().ratioToMalloc()), "null is NaN");
        assertThrows(IllegalArgumentException.class, () -> ResultsJson.read("{\"something\": []}"));
        assertThrows(IllegalArgumentException.class, () -> ResultsJson.read("{\"results\": [1, 2"));
    }

    @Test
    void theReaderReadsBackWhatTheWriterEscapes() {
        String text = JsonWriter.quote("tab\t\"quote\" back\\slash\u0001");
        assertEquals("tab\t\"quote\" back\\slash\u0001", JsonReader.parse(text));
        assertEquals(Map.of("a", List.of(1.0, true)), JsonReader.parse("{\"a\": [1, true]}"));
    }
}
