package org.allockit.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.allockit.bench.replay.BundledTraces;
import org.allockit.bench.replay.ReplayException;
import org.allockit.bench.replay.ReplayResult;
import org.allockit.bench.replay.Replayer;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;
import org.allockit.core.Allocators;
import org.allockit.core.report.JsonWriter;
import org.allockit.core.trace.Trace;
import org.allockit.leak.LeakOptions;
import org.allockit.leak.LeakReport;
import org.allockit.leak.LeakTracker;
import org.allockit.leak.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code allockit replay}: replays a trace against one registered allocator and prints what it measured. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay an allocation trace against an allocator and measure it.",
            "Every page of each new block is written, and a per-block pattern is checked before every "
                + "realloc and free: a corrupted block fails the run. Blocks left at the end are freed, then "
                + "the allocator is trimmed and measured again. Footprint and resident set are sampled as "
                + "the replay runs; an allocator that does not know its footprint is measured by the resident set."},
        footer = {"", "Example: ./allockit replay --allocator malloc --trace ../shared/traces/sqlite3_orders.trace.gz --json"})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--allocator", required = true, paramLabel = "NAME",
            description = "Registry name of the allocator (see './allockit version').")
    String allocator;

    @Option(names = "--trace", required = true, paramLabel = "FILE",
            description = "Trace file (plain or .gz), or the name of a bundled trace: openssl_rsa, perl_hash, python_json.")
    String trace;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--sample-every", paramLabel = "OPS", defaultValue = "" + Replayer.DEFAULT_SAMPLE_EVERY,
            description = "Sample footprint and resident set every OPS operations (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--warmup", paramLabel = "RUNS", defaultValue = "0",
            description = "Replay the trace RUNS times first, each against a new allocator, so the JIT has compiled "
                    + "the code before the measured run (default: ${DEFAULT-VALUE}). Times get steadier; the footprint "
                    + "of malloc, which shares the process's heap, then starts from what the warm-up runs kept.")
    int warmup;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the allocator (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--leaks", paramLabel = "LEVEL",
            description = "Wrap the allocator in a leak tracker (COUNT, SAMPLED, FULL, PARANOID) and report the blocks "
                    + "the trace leaves live at its end, by allocation site (under 'leaks' with --json).")
    Level leaks;

    @Override
    public Integer call() {
        AllocatorProvider provider;
        Trace t;
        try {
            provider = Allocators.provider(allocator);
            t = BundledTraces.fileOrBundled(trace);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("allockit replay: " + e.getMessage());
            return 1;
        }
        AllocatorOptions options = AllocatorOptions.defaults();
        for (var setting : settings.entrySet()) {
            options = options.withSetting(setting.getKey(), setting.getValue());
        }
        AllocatorOptions chosen = options;
        Supplier<Allocator> factory = leaks == null ? () -> provider.create(chosen)
                : () -> LeakTracker.wrap(provider.create(chosen), LeakOptions.of(leaks).withLog(message -> { }));
        ReplayResult result;
        LeakReport[] leaked = new LeakReport[1];
        try {
            Replayer replayer = new Replayer(sampleEvery);
            for (int run = 0; run < warmup; run++) {
                replayer.replay(t, factory);
            }
            result = replayer.replay(t, factory, allocator -> {
                if (allocator instanceof LeakTracker tracker) {
                    leaked[0] = tracker.report();
                }
            });
        } catch (ReplayException | IllegalArgumentException e) {
            System.err.println("allockit replay: " + e.getMessage());
            return 1;
        }
        if (json) {
            System.out.println(json(result, t, leaked[0]));
        } else {
            print(result, t, System.out);
            if (leaked[0] != null) {
                System.out.printf(Locale.ROOT, "leaks            %s", leaked[0].toText());
            }
        }
        return 0;
    }

    /**
     * The JSON object of one replay, with its leak report when {@code leaks} is not null; the shoot-out and
     * the tests read these keys.
     */
    static String json(ReplayResult r, Trace t, LeakReport leaks) {
        JsonWriter json = new JsonWriter().beginObject()
                .field("allocator", r.allocator())
                .field("trace", r.trace())
                .field("trace_file", t.source())
                .field("ops", r.operations())
                .field("ns_per_op", r.nanosPerOperation(), 2)
                .field("cpu_ns_per_op", r.cpuNanosPerOperation(), 2)
                .field("peak_live_bytes", r.peakLiveBytes())
                .field("peak_footprint_bytes", r.peakFootprintBytes())
                .field("footprint_per_live", r.footprintPerLive(), 3)
                .field("final_footprint_bytes", r.finalFootprintBytes())
                .field("peak_rss_growth_bytes", r.peakRssGrowthBytes())
                .field("final_rss_growth_bytes", r.finalRssGrowthBytes())
                .field("footprint_source", r.footprintFromRss() ? "rss" : "allocator")
                .field("peak_live_blocks", t.slotCount())
                .field("blocks_left", r.blocksLeft())
                .field("samples", r.samples());
        if (leaks != null) {
            json.rawField("leaks", leaks.toJson());
        }
        return json.end().toString();
    }

    static void print(ReplayResult r, Trace t, PrintStream out) {
        String source = r.footprintFromRss() ? " (resident-set growth: the allocator does not know its footprint)" : "";
        out.printf(Locale.ROOT, "allocator        %s%n", r.allocator());
        out.printf(Locale.ROOT, "trace            %s (%s)%n", r.trace(), t.source());
        out.printf(Locale.ROOT, "ops              %,d (a %,d, m %,d, r %,d, f %,d)%n", r.operations(),
                t.count(Trace.ALLOC), t.count(Trace.ALIGNED), t.count(Trace.REALLOC), t.count(Trace.FREE));
        out.printf(Locale.ROOT, "ns per op        %.1f (CPU time of the replaying thread: %.1f)%n", r.nanosPerOperation(),
                r.cpuNanosPerOperation());
        out.printf(Locale.ROOT, "peak live        %s in at most %,d blocks%n", bytes(r.peakLiveBytes()), t.slotCount());
        out.printf(Locale.ROOT, "peak footprint   %s%s%n", bytes(r.peakFootprintBytes()), source);
        out.printf(Locale.ROOT, "footprint/live   %.2f at the peak%n", r.footprintPerLive());
        out.printf(Locale.ROOT, "final footprint  %s after freeing the %,d blocks left and trimming%n",
                bytes(r.finalFootprintBytes()), r.blocksLeft());
        out.printf(Locale.ROOT, "peak RSS growth  %s (final %s; %,d samples)%n", bytes(r.peakRssGrowthBytes()),
                bytes(r.finalRssGrowthBytes()), r.samples());
    }

    private static String bytes(long n) {
        return n == -1 ? "unknown" : String.format(Locale.ROOT, "%.2f MiB (%,d B)", n / 1048576.0, n);
    }
}
