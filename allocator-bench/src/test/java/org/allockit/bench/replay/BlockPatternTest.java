package org.allockit.bench.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.ResidentSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockPatternTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 7, 8, 9, 4095, 4096, 4097, 12289, 20000})
    void findsEveryWrittenByteChanged(long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(Math.max(size, 1));
            long key = BlockPattern.key(42);
            BlockPattern.write(block.address(), size, key);
            assertEquals(-1, BlockPattern.check(block.address(), size, key, size));
            for (long o = 0; o < size; o++) {
                byte b = block.get(ValueLayout.JAVA_BYTE, o);
                block.set(ValueLayout.JAVA_BYTE, o, (byte) ~b);
                long found = BlockPattern.check(block.address(), size, key, size);
                boolean written = o < 8 || o % BlockPattern.STRIDE == 0 || o == size - 1;
                assertEquals(written ? o : -1, found, "offset " + o + " of " + size);
                assertEquals(-1, BlockPattern.check(block.address(), size, key, o), "only offsets below the limit count");
                block.set(ValueLayout.JAVA_BYTE, o, b);
            }
        }
    }

    @Test
    void blocksOfOtherOperationsDoNotMatch() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(64);
            BlockPattern.write(block.address(), 64, BlockPattern.key(1));
            assertEquals(0, BlockPattern.check(block.address(), 64, BlockPattern.key(2), 64));
        }
    }

    @Test
    void touchesEveryPageOfAnUnalignedBlock() {
        PageSource pages = PageSource.os();
        long bytes = 64L << 20;
        long region = pages.reserve(bytes, pages.pageSize());
        try {
            long before = ResidentSet.bytes();
            // The block starts 100 bytes into its first page and ends 100 bytes before the last page's end.
            BlockPattern.write(region + 100, bytes - 200, BlockPattern.key(7));
            long grown = ResidentSet.bytes() - before;
            assertTrue(grown >= bytes - (1 << 20), "64 MiB block made only " + grown + " bytes resident");
        } finally {
            pages.release(region, bytes);
        }
    }
}
