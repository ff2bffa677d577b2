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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does one allocate + free pair of a random 16–256 B block take? The block's first word is
 * written so the memory is touched. Sizes come from a pre-drawn table, so the benchmark itself
 * allocates nothing. Any registry allocator can be named with {@code -p allocator=...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class PairsBenchmark {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int SIZES = 1 << 12;

    @Param({"malloc"})
    public String allocator;

    private Allocator heap;

    @Setup(Level.Trial)
    public void open() {
        heap = Allocators.create(allocator);
    }

    @TearDown(Level.Trial)
    public void close() {
        heap.close();
    }

    /** Per-thread cursor over the shared size table, so 2-thread runs do not share a counter. */
    @State(Scope.Thread)
    public static class Cursor {
        final long[] sizes = new long[SIZES];
        int next;

        @Setup(Level.Trial)
        public void draw() {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < SIZES; i++) {
                sizes[i] = random.nextLong(16, 257);
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
}
