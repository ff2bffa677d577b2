package org.allockit.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ShootoutCommandTest {

    private static String run(String... args) {
        PrintStream console = System.out;
        PrintStream progress = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(0, new CommandLine(new Main()).execute(args));
        } finally {
            System.setOut(console);
            System.setErr(progress);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheTablesWritesTheReportAndComparesWithAnOlderRun(@TempDir Path folder) throws Exception {
        Path report = folder.resolve("report");
        String first = run("shootout", "--contenders", "malloc,direct-buffer", "--workloads", "pairs", "--budget", "1",
                "--out", report.toString());
        assertTrue(first.contains("pairs: allocate a random 16-256 B block"), first);
        assertTrue(first.contains("direct-buffer"), first);
        assertTrue(Files.exists(report.resolve("report.html")));
        Path old = report.resolve("results.json");
        assertTrue(Files.readString(old).contains("\"contender\": \"direct-buffer\""));

        Path json = folder.resolve("new.json");
        String second = run("shootout", "--contenders", "malloc,direct-buffer", "--workloads", "pairs", "--budget", "1",
                "--out", report.toString(), "--json", json.toString(), "--compare", old.toString());
        assertTrue(Files.exists(json));
        assertTrue(second.contains("compared with"), second);
        assertTrue(second.lines().anyMatch(line -> line.startsWith("direct-buffer") && line.contains("pairs")), second);
    }

    @Test
    void quickRunsTheBuiltInWorkloadsAndOneSampleTrace() {
        ShootoutCommand command = new ShootoutCommand();
        new CommandLine(command).parseArgs("--quick");
        var plan = command.plan();
        assertEquals(9, plan.workloads().size(), plan.workloads().toString());
        assertTrue(plan.workloads().getLast().startsWith("trace:"));
        assertTrue(plan.estimate().toSeconds() <= 60, plan.estimate().toString());
    }
}
