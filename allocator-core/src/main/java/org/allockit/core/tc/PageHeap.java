package org.allockit.core.tc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.PageSourceException;

/**
 * The back end: hands out spans of 8 KiB pages carved from 2 MiB regions reserved from a
 * {@link PageSource} (each region {@code MADV_HUGEPAGE}d when asked), and takes them back.
 *
 * <p>Free spans are kept by length: one list per length below {@value #LISTS} pages and a set ordered
 * by length above, each twice, for spans whose pages are still resident and for spans released to
 * the OS. A span given back merges with free neighbours in the same state, so two adjacent free
 * spans are never both resident or both released. Allocation takes the best fit, preferring resident
 * pages. Freed bytes earn release credit at {@code releaseRate} bytes per byte freed; the largest
 * resident free span is released ({@code MADV_DONTNEED}) once the credit covers it, and {@link #release(long)} (for
 * {@code trim()}) releases on demand.
 *
 * <p>Invariants ({@link #verify}): every page of every region belongs to exactly one span, which the
 * pagemap finds; a free span is in exactly the list of its length and state;
 * {@code releasedBytes} is the sum of released free spans. Thread-safe: every method holds this
 * object's monitor; the central free lists call in with theirs held (lock order: central, then page heap).
 */
final class PageHeap {

    static final int LISTS = 128;
    static final long REGION = 2L << 20;

    private static final Comparator<Span> BY_LENGTH =
            Comparator.comparingLong((Span s) -> s.pages).thenComparingLong(s -> s.startPage);

    private final String name;
    private final PageSource source;
    private final boolean hugePages;
    private final double releaseRate;
    final PageMap map = new PageMap();

    /** [0] resident, [1] released: free spans by length. */
    private final SpanList[][] lists = new SpanList[2][LISTS];
    @SuppressWarnings("unchecked")
    private final TreeSet<Span>[] large = new TreeSet[] {new TreeSet<>(BY_LENGTH), new TreeSet<>(BY_LENGTH)};
    private final List<long[]> regions = new ArrayList<>();

    private long reservedBytes;
    private long releasedBytes;
    private long freeBytes;
    private long peakFootprint;
    private double releaseCredit;

    PageHeap(String name, PageSource source, boolean hugePages, double releaseRate) {
        this.name = name;
        this.source = source;
        this.hugePages = hugePages;
        this.releaseRate = releaseRate;
        for (SpanList[] byState : lists) {
            for (int i = 0; i < LISTS; i++) {
                byState[i] = new SpanList();
            }
        }
    }

    /**
     * A span of {@code pages} pages whose start is a multiple of {@code alignPages} pages, in state
     * {@link Span.State#LARGE}, mapped in the pagemap. Grows the heap when no free span fits.
     */
    synchronized Span allocate(long pages, long alignPages) {
        long wanted = pages + alignPages - 1;
        Span found = takeBestFit(wanted);
        if (found == null) {
            grow(wanted, alignPages);
            found = takeBestFit(wanted);
        }
        boolean wasReleased = found.released;
        found.state = Span.State.LARGE; // no longer free: its remainders must not merge back into it
        freeBytes -= found.bytes();
        releasedBytes -= wasReleased ? found.bytes() : 0;
        long start = (found.startPage + alignPages - 1) / alignPages * alignPages;
        if (start > found.startPage) {
            putBack(new Span(found.startPage, start - found.startPage), wasReleased);
        }
        if (start + pages < found.endPage()) {
            putBack(new Span(start + pages, found.endPage() - start - pages), wasReleased);
        }
        Span span = new Span(start, pages);
        span.state = Span.State.LARGE;
        map.set(span);
        peakFootprint = Math.max(peakFootprint, footprint());
        return span;
    }

    /** Takes back a span (small or large); it merges with its free neighbours. */
    synchronized void free(Span span) {
        span.state = Span.State.FREE;
        span.sizeClass = 0;
        span.inUse = null;
        span.released = false;
        freeBytes += span.bytes();
        insert(span);
        releaseCredit += releaseRate * span.bytes();
        Span victim = largestResident();
        if (victim != null && releaseCredit >= victim.bytes()) {
            releaseCredit -= victim.bytes();
            releaseSpan(victim);
        }
    }

    /** Releases resident free spans, largest first, until {@code bytes} are released; returns the bytes released. */
    synchronized long release(long bytes) {
        long done = 0;
        while (done < bytes) {
            Span victim = largestResident();
            if (victim == null) {
                break;
            }
            done += victim.bytes();
            releaseSpan(victim);
        }
        return done;
    }

    private Span largestResident() {
        if (!large[0].isEmpty()) {
            return large[0].last();
        }
        for (int len = LISTS - 1; len > 0; len--) {
            if (!lists[0][len].isEmpty()) {
                return lists[0][len].first();
            }
        }
        return null;
    }

    private void releaseSpan(Span span) {
        unlink(span);
        source.decommit(span.start(), span.bytes());
        span.released = true;
        releasedBytes += span.bytes();
        insert(span);
    }

    private Span takeBestFit(long pages) {
        for (long len = pages; len < LISTS; len++) {
            for (int state = 0; state < 2; state++) {
                Span s = lists[state][(int) len].first();
                if (s != null) {
                    unlink(s);
                    return s;
                }
            }
        }
        Span probe = new Span(-1, Math.max(pages, LISTS));
        Span resident = large[0].ceiling(probe);
        Span released = large[1].ceiling(probe);
        Span best = resident == null ? released
                : released == null || released.pages >= resident.pages ? resident : released;
        if (best != null) {
            unlink(best);
        }
        return best;
    }

