package org.allockit.bench.sim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.allockit.core.trace.Trace;

/**
 * Synthetic allocation workloads for the simulator, generated as trace-format text (so they go
 * through the same validating reader as recorded traces) from a fixed seed. {@link #TRAVERSE} also
 * asks the driver to walk the live blocks in allocation order every {@link #traverseEvery()}
 * operations, as a program walking a linked structure would.
 */
public enum SimWorkload {
    /** 50,000 alloc+free pairs of 16-256 bytes: the allocator's fast paths on a tiny live set. */
    PAIRS("alloc+free pairs of 16-256 B", 0),
    /** 4,000 live blocks of 16 B-4 KiB (log-uniform), each step frees a random one and allocates anew. */
    CHURN("random frees and allocations over 4,000 live blocks of 16 B-4 KiB", 0),
    /** 20,000 list nodes of 32-128 B, replaced at random, the list walked every 2,000 operations. */
    TRAVERSE("20,000 list nodes of 32-128 B replaced at random, walked in allocation order every 2,000 ops", 2000);

    private final String description;
    private final int traverseEvery;

    SimWorkload(String description, int traverseEvery) {
        this.description = description;
        this.traverseEvery = traverseEvery;
    }

    public static SimWorkload parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown workload '" + name + "' (pairs, churn, traverse)", e);
        }
    }

    public String description() {
        return description;
    }

    /** Operations between two walks over the live blocks, or 0 for none. */
    public int traverseEvery() {
        return traverseEvery;
    }

    /** The workload's operations, the same for the same seed. */
    public Trace trace(long seed) {
        StringBuilder b = new StringBuilder("# workload ").append(name().toLowerCase(Locale.ROOT)).append('\n');
        long[] state = {seed == 0 ? 0x5DEECE66DL : seed};
        switch (this) {
            case PAIRS -> {
                for (int i = 0; i < 50_000; i++) {
                    b.append("a 0 ").append(16 + next(state, 241)).append("\nf 0\n");
                }
            }
            case CHURN -> replaceAtRandom(b, state, 4_000, 60_000, 4, 12);
            default -> replaceAtRandom(b, state, 20_000, 40_000, 5, 7);
        }
        try {
            return Trace.read(new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.US_ASCII)),
                    "workload:" + name().toLowerCase(Locale.ROOT), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code live} blocks, then {@code steps} times: free a random one, allocate a new one in its ID. */
    private static void replaceAtRandom(StringBuilder b, long[] state, int live, int steps, int minLog, int maxLog) {
        for (int id = 0; id < live; id++) {
            b.append("a ").append(id).append(' ').append(size(state, minLog, maxLog)).append('\n');
        }
        for (int i = 0; i < steps; i++) {
            int id = next(state, live);
            b.append("f ").append(id).append('\n');
            b.append("a ").append(id).append(' ').append(size(state, minLog, maxLog)).append('\n');
        }
    }

    /** A size spread evenly over powers of two from {@code 2^minLog} to {@code 2^maxLog}. */
    private static long size(long[] state, int minLog, int maxLog) {
        int log = minLog + next(state, maxLog - minLog);
        return (1L << log) + next(state, 1 << log);
    }

    private static int next(long[] state, int bound) {
        long x = state[0];
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state[0] = x;
        return (int) Long.remainderUnsigned(x >>> 11, bound);
    }
}
