package org.allockit.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.allockit.bench.contender.Contenders;
import org.allockit.bench.sim.Presets;
import org.allockit.bench.shootout.Comparison;
import org.allockit.bench.shootout.Plan;
import org.allockit.bench.shootout.Progress;
import org.allockit.bench.shootout.Report;
import org.allockit.bench.shootout.Results;
import org.allockit.bench.shootout.ResultsJson;
import org.allockit.bench.shootout.Shootout;
import org.allockit.bench.shootout.Table;
import org.allockit.bench.workload.Workloads;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code allockit shootout}: every contender on every workload, a table per workload, a report
 * folder with charts and heap maps, and a JSON results file.
 */
@Command(name = "shootout", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Every allocator of the registry against glibc malloc, JDK arenas, direct ByteBuffers and Netty,",
                "on every workload. Prints a table per workload; writes report.md, report.html, the charts and",
                "results.json into the report folder."})
final class ShootoutCommand implements Callable<Integer> {

    /** The default run's budget for its cells; start-up, trace reading and drawing come on top. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(200);
    static final Duration QUICK_BUDGET = Duration.ofSeconds(35);
    static final Duration FULL_WARMUP = Duration.ofMillis(1500);
    static final Duration FULL_MEASURE = Duration.ofSeconds(3);

    static final class Length {
        @Option(names = "--quick", description = "About a minute: shorter cells, the smallest bundled trace only.")
        boolean quick;

        @Option(names = "--full", description = "Everything, longer: 1.5 s warm-up and 3 s measurement per cell, "
                + "and the larger sample traces of ../shared/traces when they are there.")
        boolean full;
    }

    @ArgGroup(exclusive = true)
    Length length = new Length();

    @Option(names = "--contenders", split = ",", paramLabel = "NAME",
            description = "Contenders to run (default: all): registry names, arena-confined, arena-slicing, direct-buffer, netty-pooled, netty-adaptive.")
    List<String> contenders;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            description = "Workloads to run (default: all): pairs, netty, pareto, larson, xmalloc, realloc, large, "
                    + "traverse, trace (every bundled trace), trace:NAME (bundled or sample) or trace:FILE.")
    List<String> workloads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "shootout-report",
            description = "The report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Where to write the results (default: DIR/results.json).")
    Path json;

    @Option(names = "--compare", paramLabel = "OLD.json", description = "Print this run's ratios to an older results file.")
    Path compare;

    @Option(names = "--no-sim", description = "Skip the simulated pass (the sim misses and cycles columns show –).")
    boolean noSim;

    @Option(names = "--sim-preset", paramLabel = "NAME", defaultValue = Shootout.SIM_PRESET,
            description = "The simulator's configuration for the sim columns: cachegrind, skylake-sp, host or cachegrind-host "
                    + "(default: ${DEFAULT-VALUE}).")
    String simPreset;

    @Option(names = "--budget", paramLabel = "SECONDS",
            description = "Share this many seconds between the cells instead of the default's or --quick's.")
    Integer budget;

    @Override
    public Integer call() throws IOException {
        PrintStream console = System.out;
        Plan plan = plan();
        Shootout shootout = new Shootout(plan, noSim ? null : Presets.named(simPreset));
        console.printf("allockit shootout: %d contenders × %d workloads = %d cells, about %s%n",
                plan.contenders().size(), plan.workloads().size(), plan.cells().size(), minutes(plan.estimate()));
        Results results;
        try (Progress progress = new Progress(System.err, plan.warmup().plus(plan.measure()))) {
            results = shootout.run(progress);
        }
        results.tables().forEach((workload, threads) -> threads.forEach(
                t -> console.println(Table.of(results, workload, t).text())));
        List<Path> written = Report.write(results, shootout, "./allockit shootout " + String.join(" ", arguments()), out);
        Path jsonFile = json != null ? json : out.resolve("results.json");
        if (jsonFile.getParent() != null) {
            Files.createDirectories(jsonFile.getParent());
        }
        Files.writeString(jsonFile, ResultsJson.write(results));
        console.printf("report: %s (%d files), %s; results: %s%n", out.resolve(Report.HTML), written.size(),
                out.resolve(Report.MARKDOWN), jsonFile);
        if (compare != null) {
            console.println("compared with " + compare + " (new/old below 1 = faster now):");
            console.print(Comparison.text(Comparison.compare(ResultsJson.read(Files.readString(compare)),
                    ResultsJson.entries(results))));
        }
        return 0;
    }

    Plan plan() {
        List<String> who = contenders != null ? contenders : Contenders.names();
        List<String> what;
        if (workloads != null) {
            what = Workloads.expand(workloads);
        } else {
            what = new ArrayList<>(Workloads.BUILT_IN_ORDER);
            List<String> bundled = Workloads.bundledTraceNames();
            what.addAll(length.quick ? bundled.subList(0, 1) : bundled);
            if (length.full) {
                what.addAll(Workloads.sampleTraceNames());
            }
        }
        if (length.full && budget == null) {
            return new Plan(who, what, FULL_WARMUP, FULL_MEASURE, Plan.SEED);
        }
        Duration share = budget != null ? Duration.ofSeconds(budget) : length.quick ? QUICK_BUDGET : DEFAULT_BUDGET;
        return Plan.within(share, who, what);
    }

    private List<String> arguments() {
        List<String> args = new ArrayList<>();
        if (length.quick) {
            args.add("--quick");
        }
        if (length.full) {
            args.add("--full");
        }
        if (contenders != null) {
            args.add("--contenders " + String.join(",", contenders));
        }
        if (workloads != null) {
            args.add("--workloads " + String.join(",", workloads));
        }
        if (budget != null) {
            args.add("--budget " + budget);
        }
        if (noSim) {
            args.add("--no-sim");
        } else if (!simPreset.equals(Shootout.SIM_PRESET)) {
            args.add("--sim-preset " + simPreset);
        }
        return args;
    }

    private static String minutes(Duration d) {
        return d.toSeconds() / 60 + " min " + d.toSeconds() % 60 + " s of measuring";
    }
}
