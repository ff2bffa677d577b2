package org.allockit.bench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.allockit.core.trace.Trace;
import org.allockit.core.trace.TraceWriter;
import org.allockit.core.trace.ValgrindImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code allockit import}: converts another tool's record of a program's allocations into a trace. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Convert a recording of a program's allocations into an allockit trace.",
            "valgrind: the log of 'valgrind --trace-malloc=yes PROGRAM ARGS... 2> LOG'. One process per "
                + "trace (--pid; the first by default). Frees of blocks allocated before tracing are dropped; "
                + "realloc(p, 0) becomes a free when the program's allocator freed the block (glibc, valgrind). "
                + "The trace is read back and checked after it is written."},
        footer = {"", "Example: valgrind --trace-malloc=yes sort -n numbers.txt 2> sort.log",
            "         ./allockit import --from valgrind sort.log -o sort.trace.gz"})
final class ImportCommand implements Callable<Integer> {

    /** The recorders allockit reads. */
    enum Source { valgrind }

    @Option(names = "--from", required = true, paramLabel = "TOOL", description = "The recorder: ${COMPLETION-CANDIDATES}.")
    Source from;

    @Parameters(index = "0", paramLabel = "LOG", description = "The recorder's log (plain or .gz).")
    Path log;

    @Option(names = {"-o", "--output"}, paramLabel = "TRACE", description = "The trace to write (.gz: compressed).")
    Path output;

    @Option(names = "--pid", paramLabel = "PID", description = "The process to convert: PID; PID#n for the n-th program it ran (after exec); "
                    + "PID#0 for a forked child before its exec. --list shows them.")
    String pid;

    @Option(names = "--name", paramLabel = "NAME", description = "The trace's name in its header (default: the file name).")
    String name;

    @Option(names = "--note", paramLabel = "TEXT", description = "A header comment, e.g. what the workload was (repeatable).")
    List<String> notes = new ArrayList<>();

    @Option(names = "--list", description = "List the traced processes of the log and exit.")
    boolean list;

    @Override
    public Integer call() {
        ValgrindImporter importer = new ValgrindImporter(log);
        try {
            if (list) {
                for (ValgrindImporter.Process p : importer.processes()) {
                    System.out.printf(Locale.ROOT, "%-10s %,10d calls  %s%n", p.key(), p.calls(), p.command());
                }
                return 0;
            }
            if (output == null) {
                System.err.println("allockit import: missing -o TRACE");
                return 2;
            }
            String traceName = name != null ? name
                    : output.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.trace$", "");
            ValgrindImporter.Result result;
            try (TraceWriter writer = TraceWriter.create(output)) {
                result = importer.convert(pid, traceName, notes, writer);
            }
            Trace check = Trace.read(output);
            System.out.printf(Locale.ROOT, "wrote %s: %,d ops (a %,d, m %,d, r %,d, f %,d), peak live %,d B in %,d blocks, %,d left live%n",
                    output, check.operations(), check.count(Trace.ALLOC), check.count(Trace.ALIGNED),
                    check.count(Trace.REALLOC), check.count(Trace.FREE), check.peakLiveBytes(), check.slotCount(),
                    check.liveAtEnd());
            System.out.printf(Locale.ROOT, "process %s (%s), one of %d traced; dropped %,d frees of blocks allocated before tracing; "
                            + "%,d calls returned NULL; %,d frees lost by the log; %,d calls ignored%n",
                    result.process().key(), result.process().program(), result.processes(), result.droppedFrees(),
                    result.failedCalls(), result.lostFrees(), result.ignoredLines());
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("allockit import: " + e.getMessage());
            return 1;
        }
    }
}
