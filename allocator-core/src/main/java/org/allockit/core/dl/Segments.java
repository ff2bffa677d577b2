package org.allockit.core.dl;

import java.util.Arrays;

/**
 * The address ranges a heap owns: its heap segments (each ending in a fence, chunks tiling the rest)
 * and its direct mappings (one chunk each), sorted by address so {@link #find} is a binary search,
 * with the last hit remembered so the common case is two compares. {@code free} asks here before it
 * reads a single header, so an address outside every range is rejected without touching memory.
 *
 * <p>Invariant: ranges are sorted, non-overlapping and page-aligned; {@link #heapBytes()} and
 * {@link #directBytes()} are the sums of their lengths. Single-threaded: the owning heap guards it.
 */
final class Segments {

    private long[] bases = new long[16];
    private long[] ends = new long[16];
    private boolean[] direct = new boolean[16];
    private int count;
    private int last = -1;
    private long lastBase;
    private long lastEnd;
    private long heapBytes;
    private long directBytes;
    private int heapCount;

    int count() {
        return count;
    }

    long base(int i) {
        return bases[i];
    }

    long end(int i) {
        return ends[i];
    }

    boolean isDirect(int i) {
        return direct[i];
    }

    long heapBytes() {
        return heapBytes;
    }

    long directBytes() {
        return directBytes;
    }

    int heapCount() {
        return heapCount;
    }

    int directCount() {
        return count - heapCount;
    }

    /** The index of the range holding {@code address}, or -1. */
    int find(long address) {
        if (address >= lastBase && address < lastEnd) {
            return last;
        }
        return search(address);
    }

    private int search(long address) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (bases[mid] <= address) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi < 0 || address >= ends[hi]) {
            return -1;
        }
        remember(hi);
        return hi;
    }

    private void remember(int i) {
        last = i;
        lastBase = bases[i];
        lastEnd = ends[i];
    }

    private void forget() {
        last = -1;
        lastBase = 0;
        lastEnd = 0;
    }

    /** True when {@code address} lies between the lowest and highest owned address: a cheap sanity check for links. */
    boolean spans(long address) {
        return count > 0 && address >= bases[0] && address < ends[count - 1];
    }

    /** Records a new range and returns its index (indices of higher ranges shift up by one). */
    int add(long base, long bytes, boolean isDirect) {
        if (count == bases.length) {
            int n = count * 2;
            bases = Arrays.copyOf(bases, n);
            ends = Arrays.copyOf(ends, n);
            direct = Arrays.copyOf(direct, n);
        }
        int i = count;
        while (i > 0 && bases[i - 1] > base) {
            bases[i] = bases[i - 1];
            ends[i] = ends[i - 1];
            direct[i] = direct[i - 1];
            i--;
        }
        bases[i] = base;
        ends[i] = base + bytes;
        direct[i] = isDirect;
        count++;
        account(i, bytes);
        forget();
        return i;
    }

    /** Forgets range i. */
    void remove(int i) {
        account(i, -(ends[i] - bases[i]));
        System.arraycopy(bases, i + 1, bases, i, count - i - 1);
        System.arraycopy(ends, i + 1, ends, i, count - i - 1);
        System.arraycopy(direct, i + 1, direct, i, count - i - 1);
        count--;
        forget();
    }

    /** Range i now ends at {@code end} (a heap segment whose tail was given back). */
    void shrink(int i, long end) {
        heapBytes -= ends[i] - end;
        ends[i] = end;
        forget();
    }

    private void account(int i, long bytes) {
        if (direct[i]) {
            directBytes += bytes;
        } else {
            heapBytes += bytes;
            heapCount += bytes > 0 ? 1 : -1;
        }
    }
}
