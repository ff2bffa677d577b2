package org.allockit.bench.jmh;

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
 * How long does one allocate + free pair of a random 16–256 B block take? The {@code pairs}
 * workload: each block is written and read back before it is freed; sizes come from a pre-drawn
 * table, so the benchmark itself allocates nothing. Any registry allocator can be named with
 * {@code -p contender=...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class PairsBenchmark {

    @Param({Subject.DEFAULT_CONTENDERS})
    public String contender;

    private Subject subject;

    @Setup(Level.Trial)
    public void open() {
        subject = new Subject(contender, "pairs", 1);
    }

    @TearDown(Level.Trial)
    public void close() {
        subject.close();
    }

    @Benchmark
    public long pair() {
        return subject.run.step(0);
    }
}
