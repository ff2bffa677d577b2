package org.allockit.core.tc;

import org.allockit.core.MemoryProbe;

/**
 * The free objects of one size class held in spans: batches are cut from the spans that still have
 * free objects and given back object by object to the span each belongs to (found in the pagemap).
 * A span that gets all its objects back returns to the page heap; a class with no free object takes
 * a new span from it.
 *
 * <p>Invariant: {@code nonEmpty} holds exactly the spans of this class with a free object;
 * {@code objectsOut} (objects in the transfer cache, in thread caches or in users' hands) is the sum
 * of the spans' {@code allocated}. Thread-safe: every method holds this object's monitor, and calls
 * into the page heap with it held.
 */
final class CentralFreeList {

    final int sizeClass;
    private final int size;
    private final PageHeap pageHeap;
    private final boolean checking;
    private final MemoryProbe probe;
    private final SpanList nonEmpty = new SpanList();
    private long spans;
    private long objectsOut;

    CentralFreeList(int sizeClass, PageHeap pageHeap, boolean checking, MemoryProbe probe) {
        this.sizeClass = sizeClass;
        this.size = SizeClasses.size(sizeClass);
        this.pageHeap = pageHeap;
        this.checking = checking;
        this.probe = probe;
    }

    /** Fills {@code out[0..n)} with free objects, taking new spans as needed; returns {@code n}. */
    synchronized int removeRange(long[] out, int n) {
        for (int k = 0; k < n; k++) {
            Span span = nonEmpty.first();
            if (span == null) {
                span = newSpan();
            }
            out[k] = take(span);
        }
        objectsOut += n;
        return n;
    }

    private long take(Span span) {
        long object = span.freeList;
        if (object != 0) {
            if (probe != null) {
                probe.metadataRead(object + FreeObject.NEXT, 8);
            }
            span.freeList = FreeObject.next(object);
        } else {
            object = span.bump;
            span.bump += size;
        }
        if (++span.allocated == SizeClasses.objectsPerSpan(sizeClass)) {
            nonEmpty.remove(span);
        }
        return object;
    }

    private Span newSpan() {
        Span span = pageHeap.allocate(SizeClasses.pages(sizeClass), 1);
        span.carve(sizeClass, checking);
        nonEmpty.push(span);
        spans++;
        return span;
    }

    /** Gives back {@code objects[0..n)}, each to its span; spans left empty go back to the page heap. */
    synchronized void insertRange(long[] objects, int n) {
        for (int k = 0; k < n; k++) {
            long object = objects[k];
            Span span = pageHeap.map.get(object >>> SizeClasses.PAGE_SHIFT);
            if (probe != null) {
                probe.metadataWrite(object + FreeObject.NEXT, 8);
            }
            FreeObject.setNext(object, span.freeList);
            span.freeList = object;
            if (span.allocated-- == SizeClasses.objectsPerSpan(sizeClass)) {
                nonEmpty.push(span);
            }
            if (span.allocated == 0) {
                nonEmpty.remove(span);
                spans--;
                pageHeap.free(span);
            }
        }
        objectsOut -= n;
    }

    synchronized long spans() {
        return spans;
    }

    synchronized long objectsOut() {
        return objectsOut;
    }

    /** Whether {@code span} is listed as having free objects. */
    synchronized boolean listed(Span span) {
        for (Span s = nonEmpty.first(); s != null; s = s.next) {
            if (s == span) {
                return true;
            }
        }
        return false;
    }

    /** Spans with free objects, for {@code verify()}. */
    synchronized int listedSpans() {
        return nonEmpty.size();
    }
}
