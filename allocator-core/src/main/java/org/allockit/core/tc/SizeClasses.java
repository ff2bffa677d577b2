package org.allockit.core.tc;

import java.util.ArrayList;
import java.util.List;

/**
 * The size classes of the tcmalloc-style heap, generated at class load (never hand-typed): every
 * request up to {@link #MAX_SMALL} bytes is rounded up to one of them.
 *
 * <p>The table starts with 8 (alignment 8) and 16 to 128 in steps of 16; above that each class is the
 * largest multiple of its alignment (16, then an eighth of its power of two, at least 128 above
 * 1 KiB) not more than 9/8 of the smallest 16-aligned request it must serve. So for every size over
 * 64 bytes, {@code classSize(classOf(s)) <= 1.125 * roundUp(s, 16)}: the waste of rounding beyond the
 * 16-byte alignment every block has anyway stays at or under 12.5% (see {@link #worstWaste(int)}).
 *
 * <p>Lookup is two array reads: {@link #classOf(long)} reads the class index from a byte table
 * indexed by the size in 8-byte steps up to 1 KiB and in 128-byte steps above, and
 * {@link #size(int)} reads its size. Class 0 means "no class" (a page-level span).
 *
 * <p>Per class: pages per span (the fewest 8 KiB pages whose tail left after the last object is at
 * most an eighth of the span, with at least 8 objects or 64 KiB), and the batch moved between tiers
 * ({@code 64 KiB / size} clamped to [2, 32], as tcmalloc). Immutable; any thread.
 */
public final class SizeClasses {

    /** log2 of the page size of spans. */
    public static final int PAGE_SHIFT = 13;
    /** Pages of spans: 8 KiB. */
    public static final long PAGE = 1L << PAGE_SHIFT;
    /** The largest size served from size classes; larger requests are spans of their own. */
    public static final long MAX_SMALL = 256 * 1024;
    /** Shift of the exact division by multiplication used to find an object's index in its span. */
    static final int RECIPROCAL_SHIFT = 40;

    private static final int SMALL_LOOKUP_LIMIT = 1024;
    private static final int LARGE_LOOKUP_BIAS = (120 << 7) + 127;

    private static final byte[] CLASS_OF;
    private static final int[] SIZE;
    private static final int[] PAGES;
    private static final int[] BATCH;
    private static final int[] OBJECTS;
    private static final long[] RECIPROCAL;

    static {
        List<Integer> sizes = generateSizes();
        int n = sizes.size() + 1;
        SIZE = new int[n];
        PAGES = new int[n];
        BATCH = new int[n];
        OBJECTS = new int[n];
        RECIPROCAL = new long[n];
        for (int cl = 1; cl < n; cl++) {
            int size = sizes.get(cl - 1);
            SIZE[cl] = size;
            PAGES[cl] = pagesFor(size);
            OBJECTS[cl] = (int) (PAGES[cl] * PAGE / size);
            BATCH[cl] = Math.clamp((64 * 1024) / size, 2, 32);
            RECIPROCAL[cl] = (1L << RECIPROCAL_SHIFT) / size + 1;
            if ((PAGES[cl] * PAGE) * size >= 1L << RECIPROCAL_SHIFT) {
                throw new ExceptionInInitializerError("class " + size + ": span too large for exact division");
            }
        }
        CLASS_OF = new byte[lookupIndex(MAX_SMALL) + 1];
        int cl = 1;
        for (int i = 0; i < CLASS_OF.length; i++) {
            long largest = i <= (SMALL_LOOKUP_LIMIT >>> 3) ? (long) i << 3 : ((long) i << 7) - LARGE_LOOKUP_BIAS + 127;
            while (SIZE[cl] < largest) {
                cl++;
            }
            CLASS_OF[i] = (byte) cl;
        }
    }

    private SizeClasses() {
    }

    /** The class sizes, smallest first: 8, 16..128 by 16, then spaced by at most 12.5%, up to 256 KiB. */
    static List<Integer> generateSizes() {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(8);
        for (int s = 16; s <= 128; s += 16) {
            sizes.add(s);
        }
        int c = 128;
        while (c < MAX_SMALL) {
            long candidate = (c + 16L) * 9 / 8;
            long alignment = Math.max(16, Long.highestOneBit(candidate) / 8);
            if (candidate > SMALL_LOOKUP_LIMIT) {
                alignment = Math.max(alignment, 128);
            }
            long next = Math.min(candidate & -alignment, MAX_SMALL);
            c = (int) next;
            sizes.add(c);
        }
        return sizes;
    }

    private static int pagesFor(int size) {
        long wanted = Math.min(8L * size, 64 * 1024);
        for (int pages = 1; ; pages++) {
            long bytes = pages * PAGE;
            if (bytes >= size && bytes >= wanted && (bytes % size) * 8 <= bytes) {
                return pages;
            }
        }
    }

    private static int lookupIndex(long size) {
        return size <= SMALL_LOOKUP_LIMIT ? (int) ((size + 7) >>> 3) : (int) ((size + LARGE_LOOKUP_BIAS) >>> 7);
    }

    /** The class serving {@code size} bytes ({@code 0 <= size <= MAX_SMALL}): one array read. */
    public static int classOf(long size) {
        return CLASS_OF[lookupIndex(size)];
    }

    /** The number of classes, class 0 ("no class") included. */
    public static int count() {
        return SIZE.length;
    }

    /** The object size of class {@code cl}. */
    public static int size(int cl) {
        return SIZE[cl];
    }

    /** Pages in each span of class {@code cl}. */
    public static int pages(int cl) {
        return PAGES[cl];
    }

    /** Objects in each span of class {@code cl}. */
    public static int objectsPerSpan(int cl) {
        return OBJECTS[cl];
    }

    /** Objects moved at once between thread caches, transfer caches and central lists. */
    public static int batch(int cl) {
        return BATCH[cl];
    }

    /** The index of the object at {@code offset} bytes into its span, exact for every offset in a span. */
    static long objectIndex(int cl, long offset) {
        return (offset * RECIPROCAL[cl]) >>> RECIPROCAL_SHIFT;
    }

    /**
     * The worst waste of rounding for class {@code cl} over the 16-aligned requests it serves:
     * {@code (size - smallest) / smallest}, where smallest is the 16-aligned request just above the
     * previous class (0 for the first classes, which serve everything from 1 byte).
     */
    public static double worstWaste(int cl) {
        if (cl <= 1) {
            return 0;
        }
        long smallest = (SIZE[cl - 1] + 16L) & -16L;
        return (double) (SIZE[cl] - smallest) / smallest;
    }

    /** Bytes at the end of each span of class {@code cl} that hold no object. */
    public static long tailWaste(int cl) {
        return PAGES[cl] * PAGE - (long) OBJECTS[cl] * SIZE[cl];
    }
}
