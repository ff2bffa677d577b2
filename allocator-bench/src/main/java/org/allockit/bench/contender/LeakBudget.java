package org.allockit.bench.contender;

/**
 * The bytes a contender that never frees (a bump pointer, a region pool) may hand out before the
 * run stops it: a shoot-out that keeps allocating for seconds would otherwise take the machine's
 * memory. Running out is the result, not an error of the harness.
 *
 * <p>Thread safety: none; only contenders used by one thread keep one.
 */
final class LeakBudget {

    /** 1 GiB: enough to show the speed, small enough for a shared machine. */
    static final long BYTES = 1L << 30;

    private final String contender;
    private long used;

    LeakBudget(String contender) {
        this.contender = contender;
    }

    void charge(long size) {
        used += size;
        if (used > BYTES) {
            throw new ExhaustedException(contender + " never frees: it handed out its budget of "
                    + (BYTES >> 20) + " MiB");
        }
    }

    long used() {
        return used;
    }
}
