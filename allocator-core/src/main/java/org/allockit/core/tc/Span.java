package org.allockit.core.tc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A run of {@link SizeClasses#PAGE 8 KiB} pages, the unit the page heap hands out: free (in a free
 * list of the page heap, perhaps released to the OS), a small span cut into objects of one size class,
 * or a large span holding one block.
 *
 * <p>A small span keeps its free objects in a list threaded through the objects themselves plus a
 * bump range never handed out yet, so a new span touches no page until its objects are used:
 * {@code allocated + |freeList| + (bumpEnd - bump) / size == objects}. In checking mode it also keeps
 * one bit per object, set while the object is out in a user's hands (not in any cache or list).
 *
 * <p>Span records are Java objects; the {@link PageMap} finds them from a page. The page heap's lock
 * guards {@code startPage}, {@code pages}, {@code state} and {@code released}; the central free list
 * of its class guards the object fields and the list links. The checking bits are updated atomically
 * by any thread.
 */
final class Span {

    /** What a span is used for. */
    enum State { FREE, SMALL, LARGE }

    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

    final long startPage;
    final long pages;
    State state;
    /** Free span only: its pages were given back to the OS and read as zero. */
    boolean released;
    /** Small spans: the size class; 0 for free and large spans. */
    int sizeClass;
    /** Large spans: allocated by the sampler, reported to it when freed. */
    boolean sampled;

    long freeList;
    long bump;
    long bumpEnd;
    int allocated;
    /** Checking mode: one bit per object, set while a user holds it. */
    long[] inUse;

    /** Links in whichever list holds the span (a page-heap free list or a central list). */
    Span prev;
    Span next;

    Span(long startPage, long pages) {
        this.startPage = startPage;
        this.pages = pages;
        this.state = State.FREE;
    }

    long start() {
        return startPage << SizeClasses.PAGE_SHIFT;
    }

    long bytes() {
        return pages << SizeClasses.PAGE_SHIFT;
    }

    long end() {
        return start() + bytes();
    }

    long endPage() {
        return startPage + pages;
    }

    /** Makes this span a small span of class {@code cl} with every object free. */
    void carve(int cl, boolean checking) {
        state = State.SMALL;
        sizeClass = cl;
        freeList = 0;
        bump = start();
        bumpEnd = bump + (long) SizeClasses.objectsPerSpan(cl) * SizeClasses.size(cl);
        allocated = 0;
        inUse = checking ? new long[(SizeClasses.objectsPerSpan(cl) + 63) >>> 6] : null;
    }

    /** Free objects in the span (its list and its bump range). */
    int freeObjects() {
        return SizeClasses.objectsPerSpan(sizeClass) - allocated;
    }

    /** Checking mode: marks object {@code index} as held by a user; false if it already was. */
    boolean markInUse(long index) {
        long bit = 1L << index;
        long old = (long) BITS.getAndBitwiseOr(inUse, (int) (index >>> 6), bit);
        return (old & bit) == 0;
    }

    /** Checking mode: marks object {@code index} as given back; false if it was not held. */
    boolean markFree(long index) {
        long bit = 1L << index;
        long old = (long) BITS.getAndBitwiseAnd(inUse, (int) (index >>> 6), ~bit);
        return (old & bit) != 0;
    }

    /** Checking mode: whether a user holds object {@code index}. */
    boolean isInUse(long index) {
        return ((long) BITS.getVolatile(inUse, (int) (index >>> 6)) & (1L << index)) != 0;
    }

    @Override
    public String toString() {
        return state + " span 0x" + Long.toHexString(start()) + "+" + bytes()
                + (state == State.SMALL ? " class " + sizeClass : "");
    }
}
