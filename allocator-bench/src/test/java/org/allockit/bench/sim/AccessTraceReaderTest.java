package org.allockit.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessTraceReaderTest {

    private static final int U = CacheLevel.USER;

    private static AccessTraceReader.Counts replay(String text, TraceFormat format, Simulator sim) throws IOException {
        return AccessTraceReader.replay(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), format, sim);
    }

    @Test
    void readsLackeyRecordsAndSkipsValgrindLines() throws IOException {
        Simulator sim = new Simulator(Presets.cachegrind());
        String trace = "==123== Lackey, an example Valgrind tool\n"
                + "I  04001100,3\n"
                + " L 1ffefffd78,8\n"
                + " S 04022e60,8\n"
                + " M 04022e60,4\n"
                + "--123-- warning: something\n"
                + "**123** valgrind: an error\n"
                + "I  04001103,5";
        AccessTraceReader.Counts counts = replay(trace, TraceFormat.LACKEY, sim);
        assertEquals(new AccessTraceReader.Counts(8, 5, 3), counts);
        CacheHierarchy c = sim.caches();
        assertEquals(2, c.instructions().accesses(U, CacheLevel.FETCH));
        assertEquals(1, c.instructions().misses(U, CacheLevel.FETCH), "both fetches are in one line");
        assertEquals(2, c.data().accesses(U, CacheLevel.READ), "M counts as a read");
        assertEquals(1, c.data().accesses(U, CacheLevel.WRITE));
        assertTrue(c.data().holds(0x1ffefffd78L >>> 6));
    }

    @Test
    void malformedRecordStopsWithItsLineNumber() {
        Simulator sim = new Simulator(Presets.cachegrind());
        for (String bad : new String[] {" X 1000,4", "I  1000;4", "I  1000,", "I  1000,0", " L zz,4", "hello", "", " L 1000,4 extra",
                "I  12345678901234567,4"}) {
            MalformedTraceException e = assertThrows(MalformedTraceException.class,
                    () -> replay("==1== x\nI  1000,4\n" + bad + "\nI  1004,4\n", TraceFormat.LACKEY, sim), bad);
            assertEquals(3, e.line(), bad);
            assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
        }
    }

    @Test
    void linesSplitAcrossReadsAreJoined() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            b.append("I  ").append(Long.toHexString(0x400000L + 64L * i)).append(",4\n");
            b.append(" S ").append(Long.toHexString(0x7ff000000L + 8L * i)).append(",8\r\n");
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] : -1;
            }

            @Override
            public int read(byte[] into, int off, int len) {
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 7 + at % 13), bytes.length - at);
                System.arraycopy(bytes, at, into, off, n);
                at += n;
                return n;
            }
        };
        Simulator sim = new Simulator(Presets.cachegrind());
        assertEquals(new AccessTraceReader.Counts(200_000, 200_000, 0), AccessTraceReader.replay(trickle, TraceFormat.LACKEY, sim));
        assertEquals(100_000, sim.caches().instructions().misses(U, CacheLevel.FETCH));
        assertEquals(100_000 / 8, sim.caches().data().misses(U, CacheLevel.WRITE));
    }

    @Test
    void failuresAfterManyBatchesKeepTheirLineAndCause() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 150_000; i++) {
            b.append(" L ").append(Long.toHexString(0x10000L + 8L * i)).append(",8\n");
        }
        String good = b.toString();
        Simulator sim = new Simulator(Presets.cachegrind());
        MalformedTraceException e = assertThrows(MalformedTraceException.class,
                () -> replay(good + " L 10,8,9\n", TraceFormat.LACKEY, sim));
        assertEquals(150_001, e.line());
        assertEquals(150_000, sim.caches().data().accesses(U, CacheLevel.READ), "the records before it were simulated");
        byte[] bytes = good.getBytes(StandardCharsets.US_ASCII);
        InputStream failing = new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at == bytes.length) {
                    throw new IOException("disk gone");
                }
                return bytes[at++];
            }
        };
        IOException io = assertThrows(IOException.class,
                () -> AccessTraceReader.replay(failing, TraceFormat.LACKEY, new Simulator(Presets.cachegrind())));
        assertEquals("disk gone", io.getMessage());
    }

    @Test
    void readsDinWithOptionalSizesAndEscapes() throws IOException {
        Simulator sim = new Simulator(Presets.cachegrind());
        String trace = "2 400100\n0 0x7ff0\t8\n1 7ff8\n3 0\n4 0\n2 40013e 4\n";
        assertEquals(new AccessTraceReader.Counts(6, 4, 2), replay(trace, TraceFormat.DIN, sim));
        CacheHierarchy c = sim.caches();
        assertEquals(2, c.instructions().accesses(U, CacheLevel.FETCH));
        assertEquals(2, c.instructions().misses(U, CacheLevel.FETCH), "the second fetch spans into the next line");
        assertEquals(1, c.data().accesses(U, CacheLevel.READ));
        assertEquals(1, c.data().accesses(U, CacheLevel.WRITE));
        MalformedTraceException e = assertThrows(MalformedTraceException.class,
                () -> replay("0 10\n7 20\n", TraceFormat.DIN, sim));
        assertEquals(2, e.line());
        assertEquals(2, assertThrows(MalformedTraceException.class, () -> replay("0 10\n0 20 4 4\n", TraceFormat.DIN, sim)).line());
    }
}
