package org.allockit.bench.shootout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.allockit.bench.contender.Contenders;
import org.allockit.bench.workload.TraceWorkload;
import org.allockit.bench.workload.Workload;

/**
 * The report folder: {@code report.md} with the pictures beside it, {@code report.html} with the
 * same pictures embedded (one file, no network needed), and the PNG files themselves.
 */
public final class Report {

    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    private record Picture(String file, String caption, byte[] png) {
    }

    private final Results results;
    private final Shootout shootout;
    private final String command;
    private final Map<String, List<Picture>> sections = new LinkedHashMap<>();
    private final List<String> notWalked = new ArrayList<>();

    private Report(Results results, Shootout shootout, String command) {
        this.results = results;
        this.shootout = shootout;
        this.command = command;
    }

    /** Draws every picture and writes the folder; returns the files written. */
    public static List<Path> write(Results results, Shootout shootout, String command, Path folder) throws IOException {
        Report report = new Report(results, shootout, command);
        report.draw();
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        for (List<Picture> pictures : report.sections.values()) {
            for (Picture p : pictures) {
                written.add(Files.write(folder.resolve(p.file()), p.png()));
            }
        }
        written.add(Files.writeString(folder.resolve(MARKDOWN), report.markdown()));
        written.add(Files.writeString(folder.resolve(HTML), report.html()));
        return written;
    }

    private void draw() {
        List<Picture> overview = new ArrayList<>();
        overview.add(new Picture("ns-per-op.png", "Time per operation", Charts.nsPerOp(results)));
        if (results.contenders().contains(Contenders.MALLOC)) {
            overview.add(new Picture("ratio-to-malloc.png", "Time relative to malloc", Charts.ratioToMalloc(results)));
        }
        overview.add(new Picture("fragmentation.png", "Fragmentation: footprint over live bytes", Charts.fragmentation(results)));
        sections.put("Charts", overview);
        List<Picture> footprints = new ArrayList<>();
        List<Picture> maps = new ArrayList<>();
        for (String workload : results.tables().keySet()) {
            Workload w = shootout.workload(workload);
            if (w == null) {
                continue;
            }
            if (w.chartsFootprint() && w instanceof TraceWorkload trace) {
                footprints.add(new Picture("footprint-" + file(workload) + ".png", "Footprint over " + workload,
                        Charts.footprint(results, workload, trace.trace().operations())));
            }
            if (w.mapsHeap()) {
                for (Measurement m : results.table(workload, 1)) {
                    if (m.heapMap() != null) {
                        String title = m.cell().contender() + " after " + workload;
                        maps.add(new Picture("heap-" + file(m.cell().contender()) + "-" + file(workload) + ".png", title,
                                Charts.heapMap(title, m.heapMap())));
                    } else if (m.measured() && !notWalked.contains(m.cell().contender())) {
                        notWalked.add(m.cell().contender());
                    }
                }
            }
        }
        if (!footprints.isEmpty()) {
            sections.put("Footprint over the traces", footprints);
        }
        sections.put("Heap maps", maps);
    }

