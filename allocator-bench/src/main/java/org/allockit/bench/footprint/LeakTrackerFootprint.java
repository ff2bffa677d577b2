package org.allockit.bench.footprint;

import org.allockit.core.Allocators;
import org.allockit.leak.LeakOptions;
import org.allockit.leak.LeakTracker;
import org.allockit.leak.Level;
import org.openjdk.jol.info.GraphLayout;

/**
 * How much Java heap does a FULL tracker use per live block? Allocates one million 16-byte blocks
 * from 100 distinct stacks through {@code LeakTracker.wrap(malloc, FULL)} and measures the tracker's
 * object graph with JOL before and after.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -Djol.magicFieldOffset=true \
 *   -Djdk.attach.allowAttachSelf=true -Xmx2g -cp allocator-bench/target/benchmarks.jar org.allockit.bench.footprint.LeakTrackerFootprint [blocks] [level]</pre>
 */
public final class LeakTrackerFootprint {

    private LeakTrackerFootprint() {
    }

    public static void main(String[] args) {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Level level = args.length > 1 ? Level.valueOf(args[1]) : Level.FULL;
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"), LeakOptions.of(level).withLog(m -> { }));
        long[] live = new long[blocks];
        for (int i = 0; i < 100; i++) {      // every site seen once, so the baseline holds the site table
            tracker.free(fromSite(tracker, i, 2));
        }
        long before = GraphLayout.parseInstance(tracker).totalSize();
        for (int i = 0; i < blocks; i++) {
            live[i] = fromSite(tracker, i % 100, 2);
        }
        long after = GraphLayout.parseInstance(tracker).totalSize();
        System.out.printf("%s: %d live blocks from %d sites: tracker heap %d B before, %d B after, %.1f B per block%n",
                level, tracker.report().blocks(), tracker.report().sites().size(), before, after,
                (after - before) / (double) blocks);
        System.out.println(GraphLayout.parseInstance(tracker).toFootprint());
        for (long block : live) {
            tracker.free(block);
        }
        tracker.close();
    }

    /** Allocates from one of 100 distinct stacks: each digit of {@code site} picks one of ten call lines. */
    private static long fromSite(LeakTracker tracker, int site, int digits) {
        if (digits == 0) {
            return tracker.alloc(16);
        }
        int rest = site / 10;
        return switch (site % 10) {
            case 0 -> fromSite(tracker, rest, digits - 1);
            case 1 -> fromSite(tracker, rest, digits - 1);
            case 2 -> fromSite(tracker, rest, digits - 1);
            case 3 -> fromSite(tracker, rest, digits - 1);
            case 4 -> fromSite(tracker, rest, digits - 1);
            case 5 -> fromSite(tracker, rest, digits - 1);
            case 6 -> fromSite(tracker, rest, digits - 1);
            case 7 -> fromSite(tracker, rest, digits - 1);
            case 8 -> fromSite(tracker, rest, digits - 1);
            default -> fromSite(tracker, rest, digits - 1);
        };
    }
}
