package org.allockit.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.allockit.bench.workload.Traverse;
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
 * How well does an allocator place blocks for the code that walks them? The {@code traverse}
 * workload: a 100,000-node list of mixed sizes, every other node freed and reallocated, walked
 * end to end; the score is per node visited, so cache and TLB misses from scattered nodes show.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class TraverseBenchmark {

    @Param({Subject.DEFAULT_CONTENDERS + ",arena-slicing"})
    public String contender;

    private Subject subject;

    @Setup(Level.Trial)
    public void open() {
        subject = new Subject(contender, "traverse", 1);
    }

    @TearDown(Level.Trial)
    public void close() {
        subject.close();
    }

    @Benchmark
    @OperationsPerInvocation(Traverse.NODES)
    public long walk() {
        return subject.run.step(0);
    }
}
