package org.allockit.pool.region;

import java.util.ArrayList;
import java.util.List;

/**
 * The cleanup actions registered on a region pool. {@link #runAll} runs each exactly once, newest
 * first (what was built last is torn down first), keeps going when one throws and reports every
 * failure afterwards. Confined to the pool's thread, like the pool.
 */
final class Cleanups {

    private final List<AutoCloseable> actions = new ArrayList<>();

    void add(AutoCloseable action) {
        actions.add(action);
    }

    int size() {
        return actions.size();
    }

    /** Runs and forgets every action, newest first; returns what they threw, in the order thrown. */
    List<Throwable> runAll() {
        if (actions.isEmpty()) {
            return List.of(); // the common reset: nothing to run, nothing allocated
        }
        List<AutoCloseable> pending = List.copyOf(actions);
        actions.clear(); // forgotten before running, so an action that re-enters the pool cannot run twice
        List<Throwable> failures = new ArrayList<>();
        for (AutoCloseable action : pending.reversed()) {
            try {
                action.close();
            } catch (Exception | Error e) {
                failures.add(e);
            }
        }
        return failures;
    }
}
