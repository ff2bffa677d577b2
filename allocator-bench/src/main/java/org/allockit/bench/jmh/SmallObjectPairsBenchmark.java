package org.allockit.bench.jmh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does an allocate + free pair of a random 8–256 B small object take, with 4,096 other
 * blocks live? Each invocation replaces 1,024 live blocks, chosen at random, by new ones of random
 * sizes (so frees hit many chunks, not just the last one), touching each new block. Any registry
 * allocator can be named with {@code -p allocator=...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class SmallObjectPairsBenchmark {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int LIVE = 4096;
    private static final int STEPS = 1024;

    @Param({"small", "malloc"})
    public String allocator;

    private Allocator heap;
    private final long[] live = new long[LIVE];
    private final long[] sizes = new long[LIVE];
    private final int[] victims = new int[LIVE];
    private int next;

    @Setup(Level.Trial)
    public void open() {
        heap = Allocators.create(allocator);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < LIVE; i++) {
            sizes[i] = random.nextLong(8, 257);
            victims[i] = random.nextInt(LIVE);
            live[i] = heap.alloc(sizes[i]);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        for (long block : live) {
            heap.free(block);
        }
        heap.close();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public void pair() {
        Allocator h = heap;
        int n = next;
        for (int i = 0; i < STEPS; i++, n++) {
            int victim = victims[n & (LIVE - 1)];
            h.free(live[victim]);
            long size = sizes[(n * 7) & (LIVE - 1)];
            long address = h.alloc(size);
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, size);
            live[victim] = address;
        }
        next = n;
    }
}
