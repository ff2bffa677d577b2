package org.allockit.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new Main()).execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Path copyResource(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = SimulateCommandTest.class.getResourceAsStream("/sim/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void printsCachegrindCountersAsJsonFromAGzippedTrace(@TempDir Path dir) throws IOException {
        Path trace = copyResource(dir, "true.lackey.gz");
        Run r = run("simulate", "--trace", trace.toString(), "--format", "lackey", "--preset", "cachegrind",
                "--I1", "4096,2,32", "--D1", "8192,4,32", "--LL", "262144,8,64", "--json");
        assertEquals(0, r.code(), r.err());
        String json = r.out().trim();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String counter : new String[] {"\"Ir\":110147", "\"I1mr\":3296", "\"ILmr\":1072", "\"Dr\":26043", "\"D1mr\":2342",
                "\"DLmr\":994", "\"Dw\":10266", "\"D1mw\":687", "\"DLmw\":312", "\"skipped\":24", "\"lines\":146480"}) {
            assertTrue(json.contains(counter), counter + " in " + json);
        }
        assertTrue(json.contains("\"cost\":{\"cycles\":"), json);
    }

    @Test
    void skylakePresetReportsTlbPagesAndCostsInText(@TempDir Path dir) throws IOException {
        Path trace = copyResource(dir, "sortnums-static.lackey.gz");
        Run r = run("simulate", "--trace", trace.toString(), "--preset", "skylake-sp", "--L3", "8M,16,64", "--replacement", "plru");
        assertEquals(0, r.code(), r.err());
        for (String part : new String[] {"L2 ", "L3       8388608,16,64", "STLB", "page walks:", "page faults:", "estimated cycles:", "cost model: L1 4"}) {
            assertTrue(r.out().contains(part), part + " in " + r.out());
        }
    }

    @Test
    void malformedRecordFailsWithItsLineNumber(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("bad.lackey"), "==9== hi\nI  1000,4\n L 10x0,4\n");
        Run r = run("simulate", "--trace", trace.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("line 3: "), r.err());
    }

    @Test
    void rejectsUnknownPresetsAndGeometries(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("t.din"), "0 1000\n");
        assertEquals(2, run("simulate", "--trace", trace.toString(), "--preset", "vax").code());
        Run r = run("simulate", "--trace", trace.toString(), "--format", "din", "--D1", "1000,3,64");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a multiple"), r.err());
        assertEquals(0, run("simulate", "--trace", trace.toString(), "--format", "din", "--no-tlb", "--no-pages",
                "--preset", "host").code());
    }

    @Test
    void measuresARegistryAllocatorOnAWorkload() {
        Run r = run("simulate", "--allocator", "malloc", "--workload", "pairs", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"allocator\":\"malloc\",\"workload\":\"pairs\",\"operations\":100000"), r.out());
        assertTrue(r.out().contains("\"preset\":\"skylake-sp\""), "skylake-sp by default for allocators");
        assertEquals(2, run("simulate", "--allocator", "malloc").code(), "needs --trace or --workload");
        assertEquals(2, run("simulate", "--workload", "pairs").code(), "a workload needs an allocator");
        assertEquals(2, run("simulate", "--allocator", "nope", "--workload", "pairs").code());
    }
}
