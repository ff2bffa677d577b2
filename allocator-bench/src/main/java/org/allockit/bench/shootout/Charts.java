package org.allockit.bench.shootout;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.allockit.core.HeapVisitor.State;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's pictures as PNG bytes: bar charts and footprint lines drawn by XChart, heap maps
 * painted pixel by pixel. Runs headless.
 */
public final class Charts {

    static final int WIDTH = 1100;
    static final int HEIGHT = 520;
    /** Heap maps: pixel columns per row, rows, and each row's height in pixels. */
    static final int MAP_COLUMNS = 1024;
    static final int MAP_ROWS = 32;
    static final int MAP_ROW_PIXELS = 3;

    /** The colour of each heap state; the legend lists them in this order. */
    static final Map<State, Color> COLOURS = Map.of(
            State.IN_USE, new Color(0xD6, 0x27, 0x28),
            State.FREE, new Color(0x2C, 0xA0, 0x2C),
            State.METADATA, new Color(0x1F, 0x77, 0xB4),
            State.RELEASED, new Color(0xBB, 0xBB, 0xBB),
            State.UNTOUCHED, new Color(0xF2, 0xF2, 0xE6));

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One group per table (workload and threads), one bar per contender: ns/op on a log scale. */
    public static byte[] nsPerOp(Results results) {
        return bars(results, "Time per operation (ns, log scale; lower is better)", "ns/op", true,
                Measurement::nsPerOp, false);
    }

    /** The same bars as multiples of malloc's time in the same run. */
    public static byte[] ratioToMalloc(Results results) {
        return bars(results, "Time relative to glibc malloc in the same run (log scale; lower is better)", "× malloc", true,
                results::ratioToMalloc, false);
    }

    /** Peak footprint over peak live bytes, per workload that keeps a live set. */
    public static byte[] fragmentation(Results results) {
        return bars(results, "Peak footprint / peak live bytes (log scale; 1 = no overhead, lower is better)", "footprint/live",
                true, Measurement::footprintPerLive, true);
    }

    /** A colour per contender, the same in every chart of a report. */
    static Color colour(Results results, String contender) {
        int i = results.contenders().indexOf(contender);
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    private static final Color[] PALETTE = {
        new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF),
        new Color(0x393B79), new Color(0xAD494A), new Color(0x637939), new Color(0x843C39)};

