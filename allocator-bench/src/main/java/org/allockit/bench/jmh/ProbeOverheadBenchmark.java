package org.allockit.bench.jmh;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.Allocators;
import org.allockit.core.MemoryProbe;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What do the dl heap's probe hooks cost when no probe is set? Each metadata access of
 * {@code org.allockit.core.dl.Chunk} and each block report tests {@code HOOKS && probe != null}.
 * The three benchmarks run the same alloc + free pairs of random 16–256 B blocks as
 * {@link PairsBenchmark} on a {@code dl-unlocked} heap:
 * <ul>
 *   <li>{@code hooksCompiledOut} — the baseline: the same jar, the same bytecode, in a JVM started
 *       with {@code -Dallockit.dl.probeHooks=false}, so {@code Chunk.HOOKS} is a constant false
 *       and the JIT removes every hook; this is the allocation path as it would be built without
 *       hooks.</li>
 *   <li>{@code noProbe} — the hooks compiled in, no probe set: what every user pays. The question
 *       is answered by {@code noProbe / hooksCompiledOut}, which should stay within 1.03.</li>
 *   <li>{@code countingProbe} — a probe that counts the accesses, for scale: what watching costs.</li>
 * </ul>
 * Wall-clock time on a shared, loaded machine varies far more than 3% between forks, so each
 * benchmark also reports {@code cpuNanosPerPair}: the benchmark thread's CPU time per pair in each
 * iteration (time the thread spent descheduled does not count). Read the ratio from the
 * per-iteration values (JMH prints them under each iteration; the summary line adds them up): the
 * minimum and the median of {@code noProbe} over those of {@code hooksCompiledOut}.
 * Run: {@code java -jar allocator-bench/target/benchmarks.jar ProbeOverheadBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class ProbeOverheadBenchmark {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int SIZES = 1 << 12;

    /** Counts what it is told; its counts are read at tear-down so the JIT cannot drop them. */
    static final class CountingProbe implements MemoryProbe {
        long accesses;
        long blocks;

        @Override
        public void metadataRead(long address, int size) {
            accesses++;
        }

        @Override
        public void metadataWrite(long address, int size) {
            accesses++;
        }

        @Override
        public void blockAllocated(long address, long requested, long usable) {
            blocks++;
        }
    }

    /** The benchmark thread's CPU time per pair over each iteration, reported beside the wall-clock score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public double cpuNanosPerPair;
        long pairs;
        private long start;

        @Setup(Level.Iteration)
        public void begin() {
            pairs = 0;
            start = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void end() {
            cpuNanosPerPair = (THREADS.getCurrentThreadCpuTime() - start) / (double) Math.max(1, pairs);
        }
    }

    private final long[] sizes = new long[SIZES];
    private int next;
    private Allocator plain;
    private Allocator probed;
    private CountingProbe probe;

    @Setup(Level.Trial)
    public void open() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SIZES; i++) {
            sizes[i] = random.nextLong(16, 257);
        }
        plain = Allocators.create("dl-unlocked");
        probe = new CountingProbe();
        probed = Allocators.create("dl-unlocked", AllocatorOptions.defaults().withProbe(probe));
    }

    @TearDown(Level.Trial)
    public void close() {
        plain.close();
        probed.close();
        if (probe.blocks > 0 && probe.accesses == 0) {
            throw new IllegalStateException("the probe saw blocks but no metadata access");
        }
    }

    private long pair(Allocator heap, CpuTime cpu) {
        cpu.pairs++;
        long size = sizes[next++ & (SIZES - 1)];
        long address = heap.alloc(size);
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, size);
        heap.free(address);
        return address;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-Dallockit.dl.probeHooks=false"})
    public long hooksCompiledOut(CpuTime cpu) {
        return pair(plain, cpu);
    }

    @Benchmark
    public long noProbe(CpuTime cpu) {
        return pair(plain, cpu);
    }

    @Benchmark
    public long countingProbe(CpuTime cpu) {
        return pair(probed, cpu);
    }
}
