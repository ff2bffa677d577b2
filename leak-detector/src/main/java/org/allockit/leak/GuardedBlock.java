package org.allockit.leak;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The layout of a block under {@link Level#PARANOID}: the user's bytes sit between two red zones
 * filled with known patterns, inside one allocation of the wrapped allocator. A write before or
 * after the block changes a red zone, seen when the block is freed; a freed block's bytes are filled
 * with the poison pattern, so a write after free is seen when the block leaves the quarantine.
 *
 * <pre>
 *  allocation                       block = allocation + front             block + size
 *  |<- padding ->|<- front zone --->|<------------ size bytes ------------>|<-- back zone -->|
 *                 redZone x 0xFA     user's bytes (0xFD once freed)          redZone x 0xFB
 *  front = redZone rounded up to max(alignment, 16), so the block keeps the alignment asked for;
 *  allocation size = front + size + redZone.
 * </pre>
 *
 * Offsets in reports are relative to the block: negative before it, {@code >= size} after it.
 * Stateless; safe from any thread for blocks the caller owns.
 */
final class GuardedBlock {

    static final byte FRONT = (byte) 0xFA;
    static final byte BACK = (byte) 0xFB;
    static final byte FREED = (byte) 0xFD;

    /** Every byte of memory, for reading and writing blocks by address. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int PATTERN_BYTES = 4096;
    private static final MemorySegment FRONT_PATTERN = pattern(FRONT);
    private static final MemorySegment BACK_PATTERN = pattern(BACK);
    private static final MemorySegment FREED_PATTERN = pattern(FREED);

    /** What {@link #firstBad} returns when every byte holds its pattern. */
    static final long INTACT = Long.MIN_VALUE;

    private GuardedBlock() {
    }

    /** Bytes before the block: the red zone, rounded up so the block keeps its alignment. */
    static int front(int redZone, long alignment) {
        long unit = Math.max(alignment, 16);
        return (int) Math.min(Integer.MAX_VALUE, (redZone + unit - 1) / unit * unit);
    }

    /** Fills both red zones of a new block at {@code block}. */
    static void arm(long block, long size, int redZone) {
        ALL.asSlice(block - redZone, redZone).fill(FRONT);
        ALL.asSlice(block + size, redZone).fill(BACK);
    }

    /**
     * The offset from the block of the first byte (in address order) of either red zone that lost
     * its pattern, or {@link #INTACT}.
     */
    static long firstBadRedZoneByte(long block, long size, int redZone) {
        long bad = firstBad(block - redZone, redZone, FRONT_PATTERN);
        if (bad != INTACT) {
            return bad - redZone;
        }
        bad = firstBad(block + size, redZone, BACK_PATTERN);
        return bad == INTACT ? INTACT : size + bad;
    }

    /** Fills a freed block's bytes with the poison pattern. */
    static void poison(long block, long size) {
        ALL.asSlice(block, size).fill(FREED);
    }

    /** The offset of the first byte of a freed block that lost the poison pattern, or {@link #INTACT}. */
    static long firstUnpoisoned(long block, long size) {
        return firstBad(block, size, FREED_PATTERN);
    }

    /** Copies {@code bytes} bytes between blocks (for reallocation). */
    static void copy(long from, long to, long bytes) {
        MemorySegment.copy(ALL, from, ALL, to, bytes);
    }

    private static long firstBad(long address, long bytes, MemorySegment pattern) {
        for (long done = 0; done < bytes; done += PATTERN_BYTES) {
            long n = Math.min(PATTERN_BYTES, bytes - done);
            long at = MemorySegment.mismatch(ALL, address + done, address + done + n, pattern, 0, n);
            if (at >= 0) {
                return done + at;
            }
        }
        return INTACT;
    }

    private static MemorySegment pattern(byte value) {
        return Arena.global().allocate(PATTERN_BYTES).fill(value);
    }
}
