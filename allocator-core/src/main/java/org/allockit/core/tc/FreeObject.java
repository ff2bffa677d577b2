package org.allockit.core.tc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The layout of a free object: its first word links it to the next free object of the same list
 * (a thread cache's, a span's), 0 ending the list. Objects in use carry no header at all.
 *
 * <pre>
 *   free object (8 .. 262144 bytes)
 *   +0  +--------------------------+
 *       | next free object (8 B)   |
 *   +8  +--------------------------+
 *       | (unused)                 |
 *       +--------------------------+
 * </pre>
 *
 * Reads and writes go through one segment over all memory, so they compile to plain loads and stores.
 * The caller owns the list it walks (its thread, or the lock of the list).
 */
final class FreeObject {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    /** Offset of the link. */
    static final int NEXT = 0;

    private FreeObject() {
    }

    static long next(long object) {
        return ALL.get(WORD, object + NEXT);
    }

    static void setNext(long object, long next) {
        ALL.set(WORD, object + NEXT, next);
    }

    /** Copies {@code bytes} bytes between blocks (for reallocate). */
    static void copy(long from, long to, long bytes) {
        MemorySegment.copy(ALL, from, ALL, to, bytes);
    }
}
