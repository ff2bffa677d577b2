package org.allockit.pool.region;

import org.allockit.pool.NativeMemory;

/**
 * Layout of the record that tracks one large allocation of a region pool. The records are themselves
 * small allocations of the pool, linked newest first from the pool's {@code large} head; a record
 * whose allocation was freed keeps {@code address == 0} and may be reused by a later large request.
 *
 * <pre>
 * +---------+---------+---------+
 * | next    | address | size    |
 * +---------+---------+---------+
 * 0         8         16        24 = BYTES
 * </pre>
 */
final class LargeLink {

    static final long NEXT = 0;
    static final long ADDRESS = 8;
    static final long SIZE = 16;
    static final long BYTES = 24;

    private LargeLink() {
    }

    static long next(long link) {
        return NativeMemory.getLong(link + NEXT);
    }

    static long address(long link) {
        return NativeMemory.getLong(link + ADDRESS);
    }

    static long size(long link) {
        return NativeMemory.getLong(link + SIZE);
    }

    static void set(long link, long next, long address, long size) {
        NativeMemory.putLong(link + NEXT, next);
        NativeMemory.putLong(link + ADDRESS, address);
        NativeMemory.putLong(link + SIZE, size);
    }

    /** Marks the record empty: its allocation was given back. */
    static void clear(long link) {
        NativeMemory.putLong(link + ADDRESS, 0);
        NativeMemory.putLong(link + SIZE, 0);
    }

    /** Points an empty record at a new allocation. */
    static void fill(long link, long address, long size) {
        NativeMemory.putLong(link + ADDRESS, address);
        NativeMemory.putLong(link + SIZE, size);
    }
}
