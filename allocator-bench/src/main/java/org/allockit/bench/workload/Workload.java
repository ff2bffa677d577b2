package org.allockit.bench.workload;

import java.util.List;
import org.allockit.bench.contender.Contender;

/**
 * One allocation pattern, defined once and run by both the JMH benchmarks and the shoot-out report.
 * {@link #start} sets up a {@link Run} over a contender (its live set allocated and written); each
 * {@link Run#step} does a little work on one thread and says how many operations it did; closing the
 * run frees whatever is still live. Every workload writes each block it allocates and reads it back
 * before freeing it, through {@link Contender#write} and {@link Contender#read}.
 */
public interface Workload {

    /** The name used on the command line and in the report ({@code netty}, {@code trace:cc1}). */
    String name();

    /** One line: the shape, and what one operation is. */
    String description();

    /** The thread counts the workload runs with: {@code [1]} for single-threaded ones. */
    List<Integer> threadCounts();

    /** Whether blocks are freed by a thread other than the one that allocated them. */
    default boolean freesAcrossThreads() {
        return false;
    }

    /** Whether the shoot-out draws a heap map of each allocator after it. */
    default boolean mapsHeap() {
        return false;
    }

    /** Whether the shoot-out charts each contender's footprint over the run. */
    default boolean chartsFootprint() {
        return false;
    }

    /** Sets up a run over {@code contender} for {@code threads} threads, drawing from {@code seed}. */
    Run start(Contender contender, int threads, long seed);

    /** One run of the workload; thread {@code t} calls {@code step(t)}, one thread per index. */
    interface Run extends AutoCloseable {

        /** Does a little work as thread {@code thread}; returns the operations done (0 when it had to wait). */
        long step(int thread);

        /**
         * Whether thread {@code thread} is at a point where the run may end: always, except inside a
         * trace replay, which ends only after a whole pass so its heap is the trace's.
         */
        default boolean atRest(int thread) {
            return true;
        }

        /** Bytes the workload holds live now (requested sizes); read by thread 0 between its steps. */
        long liveBytes();

        /** Frees every block still live. Called after every thread stopped. */
        @Override
        void close();
    }
}
