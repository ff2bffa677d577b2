package org.allockit.bench.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.allockit.core.Allocators;
import org.allockit.core.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundledTracesTest {

    @ParameterizedTest
    @CsvSource({
        "openssl_rsa, 20611, 298621, 5783, 0",
        "perl_hash, 100434, 6465786, 41747, 1537",
        "python_json, 205376, 4090447, 43423, 475"})
    void replaysBundledTraceAgainstMalloc(String name, int ops, long peakLive, int maxLive, int left) throws IOException {
        Trace t = BundledTraces.read(name);
        assertEquals(ops, t.operations());
        assertEquals(maxLive, t.slotCount());
        assertTrue(t.header().stream().anyMatch(h -> h.startsWith("# command: ")), "the header names the command");
        ReplayResult r = new Replayer().replay(t, () -> Allocators.create("malloc"));
        assertEquals(name, r.trace());
        assertEquals(ops, r.operations());
        assertEquals(peakLive, r.peakLiveBytes());
        assertEquals(left, r.blocksLeft());
    }

    @Test
    void namesTheBundledTracesWhenAskedForAnother() {
        var e = assertThrows(IllegalArgumentException.class, () -> BundledTraces.fileOrBundled("no_such_trace"));
        assertEquals("no trace file no_such_trace (bundled traces: [openssl_rsa, perl_hash, python_json])", e.getMessage());
    }
}
