package org.allockit.core.dl;

import static org.allockit.core.dl.Chunk.CINUSE;
import static org.allockit.core.dl.Chunk.DECOMMITTED;
import static org.allockit.core.dl.Chunk.FENCE_SIZE;
import static org.allockit.core.dl.Chunk.MEM_OFFSET;
import static org.allockit.core.dl.Chunk.MIN_SIZE;
import static org.allockit.core.dl.Chunk.MMAPPED;
import static org.allockit.core.dl.Chunk.PINUSE;

import java.util.HashSet;
import java.util.Set;
import org.allockit.core.HeapCorruptionException;

/**
 * dlmalloc's debug checks for one {@link DlHeap}, run by {@link DlHeap#verify()}: walks every
 * segment chunk by chunk and every bin link by link, and throws {@link HeapCorruptionException} at
 * the first broken invariant. Checked: segments sorted and apart; every chunk 16-aligned, at least
 * 32 bytes, inside its segment, its PINUSE equal to the previous chunk's CINUSE, never two free
 * chunks adjacent, footers equal heads, owner tags in FOOTERS mode; top the last chunk of its
 * segment; dv free and in no bin; every other free chunk in exactly the bin its size selects; bin
 * lists doubly linked both ways; tree parents, children, index words and trie bits consistent;
 * bitmaps equal to the non-empty bins; bin counters, live counters and decommitted bytes equal to
 * what the walk finds; sum of chunks within the footprint, footprint within its peak.
 * Runs under the heap's own guard (same thread, or the lock held).
 */
final class Verifier {

    private final DlHeap heap;
    private final Chunk chunk;
    private final Segments segments;
    private final Set<Long> binned = new HashSet<>();
    private long liveBlocks;
    private long liveUsable;
    private long decommitted;
    private long chunkBytes;
    private boolean sawTop;
    private boolean sawDv;
    private int freeChunks;

    Verifier(DlHeap heap) {
        this.heap = heap;
        this.chunk = heap.chunk();
        this.segments = heap.segments();
    }

    void run() {
        checkSmallBins();
        checkTreeBins();
        for (int s = 0; s < segments.count(); s++) {
            if (s > 0 && segments.base(s) < segments.end(s - 1)) {
                fail("segment 0x" + hex(segments.base(s)) + " overlaps the one before it");
            }
            if (segments.isDirect(s)) {
                checkDirect(s);
            } else {
                checkSegment(s);
            }
        }
        if (!(heap.topSize() == 0 ? heap.top() == 0 : sawTop)) {
            fail("top 0x" + hex(heap.top()) + " of " + heap.topSize() + " bytes is not the last chunk of a segment");
        }
        if (!(heap.dvSize() == 0 ? heap.dv() == 0 : sawDv)) {
            fail("dv 0x" + hex(heap.dv()) + " of " + heap.dvSize() + " bytes is not a free chunk of the heap");
        }
        if (freeChunks != binned.size()) {
            fail(freeChunks + " free chunks outside dv and top, but "
                    + binned.size() + " chunks in the bins");
        }
        if (liveBlocks != heap.liveBlocks()) {
            fail("the walk finds " + liveBlocks + " blocks in use, the counter says "
                    + heap.liveBlocks());
        }
        if (liveUsable != heap.liveUsable()) {
            fail("the walk finds " + liveUsable + " usable bytes in use, the counter says "
                    + heap.liveUsable());
        }
        if (decommitted != heap.decommitted()) {
            fail("the walk finds " + decommitted + " decommitted bytes, the counter says "
                    + heap.decommitted());
        }
        long footprint = heap.footprint();
        if (chunkBytes + heap.stateBytes() > footprint + decommitted) {
            fail("chunks hold " + chunkBytes + " bytes, more than the footprint " + footprint);
        }
        if (footprint > heap.peakFootprint()) {
            fail("footprint " + footprint + " above its peak " + heap.peakFootprint());
        }
    }

