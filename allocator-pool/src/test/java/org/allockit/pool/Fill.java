package org.allockit.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Writes a block's bytes from a tag and checks later that nobody overwrote them. */
public final class Fill {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Fill() {
    }

    public static void write(long address, long size, int tag) {
        for (long i = 0; i < size; i++) {
            ALL.set(ValueLayout.JAVA_BYTE, address + i, (byte) (tag * 31 + i));
        }
    }

    public static void check(long address, long size, int tag) {
        for (long i = 0; i < size; i++) {
            assertEquals((byte) (tag * 31 + i), ALL.get(ValueLayout.JAVA_BYTE, address + i),
                    () -> "block 0x" + Long.toHexString(address) + " of tag " + tag + " was overwritten");
        }
    }
}
