package org.allockit.bench.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.allockit.bench.sim.AccessTraceReader;
import org.allockit.bench.sim.AllocatorReport;
import org.allockit.bench.sim.AllocatorSimulation;
import org.allockit.bench.sim.CacheGeometry;
import org.allockit.bench.sim.CacheLevel;
import org.allockit.bench.sim.CostModel;
import org.allockit.bench.sim.MalformedTraceException;
import org.allockit.bench.sim.Presets;
import org.allockit.bench.sim.Replacement;
import org.allockit.bench.sim.SimConfig;
import org.allockit.bench.sim.SimWorkload;
import org.allockit.bench.sim.SimulationReport;
import org.allockit.bench.sim.Simulator;
import org.allockit.bench.sim.TlbConfig;
import org.allockit.bench.sim.TraceFormat;
import org.allockit.core.Allocators;
import org.allockit.core.report.JsonWriter;
import org.allockit.core.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code allockit simulate}: replays a memory-access trace (lackey or din, plain or gzip) through the
 * cache/TLB/page simulator and prints what it counted, cachegrind's nine counters first.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a memory-access trace through the cache/TLB/page simulator, or measure an allocator in it.",
            "With --trace alone: a lackey or din access trace (valgrind --tool=lackey --trace-mem=yes); with the "
                + "cachegrind preset its nine counters equal cachegrind's for the same run.",
            "With --allocator: runs an allocation trace (--trace, trace format v1) or a built-in --workload against "
                + "the allocator with a probe feeding the simulator, and splits every figure between the allocator's "
                + "metadata and the user's data."},
        footer = {"", "Examples:", "  ./allockit simulate --trace prog.lackey.gz --preset cachegrind --D1 65536,2,64 --json",
            "  ./allockit simulate --allocator dl --workload traverse --preset skylake-sp"})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Access trace (plain or .gz); with --allocator, an allocation trace.")
    Path trace;

    @Option(names = "--allocator", paramLabel = "NAME", description = "Measure this registry allocator (see './allockit version').")
    String allocator;

    @Option(names = "--workload", paramLabel = "NAME", description = "With --allocator: pairs, churn or traverse.")
    String workload;

    @Option(names = "--format", defaultValue = "lackey", paramLabel = "lackey|din", description = "Trace format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "cachegrind, skylake-sp, host or cachegrind-host (default: cachegrind for a trace, skylake-sp with --allocator).")
    String preset;

    @Option(names = "--I1", paramLabel = "SIZE,WAYS,LINE", description = "First-level instruction cache.")
    String i1;

    @Option(names = "--D1", paramLabel = "SIZE,WAYS,LINE", description = "First-level data cache.")
    String d1;

    @Option(names = "--L2", paramLabel = "SIZE,WAYS,LINE", description = "First shared level.")
    String l2;

    @Option(names = "--L3", paramLabel = "SIZE,WAYS,LINE", description = "Second shared level.")
    String l3;

    @Option(names = "--LL", paramLabel = "SIZE,WAYS,LINE", description = "Last level.")
    String ll;

    @Option(names = "--replacement", paramLabel = "lru|fifo|random|plru", description = "Replacement policy of every level.")
    String replacement;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of random replacement.")
    Long seed;

    @Option(names = "--tlb", negatable = true, description = "Simulate the data TLBs (--no-tlb: don't).")
    Boolean tlb;

    @Option(names = "--dtlb", paramLabel = "ENTRIES,WAYS", description = "First-level TLB for 4 KiB pages.")
    String dtlb;

    @Option(names = "--dtlb-2m", paramLabel = "ENTRIES,WAYS", description = "First-level TLB for 2 MiB pages.")
    String dtlbHuge;

    @Option(names = "--stlb", paramLabel = "ENTRIES,WAYS", description = "Second-level TLB.")
    String stlb;

    @Option(names = "--pages", negatable = true, description = "Simulate pages and faults (--no-pages: don't).")
    Boolean pages;

    @Option(names = "--cost", paramLabel = "NAME=CYCLES,...", description = "Cost figures: l1..l9, memory, stlb, walk, fault.")
    String cost;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        SimConfig config;
        TraceFormat traceFormat;
        try {
            if (allocator == null && (trace == null || workload != null)) {
                throw new IllegalArgumentException("give --trace FILE, or --allocator NAME with --trace or --workload");
            }
            if (allocator != null && (trace == null) == (workload == null)) {
                throw new IllegalArgumentException("with --allocator, give exactly one of --trace and --workload");
            }
            config = configure(this);
            traceFormat = TraceFormat.parse(format);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("allockit simulate: " + e.getMessage());
            return 2;
        }
        return allocator != null ? measureAllocator(config) : replayAccesses(config, traceFormat);
    }

    private Integer measureAllocator(SimConfig config) {
        Trace ops;
        String name;
        int traverseEvery = 0;
        try {
            Allocators.provider(allocator);
            if (workload != null) {
                SimWorkload w = SimWorkload.parse(workload);
                ops = w.trace(1);
                name = w.name().toLowerCase(Locale.ROOT);
                traverseEvery = w.traverseEvery();
            } else {
                ops = Trace.read(trace);
                name = trace.getFileName().toString();
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("allockit simulate: " + e.getMessage());
            return 2;
        }
        AllocatorSimulation.Result result = new AllocatorSimulation(config).run(allocator, ops, name, traverseEvery);
        AllocatorReport report = new AllocatorReport(result);
        System.out.println(json ? report.json() : report.text());
        return 0;
    }

    private Integer replayAccesses(SimConfig config, TraceFormat traceFormat) throws IOException {
        Simulator sim = new Simulator(config);
        AccessTraceReader.Counts counts;
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        try (InputStream in = open(trace)) {
            counts = AccessTraceReader.replay(in, traceFormat, sim);
        } catch (NoSuchFileException e) {
            System.err.println("allockit simulate: no such file " + trace);
            return 2;
        } catch (MalformedTraceException e) {
            System.err.println("allockit simulate: " + trace + ": " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        SimulationReport report = new SimulationReport(sim, CacheLevel.USER);
        if (json) {
            System.out.println(new JsonWriter().beginObject().beginObject("trace").field("file", trace.toString())
                    .field("format", traceFormat.name().toLowerCase(Locale.ROOT)).field("lines", counts.lines())
                    .field("records", counts.records()).field("skipped", counts.skipped())
                    .field("seconds", seconds, 3).field("cpuSeconds", cpuSeconds, 3).end()
                    .raw(report.jsonMembers()).end());
        } else {
            System.out.printf(Locale.ROOT, "trace %s: %,d lines, %,d records, %,d skipped; %.2f s (%.1f M lines/s), "
                            + "%.2f s of CPU (%.1f M lines per CPU-second)%n", trace, counts.lines(), counts.records(),
                    counts.skipped(), seconds, counts.lines() / seconds / 1e6, cpuSeconds, counts.lines() / cpuSeconds / 1e6);
            System.out.print(report.text());
        }
        return 0;
    }

    /** The preset with every override on the command line applied. */
    static SimConfig configure(SimulateCommand o) {
        SimConfig c = Presets.named(o.preset != null ? o.preset : o.allocator != null ? "skylake-sp" : "cachegrind");
        if (o.i1 != null) {
            c = c.withI1(CacheGeometry.parse(o.i1));
        }
        if (o.d1 != null) {
            c = c.withD1(CacheGeometry.parse(o.d1));
        }
        if (o.l2 != null) {
            c = c.withSharedLevel(0, CacheGeometry.parse(o.l2));
        }
        if (o.l3 != null) {
            c = c.withSharedLevel(1, CacheGeometry.parse(o.l3));
        }
        if (o.ll != null) {
            c = c.withLastLevel(CacheGeometry.parse(o.ll));
        }
        if (o.replacement != null || o.seed != null) {
            c = c.withReplacement(o.replacement == null ? c.replacement() : Replacement.parse(o.replacement),
                    o.seed == null ? c.seed() : o.seed);
        }
        boolean tlbWanted = o.tlb != null ? o.tlb : c.tlb() != null || o.dtlb != null || o.dtlbHuge != null || o.stlb != null;
        if (!tlbWanted) {
            c = c.withTlb(null);
        } else {
            TlbConfig t = c.tlb() == null ? TlbConfig.skylake() : c.tlb();
            t = o.dtlb == null ? t : t.withSmall(o.dtlb);
            t = o.dtlbHuge == null ? t : t.withHuge(o.dtlbHuge);
            t = o.stlb == null ? t : t.withSecond(o.stlb);
            c = c.withTlb(t);
        }
        if (o.pages != null) {
            c = c.withPages(o.pages);
        }
        if (o.cost != null) {
            CostModel model = c.cost().with(o.cost);
            c = c.withCost(model);
        }
        return c;
    }

    /** CPU time of the whole process (parsing and simulating threads, JIT and GC included). */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
    }
}
