package org.allockit.bench.sim;

/**
 * The pages behind the simulated accesses, as the kernel would map them: the first touch of a page
 * is a minor fault that makes it resident; a range given back ({@code MADV_DONTNEED}, unmap) leaves
 * the resident set and faults again when touched; a 2 MiB-aligned region inside a range marked for
 * huge pages is mapped as one 2 MiB page (one fault, one TLB entry), taking over any 4 KiB pages of
 * it already resident. Invariant: {@code residentBytes == 4K * |small| + 2M * |huge|}.
 *
 * <p>The resident set is sampled over time (time = accesses simulated so far) into a fixed number of
 * samples: when they are all used, every other one is dropped and the interval doubles. Touching
 * allocates nothing. Not thread-safe.
 */
public final class PageModel {

    public static final long SMALL = 1L << TlbConfig.SMALL_PAGE_BITS;
    public static final long HUGE = 1L << TlbConfig.HUGE_PAGE_BITS;
    private static final int SMALL_PER_HUGE = (int) (HUGE / SMALL);
    private static final int SAMPLES = 512;
    private static final int RECENT = 256;

    /** Resident 4 KiB page numbers. */
    private final LongSet small = new LongSet();
    /** Resident 2 MiB page numbers. */
    private final LongSet huge = new LongSet(64);
    /** 2 MiB page numbers marked for huge pages. */
    private final LongSet marked = new LongSet(64);
    private final long[] faults = new long[CacheLevel.SOURCES];
    private long residentBytes;
    private long peakBytes;
    /**
     * Pages touched recently, direct-mapped by page number: {@code page << 1 | huge} for a page known
     * resident, so most touches skip the hash sets. Emptied whenever pages leave or change size.
     */
    private final long[] recent = new long[RECENT];

    private final long[] sampleTime = new long[SAMPLES];
    private final long[] sampleBytes = new long[SAMPLES];
    private int samples;
    private long interval = 1;
    private long nextSample;

    public PageModel() {
        forgetRecent();
    }

    /**
     * Touches the page holding {@code address} at time {@code now}, faulting it in on first touch;
     * returns whether it is a 2 MiB page.
     */
    public boolean touch(int source, long address, long now) {
        long page = address >>> TlbConfig.SMALL_PAGE_BITS;
        long memo = recent[(int) page & (RECENT - 1)];
        if (memo >>> 1 == page) {
            return (memo & 1) != 0;
        }
        return touchSlowPath(source, page, now);
    }

    private boolean touchSlowPath(int source, long page, long now) {
        long region = page / SMALL_PER_HUGE;
        boolean isHuge = marked.size() != 0 && marked.contains(region);
        if (isHuge) {
            if (huge.add(region)) {
                faults[source]++;
                int collapsed = small.removeRange(region * SMALL_PER_HUGE, (region + 1) * SMALL_PER_HUGE);
                grow(HUGE - collapsed * SMALL, now);
            }
        } else if (small.add(page)) {
            faults[source]++;
            grow(SMALL, now);
        }
        recent[(int) page & (RECENT - 1)] = page << 1 | (isHuge ? 1 : 0);
        return isHuge;
    }

    /** Pages in {@code [address, address + bytes)} were given back: they leave the resident set. */
    public void release(long address, long bytes, long now) {
        long from = address >>> TlbConfig.SMALL_PAGE_BITS;
        long to = (address + bytes + SMALL - 1) >>> TlbConfig.SMALL_PAGE_BITS;
        long freed = small.removeRange(from, to) * SMALL;
        for (long region = from / SMALL_PER_HUGE; region * SMALL_PER_HUGE < to; region++) {
            if (huge.remove(region)) {
                freed += HUGE;
                splitRest(region, from, to, now);
            }
        }
        residentBytes -= freed;
        forgetRecent();
        sample(now);
    }

    /** A huge page partly given back splits: its pages outside the range stay resident as 4 KiB pages. */
    private void splitRest(long region, long from, long to, long now) {
        long first = region * SMALL_PER_HUGE;
        for (long page = first; page < first + SMALL_PER_HUGE; page++) {
            if ((page < from || page >= to) && small.add(page)) {
                residentBytes += SMALL;
            }
        }
        if (from > first || to < first + SMALL_PER_HUGE) {
            marked.remove(region);
        }
    }

    /** The 2 MiB regions wholly inside {@code [address, address + bytes)} are mapped with huge pages from now on. */
    public void markHuge(long address, long bytes) {
        long first = (address + HUGE - 1) >>> TlbConfig.HUGE_PAGE_BITS;
        long end = (address + bytes) >>> TlbConfig.HUGE_PAGE_BITS;
        for (long region = first; region < end; region++) {
            marked.add(region);
        }
        forgetRecent();
    }

    private void forgetRecent() {
        java.util.Arrays.fill(recent, -1L);
    }

    private void grow(long bytes, long now) {
        residentBytes += bytes;
        if (residentBytes > peakBytes) {
            peakBytes = residentBytes;
        }
        sample(now);
    }

    private void sample(long now) {
        if (now < nextSample) {
            return;
        }
        if (samples == SAMPLES) {
            for (int i = 0; i < SAMPLES / 2; i++) {
                sampleTime[i] = sampleTime[2 * i];
                sampleBytes[i] = sampleBytes[2 * i];
            }
            samples = SAMPLES / 2;
            interval *= 2;
        }
        sampleTime[samples] = now;
        sampleBytes[samples] = residentBytes;
        samples++;
        nextSample = now + interval;
    }

    public long faults(int source) {
        return faults[source];
    }

    public long residentBytes() {
        return residentBytes;
    }

    public long peakBytes() {
        return peakBytes;
    }

    public long hugePagesResident() {
        return huge.size();
    }

    /** 4 KiB pages resident (outside huge pages). */
    public long smallPagesResident() {
        return small.size();
    }

    /** The resident-set samples so far as {@code [time, bytes]} pairs, oldest first. */
    public long[][] residentOverTime() {
        long[][] out = new long[samples][];
        for (int i = 0; i < samples; i++) {
            out[i] = new long[] {sampleTime[i], sampleBytes[i]};
        }
        return out;
    }
}
