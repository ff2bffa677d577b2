package org.allockit.bench.workload;

/**
 * A small, fast, seeded random number generator (SplitMix64) held in one field, so a workload's
 * step draws sizes and slots without allocating. Each thread has its own.
 */
final class Rng {

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)}. */
    int below(int bound) {
        return (int) (((next() >>> 32) * bound) >>> 32);
    }

    /** Uniform in {@code [low, high]}. */
    long between(long low, long high) {
        return low + Long.remainderUnsigned(next(), high - low + 1);
    }

    /** Uniform in {@code (0, 1]}. */
    double unit() {
        return ((next() >>> 11) + 1) * 0x1.0p-53;
    }
}
