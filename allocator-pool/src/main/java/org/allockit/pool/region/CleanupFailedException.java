package org.allockit.pool.region;

import java.util.List;

/**
 * One or more cleanup actions of a pool threw. Every action ran anyway; the first failure is the
 * cause and the others are attached as suppressed exceptions, in the order they were thrown.
 */
public final class CleanupFailedException extends RuntimeException {

    public CleanupFailedException(String pool, List<Throwable> failures) {
        super(pool + ": " + failures.size() + " cleanup action(s) failed, first: " + failures.getFirst(),
                failures.getFirst());
        failures.stream().skip(1).forEach(this::addSuppressed);
    }
}