    private static String file(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private String intro() {
        return "Machine: " + results.machine() + ". Date: " + results.date() + ". Command: `" + command + "`.";
    }

    private static final String METHOD = """
            Each cell runs a fresh contender on its own threads (Netty's FastThreadLocalThreads); before a workload's
            first cell every contender runs it briefly, so the JIT has seen them all; a cell warms up until the JIT is
            quiet, then is measured. ns/op is the CPU time of the workload threads over the operations they did: one
            thread's cost per operation, which contention raises, and which other work on a busy machine changes
            little. × malloc divides by glibc malloc's ns/op on the same workload and threads in this run. Peak
            footprint is the most the contender said it held from the OS at a sample (Netty: its used direct memory;
            direct buffers: the JVM's direct pool, which includes buffers awaiting their cleaner; malloc: the
            process's resident-set growth); RSS growth is the process's resident set at its peak over its start;
            footprint/live is peak footprint over the most bytes the workload held live; garbage is Java heap bytes
            allocated per operation by the workload threads (ThreadMXBean). The sim columns come from a separate short
            pass: each registry allocator, built with a probe that feeds a cache and TLB simulator (skylake-sp unless
            told otherwise), runs the workload once more on one thread (up to 5,000 operations after its setup and a
            short warm-up) while the workload's own reads and writes go to the simulator as user data; they give
            first-level cache misses and estimated cycles per operation, metadata / data. An allocator that does not
            report its accesses to a probe (malloc among them) shows – for metadata; the baselines, and workloads'
            second thread counts, have no pass. A note says why a cell was skipped (not thread-safe), stopped (a
            contender that never frees ran out of its budget) or failed.""";

    private String markdown() {
        StringBuilder out = new StringBuilder("# allockit shoot-out\n\n").append(intro()).append("\n\n");
        out.append(METHOD.replace('\n', ' ')).append("\n\n## Contenders\n\n");
        for (String c : results.contenders()) {
            out.append("- `").append(c).append("`: ").append(describe(c)).append('\n');
        }
        out.append("\n## Tables\n\n");
        results.tables().forEach((workload, threadCounts) -> threadCounts.forEach(t -> {
            Table table = Table.of(results, workload, t);
            out.append("### ").append(table.title()).append("\n\n").append(table.markdown()).append('\n');
        }));
        sections.forEach((title, pictures) -> {
            out.append("## ").append(title).append("\n\n");
            for (Picture p : pictures) {
                out.append("![").append(p.caption()).append("](").append(p.file()).append(")\n\n");
            }
            if (title.equals("Heap maps")) {
                out.append(heapMapNote()).append("\n\n");
            }
        });
        return out.toString();
    }

    private String html() {
        StringBuilder out = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>allockit shoot-out</title>
                <style>
                body { font-family: sans-serif; margin: 2em; max-width: 1200px; color: #222; }
                table { border-collapse: collapse; margin-bottom: 1.5em; font-size: 14px; }
                th, td { border: 1px solid #ccc; padding: 3px 8px; }
                th { background: #f0f0f0; }
                td.n { text-align: right; font-variant-numeric: tabular-nums; }
                img { max-width: 100%; display: block; margin: 0.5em 0 1.5em; }
                code { background: #f4f4f4; padding: 1px 4px; }
                </style></head><body>
                <h1>allockit shoot-out</h1>
                """);
        out.append("<p>").append(Table.escape(intro()).replaceAll("`([^`]*)`", "<code>$1</code>")).append("</p>\n");
        out.append("<p>").append(Table.escape(METHOD)).append("</p>\n<h2>Contenders</h2>\n<ul>\n");
        for (String c : results.contenders()) {
            out.append("<li><code>").append(Table.escape(c)).append("</code>: ").append(Table.escape(describe(c))).append("</li>\n");
        }
        out.append("</ul>\n<h2>Tables</h2>\n");
        results.tables().forEach((workload, threadCounts) -> threadCounts.forEach(t -> {
            Table table = Table.of(results, workload, t);
            out.append("<h3>").append(Table.escape(table.title())).append("</h3>\n").append(table.html());
        }));
        sections.forEach((title, pictures) -> {
            out.append("<h2>").append(Table.escape(title)).append("</h2>\n");
            for (Picture p : pictures) {
                out.append("<img alt=\"").append(Table.escape(p.caption())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(p.png())).append("\">\n");
            }
            if (title.equals("Heap maps")) {
                out.append("<p>").append(Table.escape(heapMapNote())).append("</p>\n");
            }
        });
        return out.append("</body></html>\n").toString();
    }

    private String heapMapNote() {
        String legend = "Each map lays the allocator's address space out in rows of pixel columns, left to right and top to "
                + "bottom; a column is coloured by the state covering most of its run: in use (red), free (green), "
                + "metadata (blue), given back to the OS (grey), never touched (cream).";
        if (notWalked.isEmpty()) {
            return legend;
        }
        return legend + " These contenders cannot walk their heap, so they have no map: " + String.join(", ", notWalked) + ".";
    }

    private static String describe(String contender) {
        try {
            return Contenders.describe(contender);
        } catch (IllegalArgumentException e) {
            return "(not in this build)";
        }
    }
}
