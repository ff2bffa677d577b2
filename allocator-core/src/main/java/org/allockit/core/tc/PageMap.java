package org.allockit.core.tc;

/**
 * The pagemap: a two-level radix tree from page number ({@code address >>> 13}) to the span that
 * holds the page, so {@code free(address)} finds its span and size class without a header in the
 * block. 47-bit addresses give 34-bit page numbers: a root of 2<sup>17</sup> leaves, each leaf
 * 2<sup>17</sup> entries covering 1 GiB, created when the page heap first maps a page in it.
 *
 * <p>Invariant: every page of every span maps to that span; pages the heap does not own map to null.
 * Written under the page heap's lock; read without a lock by {@code free}: an address the heap handed
 * out was mapped before it was handed out (through the locks of the tiers), and a racy read of a
 * foreign address only finds null or another span, which the caller rejects.
 */
final class PageMap {

    private static final int LEAF_BITS = 17;
    private static final int ROOT_BITS = 47 - SizeClasses.PAGE_SHIFT - LEAF_BITS;
    private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;

    private final Span[][] root = new Span[1 << ROOT_BITS][];

    /** The span holding {@code page}, or null. */
    Span get(long page) {
        if ((page >>> (ROOT_BITS + LEAF_BITS)) != 0) {
            return null;
        }
        Span[] leaf = root[(int) (page >>> LEAF_BITS)];
        return leaf == null ? null : leaf[(int) page & LEAF_MASK];
    }

    /** Maps every page of {@code span} to it. */
    void set(Span span) {
        setRange(span.startPage, span.pages, span);
    }

    /** Maps {@code pages} pages from {@code page} to {@code span} (null to unmap). */
    void setRange(long page, long pages, Span span) {
        for (long p = page; p < page + pages; p++) {
            int top = (int) (p >>> LEAF_BITS);
            Span[] leaf = root[top];
            if (leaf == null) {
                leaf = new Span[1 << LEAF_BITS];
                root[top] = leaf;
            }
            leaf[(int) p & LEAF_MASK] = span;
        }
    }

    /** Drops every leaf: every page maps to null. */
    void clear() {
        java.util.Arrays.fill(root, null);
    }
}
