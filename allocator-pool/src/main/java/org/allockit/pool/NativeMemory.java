package org.allockit.pool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain loads and stores at native addresses, for the pools' off-heap headers and in-block free
 * lists. One segment spans all memory, so the accesses compile to single moves with no bounds to
 * check; callers pass only addresses inside memory they own. Stateless and thread-safe.
 */
public final class NativeMemory {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NativeMemory() {
    }

    public static long getLong(long address) {
        return ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
    }

    public static void putLong(long address, long value) {
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, value);
    }

    /** The unsigned byte at {@code address}. */
    public static int getByte(long address) {
        return ALL.get(ValueLayout.JAVA_BYTE, address) & 0xFF;
    }

    public static void putByte(long address, int value) {
        ALL.set(ValueLayout.JAVA_BYTE, address, (byte) value);
    }

    /** Copies {@code bytes} bytes between two native ranges that may overlap. */
    public static void copy(long from, long to, long bytes) {
        MemorySegment.copy(ALL, from, ALL, to, bytes);
    }

    /** Rounds {@code value} up to a multiple of {@code alignment}, a power of two. */
    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
