package org.allockit.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValgrindImporterTest {

    @TempDir
    Path dir;

    /** The converted trace of {@code log} (process {@code key}, or the first), comments left out. */
    private String convert(String log, String key) throws IOException {
        Path file = TraceReaderTest.write(dir.resolve("test.log"), log);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TraceWriter out = new TraceWriter(bytes)) {
            new ValgrindImporter(file).convert(key, "test", List.of(), out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        Trace.read(new java.io.ByteArrayInputStream(bytes.toByteArray()), "converted", false);
        return text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"));
    }

    private static final String PREAMBLE = """
            ==100== Memcheck, a memory error detector
            ==100== Command: ./prog --flag arg
            ==100==\s
            """;

    @Test
    void convertsEveryKindOfCallValgrindPrints() throws IOException {
        String log = PREAMBLE + """
                --100-- malloc(48) = 0x4A40040
                --100-- calloc(3,16) = 0x4A400B0
                --100-- memalign(al 64, size 100) = 0x4A401C0
                --100-- _Znwm(4) = 0x4D6DC80
                --100-- _Znam(40) = 0x4D6DCD0
                --100-- _ZnamSt11align_val_t(size 100, al 64) = 0x4D6DD80
                --100-- realloc(0x4A40040,4000) = 0x4A41880
                --100-- _ZdlPvm(0x4D6DC80)
                --100-- _ZdaPv(0x4D6DCD0)
                --100-- _ZdaPvSt11align_val_t(0x4D6DD80)
                --100-- free(0x4A41880)
                --100-- free(0x4A401C0)
                """;
        assertEquals("""
                a 0 48
                a 1 48
                m 2 100 64
                a 3 4
                a 4 40
                m 5 100 64
                r 0 4000
                f 3
                f 4
                f 5
                f 0
                f 2""", convert(log, null));
    }

    @Test
    void reallocOfNullIsAMallocInBothSpellings() throws IOException {
        String log = PREAMBLE + """
                --100-- realloc(0x0,8)malloc(8) = 0x1000
                --100-- realloc(0x0,16) = 0x2000
                --100-- malloc(24) = 0x3000
                """;
        assertEquals("a 0 8\na 1 16\na 2 24", convert(log, null));
    }

    @Test
    void reallocToZeroThatFreesBecomesAFree() throws IOException {
        String log = PREAMBLE + """
                --100-- malloc(48) = 0x1000
                --100-- realloc(0x1000,0)free(0x1000)
                --100--  = 0
                --100-- malloc(8) = 0x2000
                """;
        assertEquals("a 0 48\nf 0\na 0 8", convert(log, null));
    }

    @Test
    void reallocToZeroThatReturnsABlockKeepsItLive() throws IOException {
        String log = PREAMBLE + """
                --100-- malloc(48) = 0x1000
                --100-- realloc(0x1000,0) = 0x1010
                --100-- free(0x1010)
                """;
        assertEquals("a 0 48\nr 0 0\nf 0", convert(log, null));
    }

    @Test
    void dropsFreesOfBlocksAllocatedBeforeTracingAndNullFrees() throws IOException {
        Path file = TraceReaderTest.write(dir.resolve("pre.log"), PREAMBLE + """
                --100-- free(0x9999)
                --100-- free(0x0)
                --100-- malloc(8) = 0x1000
                --100-- realloc(0x8888,32) = 0x2000
                --100-- free(0x1000)
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ValgrindImporter.Result r;
        try (TraceWriter out = new TraceWriter(bytes)) {
            r = new ValgrindImporter(file).convert(null, "pre", List.of("workload: none"), out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, r.droppedFrees());
        assertEquals(1, r.liveAtEnd());
        assertTrue(text.contains("a 0 8\na 1 32\nf 0\n"), text);
        assertTrue(text.startsWith("""
                # alloc trace v1
                # name: pre
                # program: ./prog
                # command: ./prog --flag arg
                """), text);
        assertTrue(text.contains("# pid: 100 (one of 1 traced processes)\n# workload: none\n"), text);
    }

    @Test
    void failedCallsChangeNothing() throws IOException {
        String log = PREAMBLE + """
                --100-- malloc(4611686018427387904) = 0x0
                --100-- malloc(8) = 0x1000
                --100-- realloc(0x1000,4611686018427387904) = 0x0
                --100-- calloc(4611686018427387904,16) = 0x0
                --100-- free(0x1000)
                """;
        assertEquals("a 0 8\nf 0", convert(log, null));
    }

    @Test
    void keepsOneProcessAndFindsMessagesAfterProgramOutput() throws IOException {
        String log = PREAMBLE + """
                ==200== Command: /usr/bin/child
                --100-- malloc(8) = 0x1000
                --200-- malloc(16) = 0x1000
                program output without a newline--100-- malloc(24) = 0x2000
                --200-- free(0x1000)
                some program line with -- dashes
                --100-- free(0x1000)
                """;
        assertEquals("a 0 8\na 1 24\nf 0", convert(log, null));
        assertEquals("a 0 16\nf 0", convert(log, "200"));
        var e = assertThrows(IllegalArgumentException.class, () -> convert(log, "300"));
        assertTrue(e.getMessage().contains("no process 300 in the log; traced: [100, 200]"), e.getMessage());
    }

    @Test
    void anExecStartsANewProcess() throws IOException {
        String log = PREAMBLE + """
                --100-- malloc(8) = 0x1000
                ==100== Command: /bin/sort -n
                --100-- malloc(32) = 0x1000
                --100-- free(0x1000)
                """;
        assertEquals("a 0 8", convert(log, "100"));
        assertEquals("a 0 32\nf 0", convert(log, "100#2"));
        Path file = dir.resolve("test.log");
        List<ValgrindImporter.Process> processes = new ValgrindImporter(file).processes();
        assertEquals(List.of("100", "100#2"), processes.stream().map(ValgrindImporter.Process::key).toList());
        assertEquals("/bin/sort", processes.get(1).program());
        assertEquals(2, processes.get(1).calls());
    }

    @Test
    void aForkedChildBeforeItsExecIsAProcessOfItsOwn() throws IOException {
        String log = PREAMBLE + """
                --100-- malloc(8) = 0x1000
                --300-- free(0x1000)
                --300-- malloc(64) = 0x5000
                ==300== Command: /usr/bin/sort
                --300-- malloc(16) = 0x5000
                --300-- free(0x5000)
                """;
        assertEquals("a 0 16\nf 0", convert(log, "300"));
        assertEquals("a 0 64", convert(log, "300#0"));
        List<ValgrindImporter.Process> processes = new ValgrindImporter(dir.resolve("test.log")).processes();
        assertEquals(List.of("100", "300#0", "300"), processes.stream().map(ValgrindImporter.Process::key).toList());
        assertTrue(processes.get(1).command().startsWith("unknown"), processes.get(1).command());
    }

    @Test
    void anAddressAllocatedAgainWhileLiveFreesTheOldBlock() throws IOException {
        String log = PREAMBLE + """
                --100-- malloc(8) = 0x1000
                --100-- malloc(16) = 0x2000
                --100-- malloc(32) = 0x1000
                --100-- realloc(0x2000,64) = 0x1000
                """;
        assertEquals("a 0 8\na 1 16\nf 0\na 0 32\nf 0\nr 1 64", convert(log, null));
    }

    @Test
    void roundsAnAlignmentThatIsNotAPowerOfTwoUp() throws IOException {
        assertEquals("m 0 10 32\nm 1 10 1", convert(PREAMBLE + """
                --100-- memalign(al 24, size 10) = 0x1000
                --100-- memalign(al 0, size 10) = 0x2000
                """, null));
    }

    @Test
    void ignoresOtherCallsAndTruncatedLines() throws IOException {
        Path file = TraceReaderTest.write(dir.resolve("other.log.gz"), PREAMBLE + """
                --100-- malloc(8) = 0x1000
                --100-- malloc_usable_size(0x1000) = 8
                --100-- malloc(16)
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ValgrindImporter.Result r;
        try (TraceWriter out = new TraceWriter(bytes)) {
            r = new ValgrindImporter(file).convert(null, "other", List.of(), out);
        }
        assertEquals(1, r.operations());
        assertEquals(2, r.ignoredLines());
    }

    @Test
    void refusesALogWithoutMallocTrace() throws IOException {
        var e = assertThrows(IllegalArgumentException.class, () -> convert(PREAMBLE, null));
        assertTrue(e.getMessage().contains("--trace-malloc=yes"), e.getMessage());
    }

    @Test
    void convertsAFreshValgrindLog() throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "vg", ".log");
        Process p;
        try {
            p = new ProcessBuilder("valgrind", "--trace-malloc=yes", "sort", "-n")
                    .redirectInput(TraceReaderTest.write(dir.resolve("in.txt"), "3\n1\n2\n").toFile())
                    .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("valgrind is not installed");
            return;
        }
        assertEquals(0, p.waitFor());
        Path trace = dir.resolve("sort.trace.gz");
        try (TraceWriter out = TraceWriter.create(trace)) {
            new ValgrindImporter(log).convert(null, "sort", List.of(), out);
        }
        Trace t = Trace.read(trace);
        assertTrue(t.count(Trace.ALLOC) > 10, "sort allocates: " + t.count(Trace.ALLOC));
        assertTrue(t.header().contains("# command: sort -n"), t.header().toString());
    }
}
