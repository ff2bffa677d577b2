package org.allockit.bench.shootout;

/** One measurement to make: a contender running a workload on a number of threads. */
public record Cell(String contender, String workload, int threads) {

    @Override
    public String toString() {
        return contender + " × " + workload + (threads > 1 ? " (" + threads + " threads)" : "");
    }
}
