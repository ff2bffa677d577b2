package org.allockit.bench.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.allockit.core.Allocators;
import org.allockit.core.trace.Trace;

/**
 * A small replay measurement until the CLI has a replay command: replays each trace given against
 * one registry allocator with the {@link Replayer} and prints one line per trace with the peak
 * footprint, the resident-set growth and the footprint left after freeing everything and trimming.
 * Run one JVM per allocator so resident-set figures do not mix:
 * {@code java --enable-native-access=ALL-UNNAMED -cp allocator-bench/target/benchmarks.jar
 * org.allockit.bench.replay.ReplayFootprint dl ../shared/traces/*.trace.gz}.
 */
public final class ReplayFootprint {

    private ReplayFootprint() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ReplayFootprint ALLOCATOR TRACE...");
            System.exit(2);
        }
        String allocator = args[0];
        System.out.println("allocator trace ns/op peakLiveMiB peakFootprintMiB peakRssGrowthMiB finalFootprintMiB blocksLeft");
        for (int i = 1; i < args.length; i++) {
            Trace trace = Trace.read(Path.of(args[i]));
            ReplayResult r = new Replayer().replay(trace, () -> Allocators.create(allocator));
            System.out.println(String.format(Locale.ROOT, "%s %s %.1f %.2f %.2f %.2f %.3f %d", r.allocator(), r.trace(),
                    r.nanosPerOperation(), mib(r.peakLiveBytes()), mib(r.peakFootprintBytes()),
                    mib(r.peakRssGrowthBytes()), mib(r.finalFootprintBytes()), r.blocksLeft()));
        }
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
