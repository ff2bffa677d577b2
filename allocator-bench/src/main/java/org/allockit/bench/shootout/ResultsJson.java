package org.allockit.bench.shootout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.allockit.core.report.JsonWriter;

/**
 * The results file: the machine, the date, and one record per contender × workload × threads.
 *
 * <pre>
 * { "machine": {"cpu": ..., "cores": 2, "jdk": ..., "os": ...},
 *   "date": "2026-11-22T01:30:00Z",
 *   "results": [ {"contender": "malloc", "workload": "netty", "threads": 1, "ns_per_op": 21.4,
 *                 "ratio_to_malloc": 1.0, "peak_footprint_bytes": 2359296, "rss_growth_bytes": ...,
 *                 "footprint_per_live": ..., "alloc_bytes_per_op": 0.0, "operations": ...,
 *                 "sim_preset": "skylake-sp", "sim_operations": 20000, "sim_l1_misses_per_op_metadata": ...,
 *                 "sim_l1_misses_per_op_data": ..., "sim_cycles_per_op_metadata": ..., "sim_cycles_per_op_data": ...,
 *                 "note": ""}, ... ] }
 * </pre>
 * Figures that are unknown are null.
 */
public final class ResultsJson {

    /** The part of a record that a comparison reads. */
    public record Entry(String contender, String workload, int threads, double nsPerOp, double ratioToMalloc) {
    }

    private ResultsJson() {
    }

    public static String write(Results results) {
        Machine m = results.machine();
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"machine\": {\"cpu\": ").append(JsonWriter.quote(m.cpu()))
                .append(", \"cores\": ").append(m.cores())
                .append(", \"jdk\": ").append(JsonWriter.quote(m.jdk()))
                .append(", \"os\": ").append(JsonWriter.quote(m.os())).append("},\n");
        out.append("  \"date\": ").append(JsonWriter.quote(results.date().toString())).append(",\n");
        out.append("  \"results\": [");
        StringJoiner records = new StringJoiner(",\n    ", "\n    ", "\n  ");
        records.setEmptyValue("");
        for (Measurement r : results.measurements()) {
            records.add("{\"contender\": " + JsonWriter.quote(r.cell().contender())
                    + ", \"workload\": " + JsonWriter.quote(r.cell().workload())
                    + ", \"threads\": " + r.cell().threads()
                    + ", \"ns_per_op\": " + JsonWriter.number(r.nsPerOp())
                    + ", \"ratio_to_malloc\": " + JsonWriter.number(results.ratioToMalloc(r))
                    + ", \"peak_footprint_bytes\": " + (r.peakFootprintBytes() < 0 ? "null" : r.peakFootprintBytes())
                    + ", \"rss_growth_bytes\": " + r.rssGrowthBytes()
                    + ", \"footprint_per_live\": " + JsonWriter.number(r.footprintPerLive())
                    + ", \"alloc_bytes_per_op\": " + JsonWriter.number(r.allocBytesPerOp())
                    + ", \"operations\": " + r.operations()
                    + simulated(r.simulated())
                    + ", \"note\": " + JsonWriter.quote(r.note()) + "}");
        }
        out.append(records).append("]\n}\n");
        return out.toString();
    }

    /** The simulated pass's fields, all null without one. */
    private static String simulated(Simulated s) {
        return ", \"sim_preset\": " + (s == null ? "null" : JsonWriter.quote(s.preset()))
                + ", \"sim_operations\": " + (s == null ? "null" : s.operations())
                + ", \"sim_l1_misses_per_op_metadata\": " + JsonWriter.number(s == null ? Double.NaN : s.l1MissesMetadata())
                + ", \"sim_l1_misses_per_op_data\": " + JsonWriter.number(s == null ? Double.NaN : s.l1MissesData())
                + ", \"sim_cycles_per_op_metadata\": " + JsonWriter.number(s == null ? Double.NaN : s.cyclesMetadata())
                + ", \"sim_cycles_per_op_data\": " + JsonWriter.number(s == null ? Double.NaN : s.cyclesData());
    }

    /** The records of a results file. */
    public static List<Entry> read(String text) {
        if (!(JsonReader.parse(text) instanceof Map<?, ?> document) || !(document.get("results") instanceof List<?> results)) {
            throw new IllegalArgumentException("not a shoot-out results file: no \"results\" list");
        }
        List<Entry> out = new ArrayList<>();
        for (Object item : results) {
            if (!(item instanceof Map<?, ?> record)) {
                throw new IllegalArgumentException("not a shoot-out results file: a result is not an object");
            }
            out.add(new Entry(String.valueOf(record.get("contender")), String.valueOf(record.get("workload")),
                    (int) number(record.get("threads"), 1), number(record.get("ns_per_op"), Double.NaN),
                    number(record.get("ratio_to_malloc"), Double.NaN)));
        }
        return out;
    }

    private static double number(Object value, double fallback) {
        return value instanceof Double d ? d : fallback;
    }

    /** The entries of a fresh run, as a results file would give them back. */
    public static List<Entry> entries(Results results) {
        return results.measurements().stream().map(m -> new Entry(m.cell().contender(), m.cell().workload(),
                m.cell().threads(), m.nsPerOp(), results.ratioToMalloc(m))).toList();
    }
}
