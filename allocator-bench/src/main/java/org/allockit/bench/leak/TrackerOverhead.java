package org.allockit.bench.leak;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
import org.allockit.leak.LeakOptions;
import org.allockit.leak.LeakTracker;
import org.allockit.leak.Level;

/**
 * How much slower is a tracked allocator than the bare one, on a machine too noisy for JMH's error
 * bars? Alternates a loop of allocate + free pairs (random 16–256 B) on the bare allocator with the
 * same loop on a tracked one, in one JVM, and prints the median of the per-round ratios: load that
 * comes and goes hits both halves of a round alike.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *   -cp allocator-bench/target/benchmarks.jar org.allockit.bench.leak.TrackerOverhead dl COUNT [confined]</pre>
 */
public final class TrackerOverhead {

    private static final long[] SIZES = new SplittableRandom(42).longs(4096, 16, 257).toArray();
    private static final int ROUNDS = 21;
    private static final int WARMUP_ROUNDS = 5;

    private TrackerOverhead() {
    }

    public static void main(String[] args) {
        String name = args[0];
        Level level = Level.valueOf(args[1]);
        boolean confined = args.length > 2 && args[2].equals("confined");
        LeakOptions options = LeakOptions.of(level).withLog(message -> { });
        Allocator bare = Allocators.create(name);
        Allocator tracked = LeakTracker.wrap(Allocators.create(name), confined ? options.withConfinedUse() : options);
        int pairs = level.ordinal() >= Level.FULL.ordinal() ? 2_000 : 300_000;
        double[] bareNanos = new double[ROUNDS];
        double[] trackedNanos = new double[ROUNDS];
        double[] ratios = new double[ROUNDS];
        long sink = 0;
        for (int r = -WARMUP_ROUNDS; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            sink += loop(bare, pairs);
            long t1 = System.nanoTime();
            sink += loop(tracked, pairs);
            long t2 = System.nanoTime();
            if (r >= 0) {
                bareNanos[r] = (t1 - t0) / (double) pairs;
                trackedNanos[r] = (t2 - t1) / (double) pairs;
                ratios[r] = trackedNanos[r] / bareNanos[r];
            }
        }
        Arrays.sort(bareNanos);
        Arrays.sort(trackedNanos);
        Arrays.sort(ratios);
        System.out.printf("%s %s%s: bare median %.1f ns/pair, tracked median %.1f ns/pair, median ratio %.2f (%d)%n",
                name, level, confined ? " confined" : "", bareNanos[ROUNDS / 2], trackedNanos[ROUNDS / 2],
                ratios[ROUNDS / 2], sink & 1);
        tracked.close();
        bare.close();
    }

    /** Allocate + free pairs; the call site sees two receivers (bare and tracked), which HotSpot inlines both. */
    private static long loop(Allocator heap, int pairs) {
        long sum = 0;
        for (int i = 0; i < pairs; i++) {
            long block = heap.alloc(SIZES[i & (SIZES.length - 1)]);
            sum += block;
            heap.free(block);
        }
        return sum;
    }
}
