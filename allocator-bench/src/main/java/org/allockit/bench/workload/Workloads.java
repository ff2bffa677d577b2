package org.allockit.bench.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.allockit.bench.replay.BundledTraces;
import org.allockit.core.trace.Trace;

/**
 * The workloads by name. The built-in ones are listed here; {@code trace:NAME} replays a trace
 * bundled in the jar ({@link BundledTraces}: the default trace workloads), {@code trace:FILE} any
 * trace file, and {@code trace:NAME} also finds the larger sample traces beside the repository
 * ({@code ../shared/traces}, or the folder the {@code allockit.traces} property names). {@code trace}
 * alone stands for every bundled trace. Traces are read once per process and kept.
 */
public final class Workloads {

    public static final String TRACE_PREFIX = "trace:";

    private static final Map<String, Supplier<Workload>> BUILT_IN = Map.of(
            Pairs.NAME, Pairs::new,
            "netty", Churn::netty,
            "pareto", Churn::pareto,
            Larson.NAME, Larson::new,
            Xmalloc.NAME, Xmalloc::new,
            Realloc.NAME, Realloc::new,
            "large", Churn::large,
            Traverse.NAME, Traverse::new);

    /** The built-in workloads in the order the report shows them. */
    public static final List<String> BUILT_IN_ORDER =
            List.of("pairs", "netty", "pareto", "larson", "xmalloc", "realloc", "large", "traverse");

    private static final Map<String, Trace> TRACES = new ConcurrentHashMap<>();

    private Workloads() {
    }

    /**
     * The workload called {@code name}: a built-in one, {@code trace:FILE}, or {@code trace:NAME}
     * for a sample trace by its name.
     */
    public static Workload create(String name) {
        Supplier<Workload> builtIn = BUILT_IN.get(name);
        if (builtIn != null) {
            return builtIn.get();
        }
        if (name.startsWith(TRACE_PREFIX)) {
            return new TraceWorkload(trace(name.substring(TRACE_PREFIX.length())));
        }
        throw new IllegalArgumentException("no workload named '" + name + "'; known: " + BUILT_IN_ORDER
                + ", trace:FILE, the bundled traces " + bundledTraceNames() + " and the sample traces " + sampleTraceNames());
    }

    /**
     * Expands a list of names: {@code trace} alone means every bundled trace; the rest are kept.
     */
    public static List<String> expand(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.equals("trace")) {
                out.addAll(bundledTraceNames());
            } else {
                out.add(name);
            }
        }
        return out;
    }

    /** {@code trace:NAME} for each trace bundled in the jar, smallest first. */
    public static List<String> bundledTraceNames() {
        return BundledTraces.NAMES.stream().map(n -> TRACE_PREFIX + n).toList();
    }

    /** {@code trace:NAME} for each sample trace beside the repository, smallest file first; empty when none is there. */
    public static List<String> sampleTraceNames() {
        return sampleTraces().stream().map(p -> TRACE_PREFIX + traceName(p)).toList();
    }

    /** The sample trace files, smallest first. */
    public static List<Path> sampleTraces() {
        Path folder = traceFolder();
        if (folder == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().matches(".*\\.trace(\\.gz)?"))
                    .sorted(java.util.Comparator.comparingLong(Workloads::sizeOf)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path traceFolder() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("allockit.traces");
        if (property != null) {
            candidates.add(Path.of(property));
        }
        String shared = System.getProperty("allockit.shared");
        if (shared != null) {
            candidates.add(Path.of(shared, "traces"));
        }
        candidates.add(Path.of("../shared/traces"));
        candidates.add(Path.of("shared/traces"));
        return candidates.stream().filter(Files::isDirectory).findFirst().orElse(null);
    }

    /** The trace in file {@code nameOrFile}, else the bundled trace of that name, else the sample trace. */
    private static Trace trace(String nameOrFile) {
        return TRACES.computeIfAbsent(nameOrFile, key -> {
            try {
                Path file = Path.of(key);
                if (Files.isRegularFile(file)) {
                    return Trace.read(file);
                }
                if (BundledTraces.NAMES.contains(key)) {
                    return BundledTraces.read(key);
                }
                for (Path sample : sampleTraces()) {
                    if (traceName(sample).equals(key)) {
                        return Trace.read(sample);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read trace " + key, e);
            }
            throw new IllegalArgumentException("no trace file '" + key + "', and no bundled " + BundledTraces.NAMES
                    + " or sample " + sampleTraceNames() + " trace of that name");
        });
    }

    private static String traceName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.trace$", "");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