    private void checkSegment(int s) {
        long base = segments.base(s);
        long end = segments.end(s);
        long fence = end - FENCE_SIZE;
        boolean prevInUse = true;
        long p = base;
        while (p < fence) {
            long head = chunk.head(p);
            long size = Chunk.size(head);
            if (((p + MEM_OFFSET) & (Chunk.ALIGNMENT - 1)) != 0) {
                fail("chunk 0x" + hex(p) + " is misaligned");
            }
            if (!(size >= MIN_SIZE && p + size <= fence)) {
                fail("chunk 0x" + hex(p) + " has size " + size
                        + " which does not fit its segment [0x" + hex(base) + ", 0x" + hex(end) + ")");
            }
            if (((head & PINUSE) != 0) != prevInUse) {
                fail("chunk 0x" + hex(p) + " has PINUSE "
                        + ((head & PINUSE) != 0) + " but the chunk before it is " + (prevInUse ? "in use" : "free"));
            }
            if ((head & MMAPPED) != 0) {
                fail("chunk 0x" + hex(p) + " in a heap segment is marked as mapped");
            }
            boolean inUse = (head & CINUSE) != 0;
            if (inUse) {
                if ((head & DECOMMITTED) != 0) {
                    fail("in-use chunk 0x" + hex(p) + " is marked decommitted");
                }
                liveBlocks++;
                liveUsable += size - heap.overhead();
                if (heap.footers()) {
                    if (chunk.prevFoot(p + size) != heap.ownerTag()) {
                        fail("in-use chunk 0x" + hex(p) + " lost its owner tag");
                    }
                }
            } else {
                checkFree(p, head, size, fence);
            }
            chunkBytes += size;
            prevInUse = inUse;
            p += size;
        }
        if (p != fence) {
            fail("the chunks of segment 0x" + hex(base) + " end at 0x" + hex(p) + ", not at its fence");
        }
        long fenceHead = chunk.head(fence);
        if (!(Chunk.size(fenceHead) == 0 && (fenceHead & CINUSE) != 0)) {
            fail("fence of segment 0x" + hex(base) + " overwritten");
        }
        if (((fenceHead & PINUSE) != 0) != prevInUse) {
            fail("fence of segment 0x" + hex(base) + " has the wrong PINUSE");
        }
    }

    private void checkFree(long p, long head, long size, long fence) {
        if ((head & PINUSE) == 0) {
            fail("free chunks adjacent at 0x" + hex(p) + " (the chunk before it is free too)");
        }
        if (p == heap.top()) {
            sawTop = true;
            if (p + size != fence) {
                fail("top 0x" + hex(p) + " is not the last chunk of its segment");
            }
            if (size != heap.topSize()) {
                fail("top 0x" + hex(p) + " has size " + size + ", the heap says " + heap.topSize());
            }
            if ((head & DECOMMITTED) != 0) {
                fail("top is marked decommitted");
            }
            return;
        }
        if (chunk.prevFoot(p + size) != size) {
            fail("free chunk 0x" + hex(p) + " has size " + size + " but footer "
                    + chunk.prevFoot(p + size));
        }
        if ((head & DECOMMITTED) != 0) {
            if (SmallBins.isSmall(size)) {
                fail("small chunk 0x" + hex(p) + " is marked decommitted");
            }
            decommitted += heap.interiorEnd(p, size) - heap.interiorStart(p);
        }
        if (p == heap.dv()) {
            sawDv = true;
            if (size != heap.dvSize()) {
                fail("dv 0x" + hex(p) + " has size " + size + ", the heap says " + heap.dvSize());
            }
            if (binned.contains(p)) {
                fail("dv 0x" + hex(p) + " is also in a bin");
            }
            return;
        }
        freeChunks++;
        if (!binned.contains(p)) {
            fail("free chunk 0x" + hex(p) + " of " + size + " bytes is in no bin");
        }
    }

    private void checkDirect(int s) {
        long p = heap.directChunk(s);
        long head = chunk.head(p);
        if ((head & CINUSE) == 0) {
            fail("direct mapping 0x" + hex(p) + " is not in use");
        }
        if (p - segments.base(s) >= heap.pageSize()) {
            fail("direct chunk 0x" + hex(p) + " is not in its first page");
        }
        liveBlocks++;
        liveUsable += Chunk.size(head) - MEM_OFFSET;
        chunkBytes += Chunk.size(head);
    }

