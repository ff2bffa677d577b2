package org.allockit.bench.shootout;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.allockit.bench.contender.Contender;
import org.allockit.bench.contender.Contenders;
import org.allockit.bench.sim.Presets;
import org.allockit.bench.sim.SimConfig;
import org.allockit.bench.workload.Workload;
import org.allockit.bench.workload.Workloads;
import org.allockit.core.os.ResidentSet;

/**
 * The shoot-out engine: runs every cell of a {@link Plan} in this process, one after another, and
 * measures each. A cell gets a fresh contender and a fresh run of its workload on its own
 * {@code FastThreadLocalThread}s (Netty's caches are active on them, as in its event loops); thread 0
 * sets the run up, every thread warms up and is measured for the plan's time in its own CPU time,
 * and ns/op is the threads' CPU time over their operations. Thread 0 samples the footprint, the
 * live bytes and the resident set every few milliseconds between its steps. Unless told not to, each
 * registry allocator then runs the workload once more, short, on a simulator ({@link SimulatedPass}),
 * at the workload's first thread count.
 *
 * <p>Thread safety: one shoot-out runs at a time; the listener is called from the calling thread.
 */
public final class Shootout {

    /**
     * How often thread 0 samples, at most. A sample reads the contender's stats and
     * {@code /proc/self/statm}, which can take a millisecond on a loaded machine; the time it takes
     * is left out of a one-thread cell's measured time.
     */
    static final long SAMPLE_NANOS = 10_000_000;
    /** A batch of steps grows until it takes this long, so the clocks are read rarely. */
    private static final long BATCH_NANOS = 200_000;
    /** A phase ends after this many times its CPU budget in wall-clock time, however busy the machine. */
    static final long WALL_FACTOR = 3;
    /**
     * A phase waiting for a trace pass to end gives up this long after twice its wall-clock limit: a
     * contender that slows down pass after pass must not hold the run. The cell then says so.
     */
    static final long HARD_GRACE_NANOS = 2_000_000_000L;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final java.lang.management.CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    /**
     * A warm-up goes on past its time while the JIT is still compiling (on a busy machine its
     * threads lag far behind), until it has been quiet this long or the warm-up took three times its time.
     */
    static final long JIT_QUIET_NANOS = 50_000_000;
    private static final int MAX_SAMPLES = 4096;
    /** CPU time each contender runs a workload unmeasured before the workload's first cell. */
    static final long PRIME_NANOS = 30_000_000;

    /** Told what runs, so a command line can draw its progress. */
    public interface Listener {
        /** Cell {@code index} of {@code total} starts. */
        default void started(Cell cell, int index, int total) {
        }

        /** Cell {@code index} is done. */
        default void finished(Measurement measurement, int index, int total) {
        }
    }

    /** The simulator's configuration unless another is given. */
    public static final String SIM_PRESET = "skylake-sp";

    private final Plan plan;
    private final SimulatedPass simulation;
    private final Map<String, Workload> workloads = new LinkedHashMap<>();

    /** A shoot-out with a simulated pass on the {@link #SIM_PRESET} configuration. */
    public Shootout(Plan plan) {
        this(plan, Presets.named(SIM_PRESET));
    }

    /** A shoot-out whose simulated passes run on {@code sim}; {@code null}: none. */
    public Shootout(Plan plan, SimConfig sim) {
        this.plan = plan;
        this.simulation = sim == null ? null : new SimulatedPass(sim);
        for (String name : plan.workloads()) {
            Workload workload = Workloads.create(name);
            workloads.put(workload.name(), workload);
        }
    }

    public Plan plan() {
        return plan;
    }

    /** The workload behind a cell's workload name. */
    public Workload workload(String name) {
        return workloads.get(name);
    }

