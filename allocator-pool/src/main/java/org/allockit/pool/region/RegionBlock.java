package org.allockit.pool.region;

import org.allockit.pool.NativeMemory;

/**
 * Layout of one block of a region pool: a header, then the bytes handed out by bumping {@code last}.
 *
 * <pre>
 * block (blockSize bytes from the backing, 16-aligned)
 * +---------+---------+---------+---------+------------------------------+------------------+
 * | last    | end     | next    | failed  | handed out                   | free             |
 * +---------+---------+---------+---------+------------------------------+------------------+
 * 0         8         16        24        32 = DATA                      ^ last             ^ end
 * </pre>
 *
 * Invariant: {@code block + DATA <= last <= end}; {@code next} is the following block or 0;
 * {@code failed} counts the new blocks added while this one could not serve a request.
 */
final class RegionBlock {

    static final long LAST = 0;
    static final long END = 8;
    static final long NEXT = 16;
    static final long FAILED = 24;
    /** Where the handed-out bytes start: the header rounded to the pool alignment. */
    static final long DATA = 32;

    private RegionBlock() {
    }

    /** Writes the header of a fresh block of {@code bytes} bytes at {@code block}. */
    static void init(long block, long bytes) {
        NativeMemory.putLong(block + LAST, block + DATA);
        NativeMemory.putLong(block + END, block + bytes);
        NativeMemory.putLong(block + NEXT, 0);
        NativeMemory.putLong(block + FAILED, 0);
    }

    /** Rewinds a block: everything handed out from it is free again. */
    static void rewind(long block) {
        NativeMemory.putLong(block + LAST, block + DATA);
        NativeMemory.putLong(block + FAILED, 0);
    }

    static long last(long block) {
        return NativeMemory.getLong(block + LAST);
    }

    static void last(long block, long value) {
        NativeMemory.putLong(block + LAST, value);
    }

    static long end(long block) {
        return NativeMemory.getLong(block + END);
    }

    static long next(long block) {
        return NativeMemory.getLong(block + NEXT);
    }

    static void next(long block, long value) {
        NativeMemory.putLong(block + NEXT, value);
    }

    /** Adds one failure and returns the count before it. */
    static long failedIncrement(long block) {
        long failed = NativeMemory.getLong(block + FAILED);
        NativeMemory.putLong(block + FAILED, failed + 1);
        return failed;
    }
}
