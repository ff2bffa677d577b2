package org.allockit.bench.shootout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run against an older one: for every cell both measured, the new ns/op over the old (below 1 is
 * faster now) and both ratios to malloc, which are steadier than raw times on a noisy machine since
 * malloc was measured alongside each time.
 */
public final class Comparison {

    /** One cell in both runs. */
    public record Row(String contender, String workload, int threads, double oldNsPerOp, double newNsPerOp,
                      double oldRatioToMalloc, double newRatioToMalloc) {

        /** New time over old; below 1 is an improvement. */
        public double speedup() {
            return newNsPerOp / oldNsPerOp;
        }
    }

    private Comparison() {
    }

    /** The cells present in both, in the new run's order. */
    public static List<Row> compare(List<ResultsJson.Entry> old, List<ResultsJson.Entry> now) {
        List<Row> rows = new ArrayList<>();
        for (ResultsJson.Entry n : now) {
            for (ResultsJson.Entry o : old) {
                if (o.contender().equals(n.contender()) && o.workload().equals(n.workload()) && o.threads() == n.threads()) {
                    rows.add(new Row(n.contender(), n.workload(), n.threads(), o.nsPerOp(), n.nsPerOp(),
                            o.ratioToMalloc(), n.ratioToMalloc()));
                    break;
                }
            }
        }
        return rows;
    }

    /** The rows as an aligned text table. */
    public static String text(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s %-22s %3s %10s %10s %8s %10s %10s%n",
                "contender", "workload", "thr", "old ns/op", "new ns/op", "new/old", "old×malloc", "new×malloc"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-16s %-22s %3d %10s %10s %8s %10s %10s%n", r.contender(), r.workload(),
                    r.threads(), Table.decimal(r.oldNsPerOp()), Table.decimal(r.newNsPerOp()), Table.ratio(r.speedup()),
                    Table.ratio(r.oldRatioToMalloc()), Table.ratio(r.newRatioToMalloc())));
        }
        return out.toString();
    }
}