    /**
     * Runs every cell. Before the first cell of each workload, every contender runs it briefly
     * unmeasured, so the JIT has seen them all and no contender is measured against code compiled
     * for another alone (malloc, which goes first, would otherwise pay for the warm-up of all).
     */
    public Results run(Listener listener) {
        List<Cell> cells = plan.cells();
        List<Measurement> out = new ArrayList<>();
        String primed = null;
        for (int i = 0; i < cells.size(); i++) {
            listener.started(cells.get(i), i, cells.size());
            if (!cells.get(i).workload().equals(primed)) {
                primed = cells.get(i).workload();
                prime(cells.get(i));
            }
            Measurement m = measure(cells.get(i));
            Workload workload = workloads.get(cells.get(i).workload());
            if (simulation != null && cells.get(i).threads() == workload.threadCounts().getFirst()) {
                m = simulate(m, workload);
            }
            out.add(m);
            listener.finished(m, i, cells.size());
        }
        Map<String, String> descriptions = new LinkedHashMap<>();
        workloads.values().forEach(w -> descriptions.put(w.name(), w.description()));
        return Results.of(Machine.current(), java.time.Instant.now(), out, descriptions);
    }

    /** Measures one cell. */
    public Measurement measure(Cell cell) {
        Workload workload = workloads.get(cell.workload());
        System.gc();
        long residentAtStart = ResidentSet.bytes();
        return new CellRun(cell, workload, residentAtStart, false).execute();
    }

    /** {@code m} with its simulated pass; a pass that fails leaves it without and says why in its note. */
    private Measurement simulate(Measurement m, Workload workload) {
        try {
            return m.with(simulation.run(m.cell().contender(), workload, plan.seed()));
        } catch (RuntimeException | OutOfMemoryError e) {
            String why = "simulation " + describe(e);
            return new Measurement(m.cell(), m.nsPerOp(), m.operations(), m.elapsedNanos(), m.peakFootprintBytes(),
                    m.peakLiveBytes(), m.rssGrowthBytes(), m.allocBytesPerOp(), m.note().isEmpty() ? why : m.note() + "; " + why,
                    m.timeline(), m.heapMap(), null);
        }
    }

    /** Runs {@code first}'s workload on every contender for {@link #PRIME_NANOS} of CPU each, unmeasured. */
    private void prime(Cell first) {
        Workload workload = workloads.get(first.workload());
        for (String contender : plan.contenders()) {
            new CellRun(new Cell(contender, first.workload(), first.threads()), workload, 0, true).execute();
        }
    }

    /** The threads of one cell and what they share. */
    private final class CellRun {
        private final Cell cell;
        private final Workload workload;
        private final long residentAtStart;
        /** Whether this run only warms the JIT: no measurement, no sampling, no heap map. */
        private final boolean primer;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch stopped;
        private final long[] warmOps;
        private final long[] measuredOps;
        private final long[] garbage;
        private final long[] begins;
        private final long[] ends;
        private final long[] cpu;
        private final long[] warmCpu;
        private final List<Sample> samples = new ArrayList<>();
        private volatile Contender contender;
        private volatile Workload.Run run;
        private volatile boolean abort;
        /** Whether a phase gave up waiting for the end of a trace pass. */
        private volatile boolean cut;
        private volatile String skip;
        private volatile Throwable failure;
        private long startNanos;
        private long peakFootprint = -1;
        private long peakLive;
        private long peakResident;
        private HeapMap heapMap;
        /** CPU time thread 0 spent sampling while measured, left out of its measured time. */
        private long samplingCpu;

        CellRun(Cell cell, Workload workload, long residentAtStart, boolean primer) {
            this.cell = cell;
            this.primer = primer;
            this.workload = workload;
            this.residentAtStart = residentAtStart;
            this.stopped = new CountDownLatch(cell.threads() - 1);
            this.warmOps = new long[cell.threads()];
            this.measuredOps = new long[cell.threads()];
            this.garbage = new long[cell.threads()];
            this.begins = new long[cell.threads()];
            this.ends = new long[cell.threads()];
            this.cpu = new long[cell.threads()];
            this.warmCpu = new long[cell.threads()];
            this.peakResident = residentAtStart;
        }

        Measurement execute() {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < cell.threads(); t++) {
                int index = t;
                Thread thread = new FastThreadLocalThread(() -> work(index), "shootout-" + cell.contender() + "-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abort = true;
                }
            }
            if (skip != null) {
                return Measurement.skipped(cell, skip);
            }
            return result();
        }

