package org.allockit.bench.shootout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The shoot-out's table for one workload and thread count, as rows of cells, defined once and
 * printed three ways: aligned text for the terminal, Markdown and HTML.
 */
public final class Table {

    /** The columns, left to right. */
    public static final List<String> HEADER = List.of("contender", "ns/op", "× malloc", "peak footprint",
            "RSS growth", "footprint/live", "garbage B/op", "sim L1 misses/op (meta/data)", "sim cycles/op (meta/data)",
            "note");

    private final String title;
    private final List<List<String>> rows;

    private Table(String title, List<List<String>> rows) {
        this.title = title;
        this.rows = rows;
    }

    /** The table of {@code workload} on {@code threads} threads. */
    public static Table of(Results results, String workload, int threads) {
        List<List<String>> rows = new ArrayList<>();
        for (Measurement m : results.table(workload, threads)) {
            rows.add(List.of(m.cell().contender(), decimal(m.nsPerOp()), ratio(results.ratioToMalloc(m)),
                    bytes(m.peakFootprintBytes()), m.measured() ? bytes(m.rssGrowthBytes()) : "–",
                    ratio(m.footprintPerLive()), decimal(m.allocBytesPerOp()),
                    split(m.simulated(), Simulated::l1MissesMetadata, Simulated::l1MissesData),
                    split(m.simulated(), Simulated::cyclesMetadata, Simulated::cyclesData), m.note()));
        }
        String description = results.descriptions().getOrDefault(workload, "");
        return new Table(workload + (threads > 1 ? " (" + threads + " threads)" : "") + ": " + description, rows);
    }

    public String title() {
        return title;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** Aligned columns, numbers to the right, for the terminal. */
    public String text() {
        int[] widths = new int[HEADER.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = HEADER.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder(title).append('\n');
        line(out, HEADER, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(" ");
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            boolean left = c == 0 || c == cells.size() - 1;
            line.append(' ').append(left ? cell + pad : pad + cell).append(' ');
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("| ").append(String.join(" | ", HEADER)).append(" |\n|");
        for (int c = 0; c < HEADER.size(); c++) {
            out.append(c == 0 || c == HEADER.size() - 1 ? " --- |" : " ---: |");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row.stream().map(s -> s.replace("|", "\\|")).toList())).append(" |\n");
        }
        return out.toString();
    }

    public String html() {
        StringBuilder out = new StringBuilder("<table>\n<tr>");
        HEADER.forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
        out.append("</tr>\n");
        for (List<String> row : rows) {
            out.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                out.append(c == 0 || c == row.size() - 1 ? "<td>" : "<td class=\"n\">").append(escape(row.get(c))).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A number with three significant digits or so; "–" for NaN. */
    static String decimal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }

    /** "metadata / data", "– / data" without metadata, "–" without a simulated pass. */
    private static String split(Simulated s, ToDoubleFunction<Simulated> metadata, ToDoubleFunction<Simulated> data) {
        return s == null ? "–" : decimal(metadata.applyAsDouble(s)) + " / " + decimal(data.applyAsDouble(s));
    }

    static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Bytes in B, KiB, MiB or GiB; "–" when unknown (negative). */
    static String bytes(long value) {
        if (value < 0) {
            return "–";
        }
        if (value < 1024) {
            return value + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = value;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[unit]);
    }
}
