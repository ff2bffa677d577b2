package org.allockit.leak;

/**
 * How much a {@link LeakTracker} records, from cheapest to most thorough. Every level counts live
 * blocks and bytes exactly, so no leak is ever missed at {@code close()}; the levels differ in how
 * many leaks get a site and which memory errors are caught.
 */
public enum Level {
    /** Live blocks and bytes only: a leak is never missed, its site is unknown. */
    COUNT,
    /** COUNT, and about one allocation per {@link LeakOptions#sampleInterval()} bytes records its site. */
    SAMPLED,
    /** Every allocation records its site; recently freed addresses are remembered to name double frees. */
    FULL,
    /** FULL, plus red zones around each block, poisoned freed blocks held in a quarantine, and free sites. */
    PARANOID;

    /** Whether every allocation records its site. */
    boolean recordsEverySite() {
        return this == FULL || this == PARANOID;
    }
}