        private void work(int thread) {
            try {
                if (thread == 0) {
                    lead();
                } else {
                    follow(thread);
                }
            } catch (Throwable t) {
                fail(t);
            }
        }

        /** Thread 0: sets up, runs its share, waits for the others, maps the heap and cleans up. */
        private void lead() {
            try {
                contender = Contenders.create(cell.contender());
                if ((cell.threads() > 1 || workload.freesAcrossThreads()) && !contender.threadSafe()) {
                    skip = "not thread-safe";
                } else {
                    run = workload.start(contender, cell.threads(), plan.seed());
                }
                startNanos = System.nanoTime();
                if (run != null && !primer) {
                    sample(0);
                }
            } catch (Throwable t) {
                fail(t);
            } finally {
                ready.countDown();
            }
            try {
                if (skip == null && failure == null) {
                    loop(0);
                }
            } catch (Throwable t) {
                fail(t);
            }
            awaitOthers();
            finish();
        }

        private void follow(int thread) throws InterruptedException {
            ready.await();
            try {
                if (skip == null && failure == null) {
                    loop(thread);
                }
            } finally {
                stopped.countDown();
            }
        }

        /**
         * Warm up, then measure, each for the plan's time in this thread's CPU time, so a machine
         * busy with other work slows the run down but does not change what it measures; a phase
         * also ends at {@link #WALL_FACTOR} times its length in wall-clock time. Thread 0 samples.
         */
        private void loop(int thread) {
            if (primer) {
                steps(thread, PRIME_NANOS, false, warmOps);
                return;
            }
            long warmBefore = THREADS.getCurrentThreadCpuTime();
            try {
                steps(thread, plan.warmup().toNanos(), false, warmOps);
                settle(thread, plan.warmup().toNanos() * 2, warmOps);
            } finally {
                warmCpu[thread] = THREADS.getCurrentThreadCpuTime() - warmBefore;
            }
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            if (thread == 0) {
                samplingCpu = 0;
            }
            begins[thread] = System.nanoTime();
            try {
                steps(thread, plan.measure().toNanos(), thread == 0, measuredOps);
            } finally {
                ends[thread] = System.nanoTime();
                cpu[thread] = THREADS.getCurrentThreadCpuTime() - cpuBefore - (thread == 0 ? samplingCpu : 0);
                garbage[thread] = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            }
        }

        /**
         * Steps until this thread has spent {@code cpuNanos} of CPU (or the wall-clock cap passed) at
         * a point where the run may rest; adds the operations to {@code counts[thread]} batch by batch,
         * so a run that fails keeps what it did.
         */
        private void steps(int thread, long cpuNanos, boolean sampling, long[] counts) {
            Workload.Run r = run;
            long cpuEnd = THREADS.getCurrentThreadCpuTime() + cpuNanos;
            long wallEnd = System.nanoTime() + WALL_FACTOR * cpuNanos;
            long hardEnd = wallEnd + WALL_FACTOR * cpuNanos + HARD_GRACE_NANOS;
            long ops = 0;
            long batch = 1;
            long lastSample = System.nanoTime();
            while (!abort) {
                long began = System.nanoTime();
                boolean due = began >= wallEnd || THREADS.getCurrentThreadCpuTime() >= cpuEnd;
                if (due && (primer || r.atRest(thread))) {
                    break;
                }
                if (began >= hardEnd) {
                    cut = true;
                    break;
                }
                if (due) {
                    // step by step to the end of the pass: batches could keep stepping over it
                    batch = 1;
                }
                long done = 0;
                for (long i = 0; i < batch; i++) {
                    done += r.step(thread);
                }
                ops += done;
                counts[thread] += done;
                long now = System.nanoTime();
                if (now - began < BATCH_NANOS && batch < 1 << 20) {
                    batch <<= 1;
                }
                if (sampling && now - lastSample >= SAMPLE_NANOS) {
                    sample(ops);
                    lastSample = now;
                }
            }
            if (sampling) {
                sample(ops);
            }
        }

