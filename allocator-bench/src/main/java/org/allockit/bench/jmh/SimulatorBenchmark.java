package org.allockit.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.allockit.bench.sim.Presets;
import org.allockit.bench.sim.Simulator;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many simulated accesses per second the simulator takes when fed in process (no trace file),
 * with the {@code skylake-sp} preset's caches, TLBs and pages on. The stream mimics a program: an
 * instruction fetch, then a data access that is either a stack-like hot location, a sequential walk
 * or a random line of a 64 MiB heap (one in eight writes). Expect ~0 B/op under {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SimulatorBenchmark {

    private static final int BATCH = 1 << 16;
    private static final long HEAP = 0x7f00_0000_0000L;
    private static final long HEAP_BYTES = 64L << 20;

    @Param({"skylake-sp", "cachegrind"})
    public String preset;

    private Simulator sim;
    private final long[] addresses = new long[BATCH];
    private final byte[] kinds = new byte[BATCH];
    private int at;

    @Setup(Level.Trial)
    public void setUp() {
        sim = new Simulator(Presets.named(preset));
        long state = 0x2545F4914F6CDD1DL;
        long walk = HEAP;
        for (int i = 0; i < BATCH; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            int pick = (int) (state >>> 60);
            if ((i & 1) == 0) {
                kinds[i] = 0;
                addresses[i] = 0x40_0000L + ((state >>> 20) & 0x3fff);
            } else if (pick < 8) {
                kinds[i] = (byte) (pick == 0 ? 2 : 1);
                addresses[i] = 0x7ffc_0000_0000L + ((state >>> 30) & 0x3f8);
            } else if (pick < 12) {
                kinds[i] = 1;
                walk = walk + 8 >= HEAP + HEAP_BYTES ? HEAP : walk + 8;
                addresses[i] = walk;
            } else {
                kinds[i] = (byte) (pick == 15 ? 2 : 1);
                addresses[i] = HEAP + ((state >>> 8) % HEAP_BYTES & ~7L);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public long access() {
        Simulator s = sim;
        long[] a = addresses;
        byte[] k = kinds;
        int i = at;
        for (int n = 0; n < 1024; n++, i = (i + 1) & (BATCH - 1)) {
            switch (k[i]) {
                case 0 -> s.fetch(a[i], 4);
                case 1 -> s.read(a[i], 8);
                default -> s.write(a[i], 8);
            }
        }
        at = i;
        return s.time();
    }
}
