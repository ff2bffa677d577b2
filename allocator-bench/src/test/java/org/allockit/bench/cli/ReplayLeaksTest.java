package org.allockit.bench.cli;

import static org.allockit.bench.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay --leaks LEVEL}: the blocks a trace leaves live are its leaks, counted exactly. */
class ReplayLeaksTest {

    @TempDir
    Path dir;

    @Test
    void countsExactlyTheBlocksTheTraceLeavesLive() throws IOException {
        Path trace = dir.resolve("leaky.trace");
        Files.writeString(trace, String.join("\n", "# three blocks are never freed", "a 1 100", "a 2 50", "a 3 7",
                "f 2", "r 1 200", "m 4 64 4096", "a 5 0", "f 5", ""));
        for (String level : new String[] {"COUNT", "SAMPLED", "FULL", "PARANOID"}) {
            String[] r = run("replay", "--allocator", "malloc", "--trace", trace.toString(), "--json", "--leaks", level);
            assertEquals("0", r[0], r[2]);
            String json = r[1].strip();
            assertTrue(json.contains("\"blocks_left\":3,"), json);
            assertTrue(json.contains(",\"leaks\":{\"allocator\":\"malloc\",\"level\":\"" + level
                    + "\",\"blocks\":3,\"bytes\":271,"), json);
            assertTrue(json.endsWith("}") && json.lines().count() == 1, json);
        }
    }

    @Test
    void printsTheReportAsText() throws IOException {
        Path trace = dir.resolve("one.trace");
        Files.writeString(trace, "a 1 10\na 2 20\nf 1\n");
        String[] r = run("replay", "--allocator", "malloc", "--trace", trace.toString(), "--leaks", "FULL");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("leaks            malloc (FULL): 1 block, 20 bytes live from 1 site"), r[1]);
    }

    @Test
    void agreesWithTheReplayerOnABundledTrace() {
        String[] r = run("replay", "--allocator", "malloc", "--trace", "perl_hash", "--json", "--leaks", "COUNT");
        assertEquals("0", r[0], r[2]);
        Matcher left = Pattern.compile("\"blocks_left\":(\\d+),").matcher(r[1]);
        Matcher leaks = Pattern.compile("\"leaks\":\\{[^{]*\"blocks\":(\\d+),").matcher(r[1]);
        assertTrue(left.find() && leaks.find(), r[1]);
        assertEquals(left.group(1), leaks.group(1));
    }
}
