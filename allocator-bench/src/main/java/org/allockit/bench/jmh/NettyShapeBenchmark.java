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
 * Netty's own allocator benchmark shape: 8192 live 256-byte blocks, one replaced at random per
 * operation (free it, allocate a new one, write its first word), on FastThreadLocalThreads. Netty
 * published adaptive ~36 ns/op and pooled ~99 ns/op for it. Netty's leak detector is off, as in its own runs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=org.allockit.bench.jmh.FastThreadExecutor", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class NettyShapeBenchmark {

    private static final int LIVE = 8192;
    private static final int SIZE = 256;
    private static final int PICKS = 1 << 16;

    @Param({"tc", "malloc", "netty-adaptive", "netty-pooled"})
    public String allocator;

    private Contender contender;
    private final int[] picks = new int[PICKS];
    private int next;

    @Setup(Level.Trial)
    public void open() {
        contender = new Contender(allocator, LIVE);
        for (int slot = 0; slot < LIVE; slot++) {
            contender.allocate(slot, SIZE);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < PICKS; i++) {
            picks[i] = random.nextInt(LIVE);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        for (int slot = 0; slot < LIVE; slot++) {
            contender.free(slot);
        }
        contender.close();
    }

    @Benchmark
    public void replace() {
        contender.replace(picks[next++ & (PICKS - 1)], SIZE);
    }
}
