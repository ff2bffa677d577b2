package org.allockit.bench.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code cachegrind} preset reproduces all nine counters of cachegrind exactly from a lackey
 * trace of the same run, for real programs and several cache configurations (see
 * {@code src/test/resources/sim/README.md} for how they were recorded).
 */
class CachegrindEquivalenceTest {

    static List<Arguments> recordings() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String trace : List.of("true", "sortnums", "sortnums-static")) {
            try (var in = resource(trace + ".cachegrind");
                 var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] f = line.trim().split("\\s+");
                    assertEquals("summary:", f[3], "recording line " + line);
                    long[] expected = Arrays.stream(f, 4, 13).mapToLong(Long::parseLong).toArray();
                    out.add(Arguments.of(trace, f[0], f[1], f[2], expected));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} I1={1} D1={2} LL={3}")
    @MethodSource("recordings")
    void replayEqualsCachegrind(String trace, String i1, String d1, String ll, long[] expected) throws IOException {
        SimConfig config = Presets.cachegrind().withI1(CacheGeometry.parse(i1)).withD1(CacheGeometry.parse(d1))
                .withLastLevel(CacheGeometry.parse(ll));
        Simulator sim = new Simulator(config);
        try (InputStream in = new GZIPInputStream(resource(trace + ".lackey.gz"))) {
            AccessTraceReader.Counts counts = AccessTraceReader.replay(in, TraceFormat.LACKEY, sim);
            assertEquals(counts.lines(), counts.records() + counts.skipped());
        }
        assertArrayEquals(expected, new SimulationReport(sim, CacheLevel.USER).cachegrindCounters(),
                "Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw");
    }

    static InputStream resource(String name) {
        InputStream in = CachegrindEquivalenceTest.class.getResourceAsStream("/sim/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource sim/" + name);
        }
        return in;
    }
}
