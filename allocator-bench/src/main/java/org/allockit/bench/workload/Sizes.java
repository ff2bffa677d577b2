package org.allockit.bench.workload;

/**
 * A table of block sizes drawn once from a distribution, so a workload's step picks a size with one
 * random index and no arithmetic, and every contender sees the same sizes for the same seed.
 */
final class Sizes {

    private static final int ENTRIES = 4096;

    private final long[] table;

    private Sizes(long[] table) {
        this.table = table;
    }

    /** Every size {@code size}. */
    static Sizes fixed(long size) {
        long[] table = new long[ENTRIES];
        java.util.Arrays.fill(table, size);
        return new Sizes(table);
    }

    /** Uniform in {@code [low, high]}. */
    static Sizes uniform(long seed, long low, long high) {
        Rng rng = new Rng(seed);
        long[] table = new long[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            table[i] = rng.between(low, high);
        }
        return new Sizes(table);
    }

    /**
     * Pareto with scale {@code low} and shape {@code alpha}, cut at {@code high}: many small blocks and
     * a long tail, as real programs ask for.
     */
    static Sizes pareto(long seed, long low, long high, double alpha) {
        Rng rng = new Rng(seed);
        long[] table = new long[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            table[i] = Math.min(high, (long) (low / Math.pow(rng.unit(), 1 / alpha)));
        }
        return new Sizes(table);
    }

    long draw(Rng rng) {
        return table[(int) (rng.next() & (ENTRIES - 1))];
    }

    /** The mean size, for descriptions and tests. */
    double mean() {
        return java.util.Arrays.stream(table).average().orElse(0);
    }
}
