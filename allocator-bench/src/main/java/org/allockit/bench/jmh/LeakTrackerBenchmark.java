package org.allockit.bench.jmh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
import org.allockit.leak.LeakOptions;
import org.allockit.leak.LeakTracker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does leak tracking cost at each level, against the bare allocator in the same run? {@code pair}
 * is {@link PairsBenchmark}'s allocate + free of a random 16–256 B block (the tracker's map stays
 * tiny); {@code replace} frees a random one of 4096 live blocks and allocates a new one in its place
 * (the map is large, so its misses count). {@code level=NONE} is the bare allocator. Over a thread-safe
 * allocator the tracker takes a stripe lock per call (one compare-and-set); {@code -p confined=true}
 * measures it without.
 *
 * <pre>java -jar allocator-bench/target/benchmarks.jar LeakTrackerBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class LeakTrackerBenchmark {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int SIZES = 1 << 12;
    private static final int LIVE = 4096;

    @Param({"malloc"})
    public String allocator;

    @Param({"NONE", "COUNT", "SAMPLED", "FULL", "PARANOID"})
    public String level;

    /** {@code true}: the tracker is promised one thread ({@code LeakOptions.withConfinedUse()}) and takes no locks. */
    @Param({"false"})
    public boolean confined;

    private Allocator heap;

    @Setup(Level.Trial)
    public void open() {
        Allocator bare = Allocators.create(allocator);
        LeakOptions options = LeakOptions.of(org.allockit.leak.Level.valueOf(level.equals("NONE") ? "COUNT" : level))
                .withLog(m -> { });
        heap = level.equals("NONE") ? bare : LeakTracker.wrap(bare, confined ? options.withConfinedUse() : options);
    }

    @TearDown(Level.Trial)
    public void close() {
        heap.close();
    }

    /** Per-thread sizes, slot choices and live blocks. */
    @State(Scope.Thread)
    public static class Cursor {
        final long[] sizes = new long[SIZES];
        final int[] slots = new int[SIZES];
        final long[] live = new long[LIVE];
        int next;

        @Setup(Level.Trial)
        public void draw(LeakTrackerBenchmark benchmark) {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < SIZES; i++) {
                sizes[i] = random.nextLong(16, 257);
                slots[i] = random.nextInt(LIVE);
            }
            for (int i = 0; i < LIVE; i++) {
                live[i] = benchmark.heap.alloc(sizes[i]);
            }
        }

        @TearDown(Level.Trial)
        public void freeAll(LeakTrackerBenchmark benchmark) {
            for (long block : live) {
                benchmark.heap.free(block);
            }
        }
    }

    @Benchmark
    public long pair(Cursor cursor) {
        long size = cursor.sizes[cursor.next++ & (SIZES - 1)];
        long address = heap.alloc(size);
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, size);
        heap.free(address);
        return address;
    }

    @Benchmark
    public long replace(Cursor cursor) {
        int i = cursor.next++ & (SIZES - 1);
        int slot = cursor.slots[i];
        heap.free(cursor.live[slot]);
        long address = heap.alloc(cursor.sizes[i]);
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, address);
        cursor.live[slot] = address;
        return address;
    }
}
