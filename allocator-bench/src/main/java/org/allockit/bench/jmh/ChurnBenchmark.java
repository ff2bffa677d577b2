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
 * What does replacing one block of a live working set cost, by block size? One operation of the
 * {@code netty} (8192 × 256 B), {@code pareto} (10,000 blocks of 16 B–1 KiB), {@code large}
 * (16 × 1–8 MiB) or {@code realloc} (buffers grown by appends to 4 MiB) workload.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class ChurnBenchmark {

    @Param({"netty", "pareto", "large", "realloc"})
    public String workload;

    @Param({Subject.DEFAULT_CONTENDERS})
    public String contender;

    private Subject subject;

    @Setup(Level.Trial)
    public void open() {
        subject = new Subject(contender, workload, 1);
    }

    @TearDown(Level.Trial)
    public void close() {
        subject.close();
    }

    @Benchmark
    public long replace() {
        return subject.run.step(0);
    }
}
