package org.allockit.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
import org.allockit.core.Feature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * The issues' speed figure: one {@code alloc} + {@code free} of a random 16–256 B block, nothing
 * else (no touch of the block, sizes from a pre-drawn table), on one thread and on two threads
 * sharing one heap. Throughput in pairs per µs; with two threads JMH sums both, so
 * {@code twoThreads / oneThread} is the scaling. Any registry allocator can be named with
 * {@code -p contender=...}; {@code twoThreads} refuses one that is not {@link Feature#THREAD_SAFE}
 * (run only {@code oneThread} for those: {@code MallocFreeBenchmark.oneThread}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class MallocFreeBenchmark {

    private static final int SIZES = 1 << 12;

    @Param({"malloc", "dl", "pt", "tc"})
    public String contender;

    private Allocator heap;
    private boolean threadSafe;

    @Setup(Level.Trial)
    public void open() {
        heap = Allocators.create(contender);
        threadSafe = heap.features().contains(Feature.THREAD_SAFE);
    }

    @TearDown(Level.Trial)
    public void close() {
        heap.close();
    }

    /** One thread's sizes and its place in them. */
    @State(Scope.Thread)
    public static class Draws {
        final int[] sizes = new int[SIZES];
        int next;

        @Setup(Level.Trial)
        public void draw() {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
            for (int i = 0; i < SIZES; i++) {
                sizes[i] = random.nextInt(16, 257);
            }
        }

        int size() {
            return sizes[next++ & (SIZES - 1)];
        }
    }

    @Benchmark
    @Group("oneThread")
    @GroupThreads(1)
    public long oneThread(Draws draws) {
        return pair(draws);
    }

    @Benchmark
    @Group("twoThreads")
    @GroupThreads(2)
    public long twoThreads(Draws draws) {
        if (!threadSafe) {
            throw new IllegalStateException(contender + " is not thread-safe: run MallocFreeBenchmark.oneThread only");
        }
        return pair(draws);
    }

    private long pair(Draws draws) {
        long address = heap.alloc(draws.size());
        heap.free(address);
        return address;
    }
}
