package org.allockit.bench.shootout;

import org.allockit.bench.contender.Contender;
import org.allockit.bench.contender.Contenders;
import org.allockit.bench.sim.CacheLevel;
import org.allockit.bench.sim.SimConfig;
import org.allockit.bench.sim.SimProbe;
import org.allockit.bench.sim.Simulator;
import org.allockit.bench.workload.Workload;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.Allocators;
import org.allockit.core.Feature;
import org.allockit.core.os.ProbedPageSource;

/**
 * The simulated pass of a shoot-out cell: a registry allocator built with a {@link SimProbe} (its
 * metadata accesses and page events feed the {@link Simulator}) runs the cell's workload once more
 * on the calling thread alone, while {@link Contender#tap} feeds the workload's own touches to the
 * simulator as user data. The workload's threads are stepped in turn from this one thread. After
 * the setup and a short warm-up, at most {@link #OPERATIONS} operations are counted, fewer when
 * they pass {@link #ACCESSES} simulated accesses (large blocks). An allocator without
 * {@link Feature#PROBED} gets data figures only; a baseline gets none.
 *
 * <p>Thread safety: one pass at a time, with no other workload running in the process (the tap is global).
 */
final class SimulatedPass {

    /** Operations counted per cell, at most. */
    static final long OPERATIONS = 5_000;
    /** Simulated accesses per cell after which the pass stops counting, at least one operation in. */
    static final long ACCESSES = 500_000;
    private static final long WARM_OPERATIONS = 500;

    private final SimConfig config;

    SimulatedPass(SimConfig config) {
        this.config = config;
    }

    /** Simulates {@code contender} on {@code workload}; null for a baseline. */
    Simulated run(String contender, Workload workload, long seed) {
        if (!Contenders.inRegistry(contender)) {
            return null;
        }
        Simulator sim = new Simulator(config);
        SimProbe probe = new SimProbe(sim);
        AllocatorOptions defaults = AllocatorOptions.defaults();
        Allocator allocator = Allocators.create(contender,
                defaults.withProbe(probe).withPages(new ProbedPageSource(defaults.pages(), probe)));
        boolean probed = allocator.features().contains(Feature.PROBED);
        int threads = workload.threadCounts().getFirst();
        try (Contender c = Contenders.of(allocator)) {
            Contender.tap(new SimTouches(sim));
            Workload.Run run = workload.start(c, threads, seed);
            step(run, threads, WARM_OPERATIONS, Long.MAX_VALUE, sim);
            double[] before = figures(sim);
            long ops = step(run, threads, OPERATIONS, sim.time() + ACCESSES, sim);
            double[] after = figures(sim);
            run.close();
            double n = Math.max(1, ops);
            return new Simulated(config.preset(), ops,
                    probed ? (after[0] - before[0]) / n : Double.NaN, (after[1] - before[1]) / n,
                    probed ? (after[2] - before[2]) / n : Double.NaN, (after[3] - before[3]) / n);
        } finally {
            Contender.tap(null);
        }
    }

    /**
     * Steps the workload's threads in turn until {@code operations} are done or the simulator has
     * passed {@code accessLimit}; a round where no thread could work ends it too.
     */
    private static long step(Workload.Run run, int threads, long operations, long accessLimit, Simulator sim) {
        long done = 0;
        while (done < operations && sim.time() < accessLimit) {
            long round = 0;
            for (int t = 0; t < threads; t++) {
                round += run.step(t);
            }
            if (round == 0) {
                break;
            }
            done += round;
        }
        return done;
    }

    /** {@code [L1 misses metadata, L1 misses data, cycles metadata, cycles data]} so far. */
    private static double[] figures(Simulator sim) {
        return new double[] {l1Misses(sim, CacheLevel.METADATA), l1Misses(sim, CacheLevel.USER),
                sim.cycles(CacheLevel.METADATA), sim.cycles(CacheLevel.USER)};
    }

    private static long l1Misses(Simulator sim, int source) {
        return sim.caches().instructions().misses(source) + sim.caches().data().misses(source);
    }

    /** The workload's touches as user-data accesses: the same words {@link Contender#write} and {@link Contender#read} touch. */
    private static final class SimTouches implements Contender.Touches {
        private final Simulator sim;
        private final Thread owner = Thread.currentThread();

        SimTouches(Simulator sim) {
            this.sim = sim;
        }

        @Override
        public void block(long address, long size, boolean write) {
            if (Thread.currentThread() != owner) {
                return;
            }
            if (size < Long.BYTES) {
                if (size > 0) {
                    access(address, 1, write);
                }
                return;
            }
            long stride = Contender.stride(size);
            for (long offset = 0; offset <= size - Long.BYTES; offset += stride) {
                access(address + offset, Long.BYTES, write);
            }
            if (write && size >= 2 * Long.BYTES) {
                access(address + size - Long.BYTES, Long.BYTES, write);
            }
        }

        @Override
        public void word(long address, boolean write) {
            if (Thread.currentThread() == owner) {
                access(address, Long.BYTES, write);
            }
        }

        private void access(long address, int bytes, boolean write) {
            sim.source(CacheLevel.USER);
            if (write) {
                sim.write(address, bytes);
            } else {
                sim.read(address, bytes);
            }
        }
    }
}
