package org.allockit.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TraceReaderTest {

    @TempDir
    Path dir;

    static Path write(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (file.toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
        return file;
    }

    private static final String GOOD = """
            # alloc trace v1
            # name: tiny

            a 0 16
            m 1\t100   64
            r 0 4000
            # a comment in the middle
            f 1
            a 1 0
            f 0
            a 7 8\r
            """;

    @ParameterizedTest
    @MethodSource("suffixes")
    void readsEveryOperationWithItsFields(String suffix) throws IOException {
        Trace t = Trace.read(write(dir.resolve("good.trace" + suffix), GOOD));
        assertEquals(7, t.operations());
        assertEquals(List.of("# alloc trace v1", "# name: tiny"), t.header());
        assertEquals("a 0 16", t.describe(0));
        assertEquals("m 1 100 64", t.describe(1));
        assertEquals(64, t.alignment(1));
        assertEquals(1, t.alignment(0));
        assertEquals(Trace.REALLOC, t.kind(2));
        assertEquals(4000, t.size(2));
        assertEquals(Trace.FREE, t.kind(3));
        assertEquals(100, t.size(3), "a free carries the size of the block it frees");
        assertEquals(7, t.id(6));
        assertEquals(8, t.size(6), "a CRLF line end is not part of the last field");
        assertEquals(4, t.line(0));
        assertEquals(6, t.line(2));
        assertEquals(8, t.line(3));
        assertEquals(11, t.line(6));
        assertEquals(2, t.slotCount(), "at most two blocks are live at once");
        assertEquals(4100, t.peakLiveBytes());
        assertEquals(2, t.peakLiveOperation());
        assertEquals(2, t.liveAtEnd());
        assertEquals(3, t.count(Trace.ALLOC));
        assertEquals("good", t.name());
    }

    @Test
    void givesReusedIdsAndLargeIdsDenseSlots() throws IOException {
        Trace t = Trace.read(write(dir.resolve("ids.trace"),
                "a 2000000000 1\na 5 1\nf 2000000000\na 9 1\nf 5\nf 9\na 5 1\n"));
        int[] slots = new int[t.operations()];
        Arrays.setAll(slots, t::slot);
        assertEquals("[0, 1, 0, 0, 1, 0, 0]", Arrays.toString(slots));
        assertEquals(1, t.line(0), "a trace without header starts at line 1");
        assertEquals(7, t.line(6));
        assertEquals(2, t.slotCount());
    }

    @Test
    void readsALastLineWithoutNewline() throws IOException {
        Trace t = Trace.read(write(dir.resolve("crlf.trace"), "a 1 8\r\nf 1\r"));
        assertEquals(2, t.operations());
        assertEquals(Trace.FREE, t.kind(1));
    }

    @Test
    void readsAnEmptyTrace() throws IOException {
        Trace t = Trace.read(write(dir.resolve("empty.trace"), "# nothing\n\n"));
        assertEquals(0, t.operations());
        assertEquals(-1, t.peakLiveOperation());
    }

    static Stream<String> suffixes() {
        return Stream.of("", ".gz");
    }

    /** Every malformed case of TRACE-FORMAT.md: the text, the bad line, and a piece of the reason. */
    static Stream<Arguments> malformed() {
        List<Arguments> cases = List.of(
                Arguments.of("a 1 8\nx 1 8\n", 2, "unknown operation 'x'"),
                Arguments.of("a 1 8\nalloc 1 8\n", 2, "unknown operation 'alloc'"),
                Arguments.of("A 1 8\n", 1, "unknown operation 'A'"),
                Arguments.of("a 1\n", 1, "missing SIZE (expected a ID SIZE)"),
                Arguments.of("a\n", 1, "missing ID"),
                Arguments.of("m 1 8\n", 1, "missing ALIGN (expected m ID SIZE ALIGN)"),
                Arguments.of("a 1 8\nr 1\n", 2, "missing SIZE (expected r ID SIZE)"),
                Arguments.of("f\n", 1, "missing ID (expected f ID)"),
                Arguments.of("a 1 8 9\n", 1, "extra field '9'"),
                Arguments.of("m 1 8 16 2\n", 1, "extra field '2'"),
                Arguments.of("a 1 8\nr 1 8 8\n", 2, "extra field '8'"),
                Arguments.of("a 1 8\nf 1 8\n", 2, "extra field '8' (expected f ID)"),
                Arguments.of("a -1 8\n", 1, "ID '-1' is negative"),
                Arguments.of("a 1 -8\n", 1, "SIZE '-8' is negative"),
                Arguments.of("m 1 8 -16\n", 1, "ALIGN '-16' is negative"),
                Arguments.of("a one 8\n", 1, "ID 'one' is not a decimal number"),
                Arguments.of("a 1 8k\n", 1, "SIZE '8k' is not a decimal number"),
                Arguments.of("a 1 0x10\n", 1, "SIZE '0x10' is not a decimal number"),
                Arguments.of("a 1 +8\n", 1, "SIZE '+8' is not a decimal number"),
                Arguments.of("a 1 1.5\n", 1, "SIZE '1.5' is not a decimal number"),
                Arguments.of("a 1 99999999999999999999\n", 1, "SIZE 99999999999999999999 is too large"),
                Arguments.of("a 2147483648 8\n", 1, "ID 2147483648 is too large"),
                Arguments.of("m 1 8 24\n", 1, "ALIGN 24 is not a power of two"),
                Arguments.of("m 1 8 0\n", 1, "ALIGN 0 is not a power of two"),
                Arguments.of("a 1 8\n\n# c\na 1 16\n", 4, "ID 1 is already live (allocated at line 1)"),
                Arguments.of("a 1 8\nm 1 16 16\n", 2, "ID 1 is already live"),
                Arguments.of("r 3 8\n", 1, "ID 3 is not live"),
                Arguments.of("f 3\n", 1, "ID 3 is not live"),
                Arguments.of("a 3 8\nf 3\nf 3\n", 3, "ID 3 is not live"),
                Arguments.of("a 3 8\nf 3\nr 3 16\n", 3, "ID 3 is not live"),
                Arguments.of("a 1 9223372036854775807\na 2 1\n", 2, "add up to more than"));
        return cases.stream().flatMap(c -> suffixes().map(s -> Arguments.of(c.get()[0], c.get()[1], c.get()[2], s)));
    }

    @ParameterizedTest(name = "{2} ({3})")
    @MethodSource("malformed")
    void rejectsMalformedTraceWithFileLineAndReason(String text, int line, String reason, String suffix) throws IOException {
        Path file = write(dir.resolve("bad.trace" + suffix), text);
        var e = assertThrows(TraceFormatException.class, () -> Trace.read(file));
        assertEquals(file.toString(), e.source());
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        Path whole = write(dir.resolve("whole.trace.gz"), "a 1 8\nf 1\n".repeat(5000));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.trace.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(TraceFormatException.class, () -> Trace.read(cut));
        assertTrue(e.reason().startsWith("broken gzip stream"), e.getMessage());
        assertTrue(e.line() > 1, "names the line it reached: " + e.getMessage());
    }

    @Test
    void rejectsGzNameWithoutGzipContent() throws IOException {
        Path file = write(dir.resolve("plain.trace"), "a 1 8\n");
        Path renamed = Files.move(file, dir.resolve("plain.trace.gz"));
        var e = assertThrows(TraceFormatException.class, () -> Trace.read(renamed));
        assertEquals("named .gz but not gzip-compressed", e.reason());
    }

    @Test
    void readsGzipContentWhateverTheName() throws IOException {
        Path gz = write(dir.resolve("x.trace.gz"), GOOD);
        Path renamed = Files.move(gz, dir.resolve("x.trace"));
        assertEquals(7, Trace.read(renamed).operations());
    }

    @Test
    void streamingReaderStopsAtTheFirstBadLineAfterGivingTheGoodOnes() throws IOException {
        Path file = write(dir.resolve("s.trace"), "a 1 8\nf 1\nf 1\n");
        try (TraceReader r = TraceReader.open(file)) {
            assertTrue(r.next());
            assertTrue(r.next());
            assertEquals(Trace.FREE, r.kind());
            assertEquals(0, r.liveBlocks());
            assertThrows(TraceFormatException.class, r::next);
        }
    }
}