    private void grow(long pages, long alignPages) {
        long alignment = Math.max(REGION, alignPages << SizeClasses.PAGE_SHIFT);
        long bytes = PageSource.roundUp(pages << SizeClasses.PAGE_SHIFT, REGION);
        long base;
        try {
            base = source.reserve(bytes, alignment);
        } catch (PageSourceException e) {
            throw new OutOfNativeMemoryError(name, pages << SizeClasses.PAGE_SHIFT, e.getMessage());
        }
        if (hugePages) {
            source.adviseHugePages(base, bytes);
        }
        regions.add(new long[] {base, bytes});
        reservedBytes += bytes;
        peakFootprint = Math.max(peakFootprint, footprint());
        Span fresh = new Span(base >>> SizeClasses.PAGE_SHIFT, bytes >>> SizeClasses.PAGE_SHIFT);
        freeBytes += bytes;
        insert(fresh);
    }

    /** Puts back the unused part of a span taken for an allocation, in the state it had. */
    private void putBack(Span span, boolean released) {
        span.released = released;
        freeBytes += span.bytes();
        releasedBytes += released ? span.bytes() : 0;
        insert(span);
    }

    /** Merges a free span with its free neighbours in the same state, maps and lists the result. */
    private Span insert(Span span) {
        long start = span.startPage;
        long end = span.endPage();
        Span before = map.get(start - 1);
        if (before != null && before.state == Span.State.FREE && before.released == span.released) {
            unlink(before);
            start = before.startPage;
        }
        Span after = map.get(end);
        if (after != null && after.state == Span.State.FREE && after.released == span.released) {
            unlink(after);
            end = after.endPage();
        }
        Span merged = span;
        if (start != span.startPage || end != span.endPage()) {
            merged = new Span(start, end - start);
            merged.released = span.released;
        }
        merged.state = Span.State.FREE;
        map.set(merged);
        link(merged);
        return merged;
    }

    private void link(Span span) {
        int state = span.released ? 1 : 0;
        if (span.pages < LISTS) {
            lists[state][(int) span.pages].push(span);
        } else {
            large[state].add(span);
        }
    }

    private void unlink(Span span) {
        int state = span.released ? 1 : 0;
        if (span.pages < LISTS) {
            lists[state][(int) span.pages].remove(span);
        } else {
            large[state].remove(span);
        }
    }

    /** Bytes reserved and not released: what the heap costs the OS at most. */
    synchronized long footprint() {
        return reservedBytes - releasedBytes;
    }

    synchronized long peakFootprint() {
        return peakFootprint;
    }

    synchronized long freeBytes() {
        return freeBytes;
    }

    synchronized long releasedBytes() {
        return releasedBytes;
    }

    /** Every span of every region, in address order within each region, each once. */
    synchronized List<Span> spans() {
        List<Span> all = new ArrayList<>();
        Set<Span> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<long[]> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        for (long[] region : sorted) {
            long page = region[0] >>> SizeClasses.PAGE_SHIFT;
            long end = page + (region[1] >>> SizeClasses.PAGE_SHIFT);
            while (page < end) {
                Span span = map.get(page);
                if (span == null) {
                    throw new HeapCorruptionException(name, "page 0x" + Long.toHexString(page << SizeClasses.PAGE_SHIFT)
                            + " of a region maps to no span");
                }
                if (seen.add(span)) {
                    all.add(span);
                }
                page = span.endPage();
            }
        }
        return all;
    }

    /** Checks the page-heap invariants over the spans of {@link #spans()}. */
    synchronized void verify() {
        long free = 0;
        long released = 0;
        int listed = 0;
        for (Span span : spans()) {
            for (long p = span.startPage; p < span.endPage(); p++) {
                if (map.get(p) != span) {
                    throw new HeapCorruptionException(name, "pagemap entry of page 0x" + Long.toHexString(p << SizeClasses.PAGE_SHIFT)
                            + " does not point to its span " + span);
                }
            }
            if (span.state == Span.State.FREE) {
                free += span.bytes();
                released += span.released ? span.bytes() : 0;
                if (!listedIn(span)) {
                    throw new HeapCorruptionException(name, "free " + span + " is in no free list of its length");
                }
                Span after = map.get(span.endPage());
                if (after != null && after.state == Span.State.FREE && after.released == span.released) {
                    throw new HeapCorruptionException(name, "adjacent free spans not coalesced: " + span + " and " + after);
                }
                listed++;
            }
        }
        int inLists = large[0].size() + large[1].size();
        for (SpanList[] byState : lists) {
            for (SpanList list : byState) {
                inLists += list.size();
            }
        }
        if (inLists != listed) {
            throw new HeapCorruptionException(name, inLists + " spans in free lists but " + listed + " free spans in the regions");
        }
        if (free != freeBytes || released != releasedBytes) {
            throw new HeapCorruptionException(name, "free/released bytes counted " + freeBytes + "/" + releasedBytes
                    + " but the spans hold " + free + "/" + released);
        }
    }

    private boolean listedIn(Span span) {
        int state = span.released ? 1 : 0;
        if (span.pages >= LISTS) {
            return large[state].contains(span);
        }
        for (Span s = lists[state][(int) span.pages].first(); s != null; s = s.next) {
            if (s == span) {
                return true;
            }
        }
        return false;
    }

    /** Reports free spans (released or resident) to the visitor; callers report the others. */
    static void visitFree(Span span, HeapVisitor visitor) {
        visitor.range(span.start(), span.bytes(), span.released ? HeapVisitor.State.RELEASED : HeapVisitor.State.FREE);
    }

    /** Gives every region back to the OS. */
    synchronized void close() {
        map.clear();
        for (long[] region : regions) {
            source.release(region[0], region[1]);
        }
        regions.clear();
        reservedBytes = 0;
        releasedBytes = 0;
    }
}
