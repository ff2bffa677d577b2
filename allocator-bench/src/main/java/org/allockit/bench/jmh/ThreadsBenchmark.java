package org.allockit.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * How does each contender hold up when blocks cross threads? {@code larson} on one and on two
 * threads (each thread's replacements per µs; one in eight blocks is freed by another thread), and
 * {@code xmalloc}, one thread allocating and one freeing (read the {@code blocks} counter: blocks
 * that made the whole trip per µs). Only thread-safe contenders can run these.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Group)
public class ThreadsBenchmark {

    @Param({"malloc", "direct-buffer", "netty-pooled", "netty-adaptive"})
    public String contender;

    private Subject larson;
    private Subject xmalloc;
    private final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
        larson = new Subject(contender, "larson", 2);
        xmalloc = new Subject(contender, "xmalloc", 2);
    }

    @TearDown(Level.Trial)
    public void close() {
        larson.close();
        xmalloc.close();
    }

    /** This thread's index in the larson run. */
    @State(Scope.Thread)
    public static class Index {
        int value;

        @Setup(Level.Trial)
        public void take(ThreadsBenchmark benchmark) {
            value = benchmark.threads.getAndIncrement() % 2;
        }
    }

    /** Blocks freed by the xmalloc consumer, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Trips {
        public long blocks;
    }

    @Benchmark
    @Group("larsonOneThread")
    @GroupThreads(1)
    public long larsonOneThread() {
        return larson.run.step(0);
    }

    @Benchmark
    @Group("larsonTwoThreads")
    @GroupThreads(2)
    public long larsonTwoThreads(Index index) {
        return larson.run.step(index.value);
    }

    @Benchmark
    @Group("xmalloc")
    @GroupThreads(1)
    public long produce() {
        return xmalloc.run.step(0);
    }

    @Benchmark
    @Group("xmalloc")
    @GroupThreads(1)
    public long consume(Trips trips) {
        long freed = xmalloc.run.step(1);
        trips.blocks += freed;
        return freed;
    }
}
