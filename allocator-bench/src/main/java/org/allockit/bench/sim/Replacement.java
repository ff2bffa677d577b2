package org.allockit.bench.sim;

import java.util.Locale;

/** Which line of a full set a miss evicts. */
public enum Replacement {
    /** True least-recently-used, as cachegrind simulates. */
    LRU,
    /** The line that came in first, whatever its use since. */
    FIFO,
    /** A line picked by a seeded generator (empty ways are filled first), so runs repeat. */
    RANDOM,
    /** Tree pseudo-LRU: one bit per inner node of a binary tree over the ways points at the colder half. */
    PLRU;

    public static Replacement parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace("TREE-", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown replacement '" + text + "' (lru, fifo, random, plru)", e);
        }
    }
}