        /** Steps on while the JIT compiles, for at most {@code cpuNanos} of CPU; adds the operations to {@code counts[thread]}. */
        private void settle(int thread, long cpuNanos, long[] counts) {
            if (JIT == null || !JIT.isCompilationTimeMonitoringSupported()) {
                return;
            }
            Workload.Run r = run;
            long cpuEnd = THREADS.getCurrentThreadCpuTime() + cpuNanos;
            long wallEnd = System.nanoTime() + WALL_FACTOR * cpuNanos;
            long hardEnd = wallEnd + WALL_FACTOR * cpuNanos + HARD_GRACE_NANOS;
            long compiled = JIT.getTotalCompilationTime();
            long quietSince = System.nanoTime();
            while (!abort) {
                long now = System.nanoTime();
                long total = JIT.getTotalCompilationTime();
                if (total != compiled) {
                    compiled = total;
                    quietSince = now;
                }
                boolean quiet = now - quietSince >= JIT_QUIET_NANOS;
                boolean due = quiet || now >= wallEnd || THREADS.getCurrentThreadCpuTime() >= cpuEnd;
                if (due && r.atRest(thread)) {
                    break;
                }
                if (now >= hardEnd) {
                    cut = true;
                    break;
                }
                long began = now;
                do {
                    counts[thread] += r.step(thread);
                } while (!due && System.nanoTime() - began < BATCH_NANOS);
            }
        }

        private void sample(long ops) {
            long began = THREADS.getCurrentThreadCpuTime();
            long footprint = contender.footprint();
            long live = run.liveBytes();
            long resident = ResidentSet.bytes();
            peakFootprint = Math.max(peakFootprint, footprint);
            peakLive = Math.max(peakLive, live);
            peakResident = Math.max(peakResident, resident);
            if (samples.size() < MAX_SAMPLES) {
                samples.add(new Sample(ops, footprint, live, resident));
            }
            samplingCpu += THREADS.getCurrentThreadCpuTime() - began;
        }

        private void awaitOthers() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** After every thread stopped: the heap map, then everything freed (not after a failure). */
        private void finish() {
            try {
                if (failure == null && skip == null && !primer && workload.mapsHeap()) {
                    HeapMap map = new HeapMap();
                    if (contender.walk(map)) {
                        heapMap = map;
                    }
                }
                if (failure == null && skip == null && run != null) {
                    run.close();
                }
            } catch (Throwable t) {
                fail(t);
            } finally {
                if (contender != null) {
                    try {
                        contender.close();
                    } catch (Throwable t) {
                        fail(t);
                    }
                }
            }
        }

        private void fail(Throwable t) {
            synchronized (this) {
                if (failure == null) {
                    failure = t;
                }
            }
            abort = true;
        }

        /**
         * ns/op is the CPU time of all threads over their operations: one thread's cost per
         * operation, which contention raises and parallelism does not lower. A cell stopped in its
         * warm-up is timed over the warm-up.
         */
        private Measurement result() {
            long measured = sum(measuredOps);
            long ops = measured;
            long elapsed = Math.max(0, max(ends) - min(begins));
            double nsPerOp = measured > 0 ? (double) sum(cpu) / measured : Double.NaN;
            if (measured == 0) {
                ops = sum(warmOps);
                elapsed = System.nanoTime() - startNanos;
                nsPerOp = ops > 0 ? (double) sum(warmCpu) / ops : Double.NaN;
            }
            double garbagePerOp = measured > 0 ? (double) sum(garbage) / measured : Double.NaN;
            String note = failure != null ? describe(failure)
                    : cut ? "cut short: a pass of the trace did not end in time, the heap map is mid-trace" : "";
            return new Measurement(cell, nsPerOp, ops, elapsed, peakFootprint, peakLive,
                    Math.max(0, peakResident - residentAtStart), garbagePerOp, note, samples, heapMap, null);
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof org.allockit.bench.contender.ExhaustedException) {
            return "stopped: " + message;
        }
        return "failed: " + t.getClass().getSimpleName() + ": " + message;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }

    private static long min(long[] values) {
        long best = Long.MAX_VALUE;
        for (long v : values) {
            best = Math.min(best, v);
        }
        return best;
    }

    private static long max(long[] values) {
        long best = 0;
        for (long v : values) {
            best = Math.max(best, v);
        }
        return best;
    }
}