    private static byte[] bars(Results results, String title, String axis, boolean log,
                               java.util.function.ToDoubleFunction<Measurement> figure, boolean liveSetsOnly) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(axis).build();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        List<String> groups = new ArrayList<>();
        List<List<Measurement>> tables = new ArrayList<>();
        results.tables().forEach((workload, threadCounts) -> threadCounts.forEach(t -> {
            List<Measurement> table = results.table(workload, t);
            if (!liveSetsOnly || table.stream().anyMatch(m -> m.peakLiveBytes() > 0)) {
                groups.add(label(workload, t));
                tables.add(table);
            }
        }));
        double smallest = Double.POSITIVE_INFINITY;
        for (String contender : results.contenders()) {
            List<Double> ys = new ArrayList<>();
            for (List<Measurement> table : tables) {
                double value = table.stream().filter(m -> m.cell().contender().equals(contender))
                        .mapToDouble(figure).findFirst().orElse(Double.NaN);
                ys.add(Double.isNaN(value) || Double.isInfinite(value) || value <= 0 ? null : value);
            }
            if (ys.stream().anyMatch(y -> y != null)) {
                chart.addSeries(contender, groups, ys).setFillColor(colour(results, contender));
                smallest = Math.min(smallest, ys.stream().filter(y -> y != null).mapToDouble(y -> y).min().orElseThrow());
            }
        }
        if (Double.isInfinite(smallest)) {
            return empty(title + ": nothing measured");
        }
        // bars start at the axis minimum; on a log axis XChart needs it set, below every bar
        chart.getStyler().setYAxisMin(log ? Math.pow(10, Math.floor(Math.log10(smallest))) : 0.0);
        return png(chart);
    }

    private static String label(String workload, int threads) {
        return threads > 1 ? workload + " ×" + threads : workload;
    }

    /** Footprint of each contender through a trace's first measured pass, with the trace's live bytes. */
    public static byte[] footprint(Results results, String workload, long passOperations) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Footprint over " + workload + " (first measured pass)")
                .xAxisTitle("operation (millions)").yAxisTitle("MiB (log scale)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        boolean liveDrawn = false;
        double smallest = Double.POSITIVE_INFINITY;
        for (Measurement m : results.table(workload, 1)) {
            // a log axis takes no zeros: the samples before anything was allocated are left out
            List<Sample> pass = m.timeline().stream()
                    .filter(s -> s.operations() <= passOperations && s.liveBytes() > 0 && s.footprintBytes() != 0).toList();
            if (pass.size() < 2) {
                continue;
            }
            if (!liveDrawn) {
                series(chart, "live (requested)", pass, Sample::liveBytes).setLineColor(Color.BLACK);
                liveDrawn = true;
            }
            smallest = Math.min(smallest, pass.stream().mapToLong(Sample::liveBytes).min().orElseThrow());
            if (pass.stream().allMatch(s -> s.footprintBytes() > 0)) {
                series(chart, m.cell().contender(), pass, Sample::footprintBytes).setLineColor(colour(results, m.cell().contender()));
                smallest = Math.min(smallest, pass.stream().mapToLong(Sample::footprintBytes).min().orElseThrow());
            }
        }
        if (!liveDrawn) {
            return empty("footprint over " + workload + ": no samples");
        }
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest / 1048576.0))));
        return png(chart);
    }

    private static XYSeries series(XYChart chart, String name, List<Sample> samples,
                                   java.util.function.ToLongFunction<Sample> figure) {
        double[] x = new double[samples.size()];
        double[] y = new double[samples.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = samples.get(i).operations() / 1e6;
            y[i] = figure.applyAsLong(samples.get(i)) / 1048576.0;
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        return series;
    }

    /**
     * A heap map: the reported address space laid out in rows of pixel columns, left to right and
     * top to bottom, each column coloured by the state covering most of its run, with a legend.
     */
    public static byte[] heapMap(String title, HeapMap map) {
        int legend = 44;
        int height = 28 + MAP_ROWS * MAP_ROW_PIXELS + legend;
        BufferedImage image = new BufferedImage(MAP_COLUMNS + 20, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        long runBytes = Math.max(1, map.totalBytes() / ((long) MAP_COLUMNS * MAP_ROWS));
        g.drawString(title + "  (" + Table.bytes(map.totalBytes()) + " in " + map.ranges() + " ranges; one pixel column = "
                + Table.bytes(runBytes) + ")", 10, 18);
        State[] slices = map.slices(MAP_COLUMNS * MAP_ROWS);
        for (int i = 0; i < slices.length; i++) {
            g.setColor(slices[i] == null ? Color.WHITE : COLOURS.get(slices[i]));
            g.fillRect(10 + i % MAP_COLUMNS, 26 + (i / MAP_COLUMNS) * MAP_ROW_PIXELS, 1, MAP_ROW_PIXELS);
        }
        int y = 26 + MAP_ROWS * MAP_ROW_PIXELS + 22;
        int x = 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (State state : State.values()) {
            g.setColor(COLOURS.get(state));
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x, y - 11, 14, 14);
            String text = state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " " + Table.bytes(map.bytes(state));
            g.drawString(text, x + 20, y);
            x += 20 + g.getFontMetrics().stringWidth(text) + 24;
        }
        g.dispose();
        return encode(image);
    }

    private static byte[] empty(String text) {
        BufferedImage image = new BufferedImage(WIDTH, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, 60);
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, 10, 35);
        g.dispose();
        return encode(image);
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