    private void checkSmallBins() {
        SmallBins bins = heap.smallBins();
        for (int i = 0; i < SmallBins.COUNT; i++) {
            long b = bins.sentinel(i);
            int n = 0;
            long prev = b;
            for (long p = chunk.fd(b); p != b; p = chunk.fd(p)) {
                if (segments.find(p) < 0) {
                    fail("small bin " + i + " links to 0x" + hex(p) + ", outside every segment");
                }
                if (chunk.bk(p) != prev) {
                    fail("corrupted double-linked list: small bin " + i + " chunk 0x" + hex(p));
                }
                long head = chunk.head(p);
                if ((head & CINUSE) != 0) {
                    fail("small bin " + i + " holds in-use chunk 0x" + hex(p));
                }
                if (Chunk.size(head) != SmallBins.size(i)) {
                    fail("small bin " + i + " holds chunk 0x" + hex(p)
                            + " of size " + Chunk.size(head));
                }
                if (!binned.add(p)) {
                    fail("chunk 0x" + hex(p) + " is in two bins (or twice in one)");
                }
                prev = p;
                n++;
            }
            if (chunk.bk(b) != prev) {
                fail("corrupted double-linked list: small bin " + i + " sentinel");
            }
            if (((bins.map() & (1 << i)) != 0) != (n > 0)) {
                fail("small bin map bit " + i + " disagrees with the bin");
            }
            if (bins.count(i) != n) {
                fail("small bin " + i + " counts " + bins.count(i) + " chunks, holds " + n);
            }
        }
    }

    private void checkTreeBins() {
        TreeBins bins = heap.treeBins();
        for (int i = 0; i < TreeBins.COUNT; i++) {
            boolean marked = (bins.map() & (1 << i)) != 0;
            long root = marked ? bins.root(i) : 0;
            if (marked && root == 0) {
                fail("tree map bit " + i + " set for an empty bin");
            }
            long[] totals = new long[2];
            if (root != 0) {
                if (chunk.parent(root) != bins.slot(i)) {
                    fail("root of tree bin " + i + " does not point at its slot");
                }
                checkTreeNode(i, root, 0, 0, totals);
            }
            if (bins.count(i) != totals[0]) {
                fail("tree bin " + i + " counts " + bins.count(i) + " chunks, holds " + totals[0]);
            }
            if (bins.bytes(i) != totals[1]) {
                fail("tree bin " + i + " counts " + bins.bytes(i) + " bytes, holds " + totals[1]);
            }
        }
    }

    /** Checks node t at the given depth, whose size bits must begin with {@code path}, and its subtrees. */
    private void checkTreeNode(int i, long t, int depth, long path, long[] totals) {
        long head = chunk.head(t);
        long size = Chunk.size(head);
        if ((head & CINUSE) != 0) {
            fail("tree bin " + i + " holds in-use chunk 0x" + hex(t));
        }
        if (!(TreeBins.index(size) == i && chunk.index(t) == i)) {
            fail("tree chunk 0x" + hex(t) + " of size " + size
                    + " sits in bin " + i);
        }
        long bits = size << TreeBins.leftShift(i);
        long mask = depth == 0 ? 0 : -1L << (64 - depth);
        if ((bits & mask) != path) {
            fail("tree chunk 0x" + hex(t) + " of size " + size + " is off its trie path");
        }
        long member = t;
        do {
            if (segments.find(member) < 0) {
                fail("tree bin " + i + " links to 0x" + hex(member) + ", outside every segment");
            }
            if (Chunk.size(chunk.head(member)) != size) {
                fail("tree ring of 0x" + hex(t) + " mixes sizes");
            }
            if (!(chunk.bk(chunk.fd(member)) == member && chunk.fd(chunk.bk(member)) == member)) {
                fail("corrupted double-linked list: tree chunk 0x" + hex(member));
            }
            if (!(member == t || chunk.parent(member) == 0)) {
                fail("ring member 0x" + hex(member) + " has a parent");
            }
            if (!binned.add(member)) {
                fail("chunk 0x" + hex(member) + " is in two bins (or twice in one)");
            }
            totals[0]++;
            totals[1] += size;
            member = chunk.fd(member);
        } while (member != t);
        for (long side = 0; side < 2; side++) {
            long c = chunk.child(t, side);
            if (c != 0) {
                if (depth >= 64) {
                    fail("tree bin " + i + " is deeper than the size has bits");
                }
                if (chunk.parent(c) != t) {
                    fail("tree chunk 0x" + hex(c) + " does not point back at its parent");
                }
                checkTreeNode(i, c, depth + 1, path | (side << (63 - depth)), totals);
            }
        }
    }

    private void fail(String problem) {
        throw new HeapCorruptionException(heap.heapName(), "verify(): " + problem);
    }

    private static String hex(long value) {
        return Long.toHexString(value);
    }
}
