package org.allockit.bench.replay;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The bytes a replay writes into each block and checks before the block is reallocated or freed.
 * Every block gets its own 64-bit key; the byte at offset {@code o} is
 * {@code key >>> 8 * (o % 8) ^ o / 4096} (low byte), written at
 * <pre>
 *   offset:  0 .. 7     4096      8192     ...     size - 1
 *           [key    ]... [b] ...   [b] ...   ...        [b]
 * </pre>
 * The gaps between written bytes are at most {@value #STRIDE}, so every page the block spans is
 * touched (and becomes resident) whatever its alignment. Offsets are relative to the block's start,
 * so a block that moves in a {@code reallocate} can be checked at its new address. Stateless.
 */
final class BlockPattern {

    /** The largest gap between two written bytes: the smallest page size. */
    static final long STRIDE = 4096;

    /** All of memory, so a pattern access is a plain load or store. */
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private BlockPattern() {
    }

    /** A key for the block allocated by operation {@code op}: distinct bytes for distinct blocks. */
    static long key(int op) {
        long z = (op + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }

    /** The byte the pattern of {@code key} has at {@code offset}. */
    static byte at(long key, long offset) {
        return (byte) (key >>> ((offset & 7) << 3) ^ (offset >>> 12));
    }

    /** Writes the pattern of {@code key} into the block of {@code size} bytes at {@code address}. */
    static void write(long address, long size, long key) {
        if (size >= 8) {
            MEMORY.set(ValueLayout.JAVA_LONG_UNALIGNED, address, littleEndian(key));
        } else {
            for (long o = 0; o < size; o++) {
                MEMORY.set(ValueLayout.JAVA_BYTE, address + o, at(key, o));
            }
        }
        for (long o = STRIDE; o < size; o += STRIDE) {
            MEMORY.set(ValueLayout.JAVA_BYTE, address + o, at(key, o));
        }
        if (size > 8) {
            MEMORY.set(ValueLayout.JAVA_BYTE, address + size - 1, at(key, size - 1));
        }
    }

    /**
     * Checks the pattern that {@link #write} put into a block of {@code size} bytes, at the offsets
     * below {@code limit}; returns the first offset that differs, or -1 when all match.
     */
    static long check(long address, long size, long key, long limit) {
        long head = Math.min(Math.min(size, 8), limit);
        boolean headIntact = head == 8
                ? MEMORY.get(ValueLayout.JAVA_LONG_UNALIGNED, address) == littleEndian(key)
                : firstDifference(address, key, 0, head) < 0;
        if (!headIntact) {
            return firstDifference(address, key, 0, head);
        }
        long end = Math.min(size, limit);
        for (long o = STRIDE; o < end; o += STRIDE) {
            if (MEMORY.get(ValueLayout.JAVA_BYTE, address + o) != at(key, o)) {
                return o;
            }
        }
        if (size > 8 && size - 1 < limit && MEMORY.get(ValueLayout.JAVA_BYTE, address + size - 1) != at(key, size - 1)) {
            return size - 1;
        }
        return -1;
    }

    /** The byte now at {@code offset} of the block at {@code address}. */
    static byte found(long address, long offset) {
        return MEMORY.get(ValueLayout.JAVA_BYTE, address + offset);
    }

    private static long firstDifference(long address, long key, long from, long to) {
        for (long o = from; o < to; o++) {
            if (MEMORY.get(ValueLayout.JAVA_BYTE, address + o) != at(key, o)) {
                return o;
            }
        }
        return -1;
    }

    /** The long whose bytes in memory are {@code at(key, 0..7)}, on a machine of either byte order. */
    private static long littleEndian(long key) {
        return LITTLE_ENDIAN ? key : Long.reverseBytes(key);
    }
}
