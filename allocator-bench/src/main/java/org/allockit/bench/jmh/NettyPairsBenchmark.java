package org.allockit.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * How does one allocate + free of a random 16–256 B block compare with Netty's allocators on Netty's
 * best case, a {@code FastThreadLocalThread}? Every contender runs on the same FastThreadLocalThread
 * workers ({@link FastThreadExecutor}); {@code bare-list} is the floor: one free list over a segment.
 * The first word of each block is written; Netty's leak detector is off (its best case).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=org.allockit.bench.jmh.FastThreadExecutor", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class NettyPairsBenchmark {

    private static final int SIZES = 1 << 12;

    @Param({"tc", "malloc", "netty-adaptive", "netty-pooled", "bare-list"})
    public String allocator;

    private Contender contender;
    private final int[] sizes = new int[SIZES];
    private int next;

    @Setup(Level.Trial)
    public void open() {
        if (!(Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread)) {
            throw new IllegalStateException("run with the FastThreadExecutor (see @Fork)");
        }
        contender = new Contender(allocator, 1);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SIZES; i++) {
            sizes[i] = random.nextInt(16, 257);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        contender.close();
    }

    @Benchmark
    public void pair() {
        contender.allocate(0, sizes[next++ & (SIZES - 1)]);
        contender.free(0);
    }
}
