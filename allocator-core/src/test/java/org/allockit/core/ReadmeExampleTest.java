package org.allockit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The usage example in README.md compiles and runs: the README's code block is this test's code. */
class ReadmeExampleTest {

    private static final Path ROOT = Path.of(System.getProperty("allockit.root", ".."));

    @Test
    void exampleRunsAndPrints() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        example(out);
        assertEquals("hello, off-heap\n3 + 4 = 7\n", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readmeShowsThisExample() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String source = Files.readString(ROOT.resolve(
                "allocator-core/src/test/java/org/allockit/core/ReadmeExampleTest.java"));
        String begin = "// README example begins\n";
        String end = "        // README example ends";
        int from = source.lastIndexOf(begin) + begin.length();
        String code = source.substring(from, source.indexOf(end, from));
        String unindented = code.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .reduce("", (a, b) -> a + b + "\n");
        assertTrue(readme.contains(unindented), "README.md must show the example exactly as:\n" + unindented);
    }

    private static void example(PrintStream out) {
        // README example begins
        try (Allocator heap = Allocators.create("malloc")) {
            long address = heap.alloc(64);                   // a native address
            MemorySegment block = heap.segment(address);     // bounds-checked view of its usable bytes
            block.setString(0, "hello, off-heap");
            out.println(block.getString(0));
            heap.free(address);

            MemorySegment pair = heap.allocate(ValueLayout.JAVA_INT, 2); // a SegmentAllocator too
            pair.setAtIndex(ValueLayout.JAVA_INT, 0, 3);
            pair.setAtIndex(ValueLayout.JAVA_INT, 1, 4);
            out.println("3 + 4 = " + (pair.getAtIndex(ValueLayout.JAVA_INT, 0) + pair.getAtIndex(ValueLayout.JAVA_INT, 1)));
            heap.free(pair);
        }
        // README example ends
    }
}
