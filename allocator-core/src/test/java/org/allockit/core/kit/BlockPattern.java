package org.allockit.core.kit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The bytes the kit writes into a block and later checks: a pattern that depends on a per-block seed
 * and on the offset, so a block that another block overwrote, that moved without its contents, or
 * that was handed out twice reads differently from what was written.
 *
 * <p>Byte {@code i} of a block with seed {@code s} is byte {@code i & 7} (little-endian) of the
 * word {@code s ^ ((i & ~7) * GOLDEN)}; whole words are written and read as longs, the tail byte by
 * byte, so a prefix of any length can be checked against the pattern it was written with.
 * Stateless; any thread.
 */
public final class BlockPattern {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Blocks up to this size are always checked whole. */
    public static final long FULL_CHECK_LIMIT = 64 << 10;
    /** Bytes checked whole at each end of a larger block. */
    public static final long EDGE = 4 << 10;
    /** Between the ends of a larger block, one word in this many bytes is checked. */
    public static final long STRIDE = 256;

    private BlockPattern() {
    }

    /** A seed for the {@code generation}-th write into a block, well mixed so neighbours differ. */
    public static long seed(long block, long generation) {
        long z = block * GOLDEN + generation * 0xBF58476D1CE4E5B9L + 1;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Writes the pattern of {@code seed} into the {@code length} bytes at {@code address}. */
    public static void fill(long address, long length, long seed) {
        long words = length & ~7L;
        for (long i = 0; i < words; i += 8) {
            ALL.set(WORD, address + i, word(seed, i));
        }
        for (long i = words; i < length; i++) {
            ALL.set(ValueLayout.JAVA_BYTE, address + i, expected(seed, i));
        }
    }

    /** The offset of the first of {@code length} bytes at {@code address} that differs from the pattern, or -1. */
    public static long firstMismatch(long address, long length, long seed) {
        return firstMismatch(address, seed, 0, length, 8);
    }

    /**
     * Like {@link #firstMismatch(long, long, long)} for blocks up to {@link #FULL_CHECK_LIMIT} bytes;
     * in larger blocks checks the first and last {@link #EDGE} bytes, where allocators keep headers
     * and neighbours' footers, and one word in every {@link #STRIDE} bytes between them.
     */
    public static long firstMismatchSampled(long address, long length, long seed) {
        if (length <= FULL_CHECK_LIMIT) {
            return firstMismatch(address, length, seed);
        }
        long tail = (length - EDGE) & ~7L;
        long bad = firstMismatch(address, seed, 0, EDGE, 8);
        if (bad < 0) {
            bad = firstMismatch(address, seed, EDGE, tail, STRIDE);
        }
        return bad >= 0 ? bad : firstMismatch(address, seed, tail, length, 8);
    }

    /**
     * Checks the words at {@code from, from + stride, ...} (from a multiple of 8) that end by
     * {@code to}, and when every word is checked ({@code stride == 8}) the bytes after the last one.
     */
    private static long firstMismatch(long address, long seed, long from, long to, long stride) {
        long i = from;
        for (; i + 8 <= to; i += stride) {
            long difference = ALL.get(WORD, address + i) ^ word(seed, i);
            if (difference != 0) {
                return i + Long.numberOfTrailingZeros(difference) / 8;
            }
        }
        for (; stride == 8 && i < to; i++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, address + i) != expected(seed, i)) {
                return i;
            }
        }
        return -1;
    }

    /** The byte the pattern of {@code seed} has at {@code offset}. */
    public static byte expected(long seed, long offset) {
        return (byte) (word(seed, offset & ~7L) >>> ((offset & 7) * 8));
    }

    /** The byte actually at {@code address}. */
    public static byte actual(long address) {
        return ALL.get(ValueLayout.JAVA_BYTE, address);
    }

    private static long word(long seed, long offset) {
        return seed ^ (offset * GOLDEN);
    }
}
