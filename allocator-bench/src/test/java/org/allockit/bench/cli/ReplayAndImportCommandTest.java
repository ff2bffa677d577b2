package org.allockit.bench.cli;

import static org.allockit.bench.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayAndImportCommandTest {

    @TempDir
    Path dir;

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
