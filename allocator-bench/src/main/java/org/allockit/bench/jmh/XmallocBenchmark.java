package org.allockit.bench.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
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
import org.openjdk.jmh.infra.Control;

/**
 * The xmalloc-test shape: one thread allocates random 16–256 B blocks and hands them through a
 * single-producer single-consumer ring to another thread that frees them, so every free is a
 * cross-thread free. Both sides spin when the ring is full or empty, so each side's time per
 * operation is the pipeline's time per block.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Group)
public class XmallocBenchmark {

    private static final int RING = 1 << 12;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    @Param({"tc", "malloc"})
    public String allocator;

    private Allocator heap;
    private final long[] ring = new long[RING];
    private final int[] sizes = new int[RING];
    private long produced;
    private long consumed;

    @Setup(Level.Trial)
    public void open() {
        heap = Allocators.create(allocator);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < RING; i++) {
            sizes[i] = random.nextInt(16, 257);
        }
    }

    /** Frees what the consumer left and restarts both sides at slot 0 (an early stop may have skipped one). */
    @TearDown(Level.Iteration)
    public void drain() {
        for (int i = 0; i < RING; i++) {
            long block = (long) SLOT.getAcquire(ring, i);
            if (block != 0) {
                heap.free(block);
                SLOT.setRelease(ring, i, 0L);
            }
        }
        produced = 0;
        consumed = 0;
    }

    @TearDown(Level.Trial)
    public void close() {
        heap.close();
    }

    @Benchmark
    @Group("xmalloc")
    @GroupThreads(1)
    public void produce(Control control) {
        int i = (int) (produced++ & (RING - 1));
        while ((long) SLOT.getAcquire(ring, i) != 0) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        SLOT.setRelease(ring, i, heap.alloc(sizes[i]));
    }

    @Benchmark
    @Group("xmalloc")
    @GroupThreads(1)
    public void consume(Control control) {
        int i = (int) (consumed++ & (RING - 1));
        long block;
        while ((block = (long) SLOT.getAcquire(ring, i)) == 0) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        SLOT.setRelease(ring, i, 0L);
        heap.free(block);
    }
}
