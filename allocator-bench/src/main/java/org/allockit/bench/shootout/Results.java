package org.allockit.bench.shootout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.allockit.bench.contender.Contenders;

/**
 * Everything a shoot-out measured, with the machine and the date, and the ratio of each cell to
 * glibc malloc's cell of the same workload and threads in the same run.
 *
 * @param descriptions each workload's one-line description, by workload name
 */
public record Results(Machine machine, Instant date, List<Measurement> measurements, Map<String, String> descriptions) {

    public Results {
        measurements = List.copyOf(measurements);
        descriptions = Map.copyOf(descriptions);
    }

    public static Results of(Machine machine, Instant date, List<Measurement> measurements, Map<String, String> descriptions) {
        return new Results(machine, date, measurements, descriptions);
    }

    /** ns/op over malloc's ns/op on the same workload and threads; NaN when either was not measured. */
    public double ratioToMalloc(Measurement m) {
        for (Measurement other : measurements) {
            Cell c = other.cell();
            if (c.contender().equals(Contenders.MALLOC) && c.workload().equals(m.cell().workload())
                    && c.threads() == m.cell().threads() && other.measured() && m.measured()) {
                return m.nsPerOp() / other.nsPerOp();
            }
        }
        return Double.NaN;
    }

    /** The workloads in the order they ran, each with its thread counts: one table each. */
    public Map<String, List<Integer>> tables() {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            List<Integer> threads = out.computeIfAbsent(m.cell().workload(), w -> new ArrayList<>());
            if (!threads.contains(m.cell().threads())) {
                threads.add(m.cell().threads());
            }
        }
        return out;
    }

    /** The measurements of one table, in contender order. */
    public List<Measurement> table(String workload, int threads) {
        return measurements.stream()
                .filter(m -> m.cell().workload().equals(workload) && m.cell().threads() == threads).toList();
    }

    /** The contenders in the order they ran. */
    public List<String> contenders() {
        return measurements.stream().map(m -> m.cell().contender()).distinct().toList();
    }
}
