package org.allockit.bench.shootout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.allockit.bench.workload.Workload;
import org.allockit.bench.workload.Workloads;

/**
 * What a shoot-out runs: the contenders, the workloads, and how long each cell warms up and is
 * measured. The cells are every contender × workload × thread count of that workload, workload by
 * workload so each table fills in order.
 *
 * @param warmup  time each cell runs before it is measured
 * @param measure time each cell is measured (a trace cell runs on to the end of its pass)
 */
public record Plan(List<String> contenders, List<String> workloads, Duration warmup, Duration measure, long seed) {

    /** The seed of every run unless one is given: the same sizes for every contender and every run. */
    public static final long SEED = 42;

    public Plan {
        contenders = List.copyOf(contenders);
        workloads = List.copyOf(workloads);
    }

    /**
     * A plan whose cells share {@code budget} between them: each gets a slot of the budget less
     * its setup, split 2:3 between warm-up and measurement, at least 150 ms and at most 4 s.
     */
    public static Plan within(Duration budget, List<String> contenders, List<String> workloads) {
        int cells = cells(contenders, workloads).size();
        long slot = Math.max(1, budget.toMillis() / Math.max(1, cells));
        long usable = Math.max(150, Math.min(4000, slot - 120));
        return new Plan(contenders, workloads, Duration.ofMillis(usable * 2 / 5), Duration.ofMillis(usable * 3 / 5), SEED);
    }

    /** Every cell of the plan. */
    public List<Cell> cells() {
        return cells(contenders, workloads);
    }

    private static List<Cell> cells(List<String> contenders, List<String> workloads) {
        List<Cell> cells = new ArrayList<>();
        for (String name : workloads) {
            Workload workload = Workloads.create(name);
            for (int threads : workload.threadCounts()) {
                for (String contender : contenders) {
                    cells.add(new Cell(contender, workload.name(), threads));
                }
            }
        }
        return cells;
    }

    /** The time the plan should take, setup aside. */
    public Duration estimate() {
        return warmup.plus(measure).multipliedBy(cells().size());
    }
}
