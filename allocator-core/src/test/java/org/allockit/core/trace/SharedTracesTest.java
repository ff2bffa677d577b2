package org.allockit.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample traces of {@code ../shared/traces}: read whole, with the counts their README gives. */
class SharedTracesTest {

    @ParameterizedTest
    @CsvSource({
        "cmake_script,   915057, 1, 0,     915058, 6742,  0",
        "gcc_cc1_wrapt,  714927, 0, 30769, 705398, 10062, 9529",
        "sqlite3_orders, 1079322, 0, 47753, 1079322, 875, 0"})
    void readsSharedTraceWithTheCountsItsReadmeGives(String name, int allocs, int aligned, int reallocs, int frees,
                                                     int maxLive, int liveAtEnd) throws IOException {
        String shared = System.getProperty("allockit.shared");
        assumeTrue(shared != null, "allockit.shared is not set");
        Path file = Path.of(shared, "traces", name + ".trace.gz");
        assumeTrue(Files.isReadable(file), file + " is not there");
        Trace t = Trace.read(file);
        assertEquals(allocs, t.count(Trace.ALLOC));
        assertEquals(aligned, t.count(Trace.ALIGNED));
        assertEquals(reallocs, t.count(Trace.REALLOC));
        assertEquals(frees, t.count(Trace.FREE));
        assertEquals(maxLive, t.slotCount());
        assertEquals(liveAtEnd, t.liveAtEnd());
        assertEquals(name, t.name());
    }
}
