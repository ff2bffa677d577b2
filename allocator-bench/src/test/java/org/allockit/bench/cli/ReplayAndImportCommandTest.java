package org.allockit.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayAndImportCommandTest {

    @TempDir
    Path dir;

    /** Runs the CLI in this JVM; returns exit code, stdout and stderr. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new Main()).execute(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void replayPrintsOneJsonObjectWithTheFigures() {
        String[] r = run("replay", "--allocator", "malloc", "--trace", "openssl_rsa", "--json");
        assertEquals("0", r[0], r[2]);
        String json = r[1].strip();
        assertTrue(json.startsWith("{\"allocator\":\"malloc\",\"trace\":\"openssl_rsa\","), json);
        assertTrue(json.endsWith("}") && json.lines().count() == 1, json);
        for (String key : new String[] {"ops", "ns_per_op", "peak_live_bytes", "peak_footprint_bytes",
            "final_footprint_bytes", "peak_rss_growth_bytes"}) {
            assertTrue(json.matches(".*\"" + key + "\":[0-9.]+[,}].*"), key + " in " + json);
        }
        assertTrue(json.contains("\"ops\":20611,"), json);
        assertTrue(json.contains("\"peak_live_bytes\":298621,"), json);
    }

    @Test
    void replayPrintsTextByDefault() {
        String[] r = run("replay", "--allocator", "malloc", "--trace", "openssl_rsa");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("ops              20,611 (a 10,267, m 0, r 77, f 10,267)"), r[1]);
        assertTrue(r[1].contains("footprint/live"), r[1]);
    }

    @Test
    void replayRejectsAMalformedTraceNamingFileAndLine() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.trace"), "a 1 8\nf 2\n");
        String[] r = run("replay", "--allocator", "malloc", "--trace", bad.toString());
        assertEquals("1", r[0]);
        assertEquals("allockit replay: " + bad + ":2: \"f 2\": ID 2 is not live", r[2].strip());
    }

    @Test
    void replayNamesTheKnownAllocatorsForAnUnknownOne() {
        String[] r = run("replay", "--allocator", "nope", "--trace", "openssl_rsa");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no allocator named 'nope'; known: ["), r[2]);
    }

    @Test
    void importWritesATraceThatReplayAccepts() throws IOException {
        Path log = Files.writeString(dir.resolve("x.log"), """
                ==7== Command: ./x
                --7-- malloc(100) = 0x1000
                --7-- memalign(al 64, size 200) = 0x2000
                --7-- realloc(0x1000,5000) = 0x3000
                --7-- free(0x2000)
                """);
        Path trace = dir.resolve("x.trace.gz");
        String[] r = run("import", "--from", "valgrind", log.toString(), "-o", trace.toString(), "--note", "hand-written");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("wrote " + trace + ": 4 ops (a 1, m 1, r 1, f 1)"), r[1]);
        String[] replay = run("replay", "--allocator", "malloc", "--trace", trace.toString(), "--json");
        assertEquals("0", replay[0], replay[2]);
        assertTrue(replay[1].contains("\"trace\":\"x\""), replay[1]);
        assertTrue(replay[1].contains("\"blocks_left\":1"), replay[1]);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"import", "replay"}) {
            String[] r = run(command, "--help");
            assertEquals("0", r[0]);
            assertTrue(r[1].startsWith("Usage: allockit " + command), r[1]);
        }
    }
}
