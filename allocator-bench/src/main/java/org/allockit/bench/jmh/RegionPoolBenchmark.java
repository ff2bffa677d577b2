package org.allockit.bench.jmh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
import org.allockit.pool.region.RegionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does a block of per-request scratch memory cost, from allocation to release? One "request"
 * allocates 256 random 16–256 B blocks (touching each) and then lets them all go: the region pool
 * bumps and then resets once; glibc malloc (through FFM) mallocs each and frees each. Reported per
 * block.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class RegionPoolBenchmark {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int BLOCKS = 256;

    private final long[] sizes = new long[BLOCKS];
    private final long[] blocks = new long[BLOCKS];
    private RegionPool region;
    private Allocator malloc;

    @Setup(Level.Trial)
    public void open() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < BLOCKS; i++) {
            sizes[i] = random.nextLong(16, 257);
        }
        region = (RegionPool) Allocators.create("region");
        malloc = Allocators.create("malloc");
    }

    @TearDown(Level.Trial)
    public void close() {
        region.close();
        malloc.close();
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void region() {
        RegionPool pool = region;
        for (int i = 0; i < BLOCKS; i++) {
            long address = pool.alloc(sizes[i]);
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, i);
        }
        pool.reset();
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void malloc() {
        Allocator heap = malloc;
        for (int i = 0; i < BLOCKS; i++) {
            long address = heap.alloc(sizes[i]);
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, i);
            blocks[i] = address;
        }
        for (int i = 0; i < BLOCKS; i++) {
            heap.free(blocks[i]);
        }
    }
}
