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
 * How fast does each contender replay a real program's allocations? One whole pass of a sample
 * trace (found in {@code ../shared/traces} from the repository root, or the folder named by
 * {@code -Dallockit.traces}); {@code -p trace=/path/to/file.trace.gz} replays any trace.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class TraceBenchmark {

    @Param({"sqlite3_orders", "gcc_cc1_wrapt", "cmake_script"})
    public String trace;

    @Param({Subject.DEFAULT_CONTENDERS})
    public String contender;

    private Subject subject;

    @Setup(Level.Trial)
    public void open() {
        subject = new Subject(contender, "trace:" + trace, 1);
    }

    @TearDown(Level.Trial)
    public void close() {
        subject.close();
    }

    /** One pass; the next pass begins by freeing what this one left live. */
    @Benchmark
    public long pass() {
        long ops = subject.run.step(0);
        while (!subject.run.atRest(0)) {
            ops += subject.run.step(0);
        }
        return ops;
    }
}
