package org.allockit.core.dl;

import static org.allockit.core.dl.Chunk.CINUSE;
import static org.allockit.core.dl.Chunk.DECOMMITTED;
import static org.allockit.core.dl.Chunk.FENCE_SIZE;
import static org.allockit.core.dl.Chunk.INUSE_BITS;
import static org.allockit.core.dl.Chunk.MEM_OFFSET;
import static org.allockit.core.dl.Chunk.MIN_SIZE;
import static org.allockit.core.dl.Chunk.MMAPPED;
import static org.allockit.core.dl.Chunk.PINUSE;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.Feature;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.MemoryProbe;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.PageSourceException;
import org.allockit.core.os.ProbedPageSource;

/**
 * A general-purpose heap that works the way dlmalloc 2.8 does: boundary-tagged {@link Chunk}s in
 * {@link Segments} of memory from a {@link PageSource}, exact-size {@link SmallBins} below 256
 * bytes, best-fit {@link TreeBins} above, a designated victim (dv: the remainder of the last split,
 * preferred for small requests), a top chunk at the end of the newest segment, and direct mappings
 * for requests at or above the mmap threshold.
 *
 * <p>Invariants ({@link #verify()} checks all of them): every chunk is 16-aligned and at least 32
 * bytes; chunks tile each segment up to its fence; a chunk's PINUSE bit equals the previous chunk's
 * CINUSE bit; no two free chunks are adjacent; a free chunk's footer equals its size; every free
 * chunk except dv and top is in the bin its size selects, and the bitmaps say which bins are
 * non-empty; top is the last chunk of its segment and at least 32 bytes;
 * {@code sum of chunks <= footprint <= peak footprint}.
 *
 * <p>malloc order, small: exact bin (or the next, whose remainder could not be a chunk) → dv → the
 * smallest larger small-bin or tree chunk, split, its remainder becoming dv → top → the OS. Large:
 * best-fit tree chunk if it beats dv → dv → top → a direct mapping at or above the threshold → a
 * new segment. Memory goes back to the OS when a whole segment is free (at once, unless it holds
 * top), when top grows beyond the trim threshold, and on {@link #trim()}, which also gives back the
 * whole-page interiors of large free chunks ({@code MADV_DONTNEED}); {@link #stats()} footprint
 * follows what was given back.
 *
 * <p>Checks on {@code free}, {@code reallocate} and {@code usableSize} come before any write, so a
 * rejected call leaves the heap as it was: an address outside every segment or misaligned, a chunk
 * not in use (double free), a size that runs past its segment or disagrees with the next chunk's
 * PINUSE or with the previous chunk's footer; in FOOTERS mode ({@code footers=true}) an in-use
 * chunk carries an owner tag in its footer, so an address that is not a block start of this heap is
 * rejected too. Bin links are checked on every unlink.
 *
 * <p>Settings: {@code mmap_threshold} (256K), {@code trim_threshold} (2M), {@code granularity} (256K,
 * the unit segments are reserved in: larger than dlmalloc's 64K because segments here are separate
 * mappings that never merge, and smaller units left the traces' heaps 20% more fragmented), {@code footers} (false).
 *
 * <p>Not thread-safe: one thread at a time, or use {@link LockedDlHeap}.
 */
public final class DlHeap implements Allocator {

    static final long DEFAULT_MMAP_THRESHOLD = 256 << 10;
    static final long DEFAULT_TRIM_THRESHOLD = 2 << 20;
    static final long DEFAULT_GRANULARITY = 256 << 10;
    /** What top keeps when trimmed on free, so a heap that breathes does not map and unmap (glibc's M_TOP_PAD). */
    static final long TOP_PAD = 64 << 10;
    static final Set<String> SETTINGS = Set.of("mmap_threshold", "trim_threshold", "granularity", "footers");
    private static final long ALIGN_MASK = Chunk.ALIGNMENT - 1;
    private static final long TAG_MAGIC = 0x5bd1e9955bd1e995L;

    private final String name;
    private final PageSource pages;
    private final MemoryProbe probe;
    private final Chunk chunk;
    private final Segments segments = new Segments();
    private final SmallBins smallBins;
    private final TreeBins treeBins;
    private final long overhead;
    private final boolean footers;
    private final long ownerTag;
    private final long mmapThreshold;
    private final long trimThreshold;
    private final long granularity;
    private final long pageSize;
    private final long stateBase;
    private final long stateBytes;

    private long top;
    private long topSize;
    private long dv;
    private long dvSize;
    private long decommitted;
    private long peakFootprint;
    private long liveBlocks;
    private long liveUsable;
    private long liveChunkBytes;
    private long allocations;
    private long frees;
    private boolean closed;

    public DlHeap(String name, AllocatorOptions options) {
        options.rejectUnknown(name, SETTINGS);
        this.name = name;
        this.probe = options.probe();
        this.pages = probe == null ? options.pages() : new ProbedPageSource(options.pages(), probe);
        this.chunk = new Chunk(probe);
        this.pageSize = pages.pageSize();
        this.mmapThreshold = positive(options, "mmap_threshold", DEFAULT_MMAP_THRESHOLD);
        this.trimThreshold = positive(options, "trim_threshold", DEFAULT_TRIM_THRESHOLD);
        this.granularity = PageSource.roundUp(positive(options, "granularity", DEFAULT_GRANULARITY), pageSize);
        this.footers = Boolean.parseBoolean(options.settings().getOrDefault("footers", "false"));
        this.overhead = footers ? Chunk.OVERHEAD_WITH_FOOTER : Chunk.OVERHEAD;
        this.ownerTag = (ThreadLocalRandom.current().nextLong() ^ TAG_MAGIC) | 1;
        this.stateBytes = PageSource.roundUp(SmallBins.TABLE_BYTES + TreeBins.TABLE_BYTES, pageSize);
        this.stateBase = pages.reserve(stateBytes, pageSize);
        this.smallBins = new SmallBins(chunk, stateBase, segments, name);
        this.treeBins = new TreeBins(chunk, stateBase + SmallBins.TABLE_BYTES, segments, name);
        this.peakFootprint = footprint();
    }

    private static long positive(AllocatorOptions options, String key, long fallback) {
        long value = options.size(key, fallback);
        if (value <= 0) {
            throw new IllegalArgumentException("setting '" + key + "' must be positive, not " + value);
        }
        return value;
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ allocation, fast path first

    @Override
    public long alloc(long size) {
        if (size < 0 || size > MAX_SIZE - Chunk.ALIGNMENT) {
            InvalidSizeException.check(name, size, Chunk.ALIGNMENT);
        }
        try {
            return handOut(mallocChunk(pad(size)), size);
        } catch (PageSourceException e) {
            throw outOfMemory(size, e);
        }
    }

    private OutOfNativeMemoryError outOfMemory(long size, PageSourceException e) {
        return new OutOfNativeMemoryError(name, size, e.getMessage() + " (after trimming)");
    }

    /** The chunk size that holds {@code size} user bytes. */
    private long pad(long size) {
        long nb = (size + overhead + ALIGN_MASK) & ~ALIGN_MASK;
        return Math.max(nb, MIN_SIZE);
    }

    /** Returns an in-use chunk of at least nb bytes whose next chunk knows it is in use. */
    private long mallocChunk(long nb) {
        if (SmallBins.isSmall(nb)) {
            int idx = SmallBins.index(nb);
            int bits = smallBins.map() >>> idx;
            if ((bits & 3) != 0) {
                // This bin or the next: a 16-byte remainder could not be a chunk, so take it whole.
                idx += ~bits & 1;
                long p = smallBins.takeFirst(idx);
                chunk.setInUseAndPinuse(p, SmallBins.size(idx));
                return p;
            }
            if (nb > dvSize) {
                if (bits != 0) {
                    return fromLargerSmallBin(nb, idx);
                }
                if (treeBins.map() != 0) {
                    return fromSmallestTreeChunk(nb);
                }
            }
        } else if (treeBins.map() != 0) {
            long p = fromTree(nb);
            if (p != 0) {
                return p;
            }
        }
        if (nb <= dvSize) {
            return fromDv(nb);
        }
        if (nb + MIN_SIZE <= topSize) {
            return fromTop(nb);
        }
        return fromSystem(nb);
    }

    private long fromLargerSmallBin(long nb, int idx) {
        int larger = smallBins.map() & -(2 << idx);
        int i = Integer.numberOfTrailingZeros(larger);
        return splitForSmall(smallBins.takeFirst(i), SmallBins.size(i), nb);
    }

    private long fromSmallestTreeChunk(long nb) {
        long v = treeBins.smallest();
        long size = Chunk.size(chunk.head(v));
        unlinkLarge(v, size);
        return splitForSmall(v, size, nb);
    }

    /** Marks unbinned free chunk p in use for a small request; a remainder that can be a chunk becomes dv. */
    private long splitForSmall(long p, long size, long nb) {
        long rest = size - nb;
        if (rest < MIN_SIZE) {
            chunk.setInUseAndPinuse(p, size);
        } else {
            chunk.split(p, nb, rest);
            replaceDv(p + nb, rest);
        }
        return p;
    }

    /** The best-fit tree chunk for a large request, split, unless dv fits as well or better; else 0. */
    private long fromTree(long nb) {
        long v = treeBins.bestFit(nb);
        if (v == 0) {
            return 0;
        }
        long size = Chunk.size(chunk.head(v));
        long rest = size - nb;
        if (dvSize >= nb && rest >= dvSize - nb) {
            return 0;
        }
        unlinkLarge(v, size);
        if (rest < MIN_SIZE) {
            chunk.setInUseAndPinuse(v, size);
        } else {
            chunk.split(v, nb, rest);
            insertChunk(v + nb, rest);
        }
        return v;
    }

    private long fromDv(long nb) {
        long p = dv;
        long rest = dvSize - nb;
        if (rest >= MIN_SIZE) {
            dv = p + nb;
            dvSize = rest;
            chunk.split(p, nb, rest);
        } else {
            long size = dvSize;
            dv = 0;
            dvSize = 0;
            chunk.setInUseAndPinuse(p, size);
        }
        return p;
    }

    private long fromTop(long nb) {
        long p = top;
        topSize -= nb;
        top = p + nb;
        chunk.setHead(top, topSize | PINUSE);
        chunk.setHead(p, nb | CINUSE | PINUSE);
        return p;
    }

    /** The old dv goes to its bin; the remainder r of a split becomes dv. */
    private void replaceDv(long r, long size) {
        if (dvSize != 0) {
            insertChunk(dv, dvSize);
        }
        dv = r;
        dvSize = size;
    }

    /** Counts a chunk handed out, writes its owner tag, reports it, and returns its user address. */
    private long handOut(long p, long requested) {
        long head = chunk.head(p);
        long size = Chunk.size(head);
        long usable;
        if ((head & MMAPPED) == 0) {
            usable = size - overhead;
            if (footers) {
                chunk.setPrevFoot(p + size, ownerTag);
            }
        } else {
            usable = size - MEM_OFFSET;
        }
        liveBlocks++;
        liveUsable += usable;
        liveChunkBytes += size;
        allocations++;
        long mem = p + MEM_OFFSET;
        if (Chunk.HOOKS && probe != null) {
            probe.blockAllocated(mem, requested, usable);
        }
        return mem;
    }

    // ------------------------------------------------------------------ free

    @Override
    public void free(long mem) {
        if (mem == 0) {
            return;
        }
        long head = inUseHead("free", mem);
        long p = mem - MEM_OFFSET;
        if ((head & MMAPPED) != 0) {
            unmapDirect(p, head);
            return;
        }
        long size = Chunk.size(head);
        takeBack(mem, size, size - overhead);
        dispose(p, size, head);
    }

    private void takeBack(long mem, long chunkSize, long usable) {
        liveBlocks--;
        liveUsable -= usable;
        liveChunkBytes -= chunkSize;
        frees++;
        if (Chunk.HOOKS && probe != null) {
            probe.blockFreed(mem, usable);
        }
    }

    /**
     * Frees chunk p (marked in use, its PINUSE telling whether the chunk before it is free):
     * coalesces it with a free neighbour on either side, then gives it to top, dv or its bin.
     */
    private void dispose(long p, long size) {
        dispose(p, size, chunk.head(p));
    }

    /** {@link #dispose(long, long)} when p's head has been read already. */
    private void dispose(long p, long size, long head) {
        long next = p + size;
        if ((head & PINUSE) == 0) {
            long prevSize = chunk.prevFoot(p);
            long prev = p - prevSize;
            chunk.setHead(p, head & ~CINUSE); // a second free of p must not find it in use inside prev
            size += prevSize;
            p = prev;
            if (p != dv) {
                unlinkChunk(p, prevSize);
            } else if ((chunk.head(next) & INUSE_BITS) == INUSE_BITS) {
                dvSize = size;
                chunk.setFree(p, size, next);
                return;
            }
        }
        long nextHead = chunk.head(next);
        if ((nextHead & CINUSE) == 0) {
            if (next == top) {
                topSize += size;
                top = p;
                chunk.setHead(p, topSize | PINUSE);
                if (p == dv) {
                    dv = 0;
                    dvSize = 0;
                }
                if (topSize > trimThreshold) {
                    trimTop(TOP_PAD);
                }
                return;
            }
            if (next == dv) {
                dvSize += size;
                dv = p;
                chunk.setFreeSize(p, dvSize);
                return;
            }
            long nextSize = Chunk.size(nextHead);
            size += nextSize;
            unlinkChunk(next, nextSize);
            chunk.setFreeSize(p, size);
            if (p == dv) {
                dvSize = size;
                return;
            }
        } else {
            chunk.setHead(next, nextHead & ~PINUSE);
            chunk.setFreeSize(p, size);
        }
        binOrRelease(p, size);
    }

    /** Puts a free chunk (head and footer written) in its bin, or gives its segment back when it fills it. */
    private void binOrRelease(long p, long size) {
        if (SmallBins.isSmall(size)) {
            smallBins.insert(p, size);
            return;
        }
        if (size >= pageSize - FENCE_SIZE) {
            int s = segments.find(p);
            if (p == segments.base(s) && p + size == segments.end(s) - FENCE_SIZE) {
                releaseSegment(s);
                return;
            }
        }
        treeBins.insert(p, size);
    }

    private void insertChunk(long p, long size) {
        if (SmallBins.isSmall(size)) {
            smallBins.insert(p, size);
        } else {
            treeBins.insert(p, size);
        }
    }

    private void unlinkChunk(long p, long size) {
        if (SmallBins.isSmall(size)) {
            smallBins.unlink(p, size);
        } else {
            unlinkLarge(p, size);
        }
    }

    private void unlinkLarge(long p, long size) {
        treeBins.unlink(p, size);
        if ((chunk.head(p) & DECOMMITTED) != 0) {
            recommitted(p, size);
        }
    }

    // ------------------------------------------------------------------ checks on addresses

    /**
     * The head of the chunk of {@code mem}, after checking, before anything is written, that it is
     * the start of an in-use block of this heap. Throws naming the problem otherwise.
     */
    private long inUseHead(String op, long mem) {
        long p = mem - MEM_OFFSET;
        int s = segments.find(p);
        if (s < 0 || (mem & ALIGN_MASK) != 0) {
            throw invalidAddress(op, mem, s);
        }
        long head = chunk.head(p);
        if ((head & (CINUSE | MMAPPED)) != CINUSE || segments.isDirect(s)) {
            checkUnusual(op, mem, p, s, head);
            return head;
        }
        long size = Chunk.size(head);
        long next = p + size;
        if (size < MIN_SIZE || next > segments.end(s) - FENCE_SIZE) {
            throw corruption(op, "invalid size " + size + " of chunk 0x" + Long.toHexString(p)
                    + " (runs past its segment: corrupted header, or not a block start)");
        }
        if (footers && chunk.prevFoot(next) != ownerTag) {
            throw new InvalidAddressException(name, op, mem, InvalidAddressException.Reason.FOREIGN,
                    "invalid pointer: owner tag does not match this heap (another heap's block, or not a block start)");
        }
        if ((chunk.head(next) & PINUSE) == 0) {
            throw corruption(op, "double free or corruption (!prev): the chunk after 0x" + Long.toHexString(p)
                    + " says it is free");
        }
        if ((head & PINUSE) == 0) {
            checkPrevious(op, p, s);
        }
        return head;
    }

    private void checkPrevious(String op, long p, int s) {
        long prevSize = chunk.prevFoot(p);
        long prev = p - prevSize;
        if (prevSize < MIN_SIZE || (prevSize & ALIGN_MASK) != 0 || prev < segments.base(s)
                || Chunk.size(chunk.head(prev)) != prevSize || (chunk.head(prev) & CINUSE) != 0) {
            throw corruption(op, "corrupted size vs. prev_size: chunk 0x" + Long.toHexString(p)
                    + " says the free chunk before it has " + prevSize + " bytes");
        }
    }

    /** A direct mapping, or a chunk not in use: valid only as the start of a live direct mapping. */
    private void checkUnusual(String op, long mem, long p, int s, long head) {
        if (segments.isDirect(s)) {
            long offset = chunk.prevFoot(p);
            if ((head & (CINUSE | MMAPPED)) != (CINUSE | MMAPPED) || p - offset != segments.base(s)
                    || Chunk.size(head) != segments.end(s) - p) {
                throw new InvalidAddressException(name, op, mem, InvalidAddressException.Reason.INTERIOR,
                        "invalid pointer: inside a directly mapped block, not at its start");
            }
            return;
        }
        if ((head & CINUSE) == 0) {
            throw new DoubleFreeException(name, op, mem, "chunk 0x" + Long.toHexString(p) + " is not in use");
        }
        throw corruption(op, "chunk 0x" + Long.toHexString(p) + " in a heap segment is marked as mapped");
    }

    private RuntimeException invalidAddress(String op, long mem, int s) {
        if (closed) {
            return new AllocatorClosedException(name, op);
        }
        if ((mem & ALIGN_MASK) != 0) {
            return new InvalidAddressException(name, op, mem, InvalidAddressException.Reason.MISALIGNED,
                    "invalid pointer: not aligned to " + Chunk.ALIGNMENT);
        }
        return new InvalidAddressException(name, op, mem, InvalidAddressException.Reason.FOREIGN,
                "invalid pointer: outside every segment");
    }

    private HeapCorruptionException corruption(String op, String problem) {
        return new HeapCorruptionException(name, op + "(): " + problem);
    }

    @Override
    public long usableSize(long mem) {
        long head = inUseHead("usableSize", mem);
        return Chunk.size(head) - ((head & MMAPPED) != 0 ? MEM_OFFSET : overhead);
    }

    // ------------------------------------------------------------------ realloc and memalign

    @Override
    public long reallocate(long mem, long newSize) {
        if (mem == 0) {
            return alloc(newSize);
        }
        InvalidSizeException.check(name, newSize, 1);
        long head = inUseHead("realloc", mem);
        long p = mem - MEM_OFFSET;
        long oldSize = Chunk.size(head);
        long oldUsable = oldSize - ((head & MMAPPED) != 0 ? MEM_OFFSET : overhead);
        if ((head & MMAPPED) != 0) {
            if (newSize <= oldUsable && newSize >= oldUsable / 2) {
                return mem;
            }
            long np = pad(newSize) >= mmapThreshold ? remapDirect(p, pad(newSize)) : 0;
            if (np != 0) {
                return resized(mem, oldSize, oldUsable, np, newSize);
            }
        } else if (resizeInPlace(p, head, pad(newSize))) {
            return resized(mem, oldSize, oldUsable, p, newSize);
        }
        long moved = alloc(newSize);
        Chunk.copy(mem, moved, Math.min(oldUsable, newSize));
        free(mem);
        return moved;
    }

    /**
     * Reported to the probe as taken back and handed out again; counted as a free and an
     * allocation only when the block moved (a remapped direct mapping may).
     */
    private long resized(long mem, long oldSize, long oldUsable, long p, long newSize) {
        takeBack(mem, oldSize, oldUsable);
        long moved = handOut(p, newSize);
        if (moved == mem) {
            frees--;
            allocations--;
        }
        return moved;
    }

    /**
     * Resizes a direct mapping with the page source (mremap: page tables move, bytes are not
     * copied, so the footprint never holds both sizes); returns the moved chunk, or 0 when the page
     * source cannot.
     */
    private long remapDirect(long p, long nb) {
        int s = segments.find(p);
        long base = segments.base(s);
        long offset = p - base;
        long bytes = PageSource.roundUp(offset + nb + Chunk.OVERHEAD, pageSize);
        long moved;
        try {
            moved = pages.resize(base, segments.end(s) - base, bytes);
        } catch (PageSourceException e) {
            return 0;
        }
        if (moved == 0) {
            return 0;
        }
        segments.remove(s);
        segments.add(moved, bytes, true);
        long np = moved + offset;
        chunk.setHead(np, (bytes - offset) | CINUSE | MMAPPED | PINUSE);
        notePeak();
        return np;
    }

    /** Grows p into a free next chunk, dv or top, or shrinks it by splitting; false when it cannot stay. */
    private boolean resizeInPlace(long p, long head, long nb) {
        long oldSize = Chunk.size(head);
        long keep = head & PINUSE;
        if (oldSize >= nb) {
            long rest = oldSize - nb;
            if (rest >= MIN_SIZE) {
                chunk.setHead(p, keep | nb | CINUSE);
                chunk.setHead(p + nb, rest | CINUSE | PINUSE);
                dispose(p + nb, rest);
            }
            return true;
        }
        long next = p + oldSize;
        if (next == top) {
            long total = oldSize + topSize;
            if (total < nb + MIN_SIZE) {
                return false;
            }
            chunk.setHead(p, keep | nb | CINUSE);
            top = p + nb;
            topSize = total - nb;
            chunk.setHead(top, topSize | PINUSE);
            return true;
        }
        if (next == dv) {
            long total = oldSize + dvSize;
            if (total < nb) {
                return false;
            }
            long rest = total - nb;
            if (rest >= MIN_SIZE) {
                chunk.setHead(p, keep | nb | CINUSE);
                dv = p + nb;
                dvSize = rest;
                chunk.setFreeSize(dv, rest);
            } else {
                chunk.setHead(p, keep | total | CINUSE);
                chunk.setHead(p + total, chunk.head(p + total) | PINUSE);
                dv = 0;
                dvSize = 0;
            }
            return true;
        }
        long nextHead = chunk.head(next);
        if ((nextHead & CINUSE) != 0 || oldSize + Chunk.size(nextHead) < nb) {
            return false;
        }
        long total = oldSize + Chunk.size(nextHead);
        unlinkChunk(next, Chunk.size(nextHead));
        long rest = total - nb;
        if (rest < MIN_SIZE) {
            chunk.setHead(p, keep | total | CINUSE);
            chunk.setHead(p + total, chunk.head(p + total) | PINUSE);
        } else {
            chunk.setHead(p, keep | nb | CINUSE);
            chunk.setHead(p + nb, rest | CINUSE | PINUSE);
            dispose(p + nb, rest);
        }
        return true;
    }

    @Override
    public long alloc(long size, long alignment) {
        if (alignment <= Chunk.ALIGNMENT && alignment > 0 && (alignment & (alignment - 1)) == 0) {
            return alloc(size);
        }
        InvalidSizeException.check(name, size, alignment);
        try {
            return alignedChunk(size, alignment);
        } catch (PageSourceException e) {
            throw outOfMemory(size, e);
        }
    }

    private long alignedChunk(long size, long alignment) {
        long nb = pad(size);
        if (nb + alignment + MIN_SIZE >= mmapThreshold) {
            return handOut(mapDirect(nb, alignment), size);
        }
        // Over-allocate so an aligned chunk with room for a leading free chunk fits inside, then
        // give back the leading and trailing parts.
        long p = mallocChunk(nb + alignment + MIN_SIZE);
        long mem = p + MEM_OFFSET;
        if ((mem & (alignment - 1)) != 0) {
            long aligned = ((mem + alignment - 1) & -alignment) - MEM_OFFSET;
            long start = aligned - p >= MIN_SIZE ? aligned : aligned + alignment;
            long lead = start - p;
            long size0 = Chunk.size(chunk.head(p));
            chunk.setHead(start, (size0 - lead) | CINUSE | PINUSE);
            chunk.setHead(p, (chunk.head(p) & PINUSE) | lead | CINUSE);
            dispose(p, lead);
            p = start;
        }
        long size1 = Chunk.size(chunk.head(p));
        if (size1 >= nb + MIN_SIZE) {
            chunk.setHead(p, (chunk.head(p) & PINUSE) | nb | CINUSE);
            chunk.setHead(p + nb, (size1 - nb) | CINUSE | PINUSE);
            dispose(p + nb, size1 - nb);
        }
        return handOut(p, size);
    }

    // ------------------------------------------------------------------ the system: segments, direct maps, trim

    private long fromSystem(long nb) {
        if (closed) {
            throw new AllocatorClosedException(name, "alloc");
        }
        if (nb >= mmapThreshold) {
            return mapDirect(nb, Chunk.ALIGNMENT);
        }
        long bytes = PageSource.roundUp(nb + MIN_SIZE + FENCE_SIZE, granularity);
        long base = reserve(bytes);
        segments.add(base, bytes, false);
        if (topSize != 0) {
            retireTop();
        }
        top = base;
        topSize = bytes - FENCE_SIZE;
        chunk.setHead(top, topSize | PINUSE);
        chunk.setHead(base + bytes - FENCE_SIZE, CINUSE);
        notePeak();
        return fromTop(nb);
    }

    /** The old top becomes an ordinary free chunk when a new segment takes over. */
    private void retireTop() {
        long t = top;
        long size = topSize;
        top = 0;
        topSize = 0;
        chunk.setFreeSize(t, size);
        binOrRelease(t, size);
    }

    /**
     * A chunk of at least nb bytes on its own mapping, its user address aligned to {@code alignment}:
     * the mapping is reserved with room to align, then the pages before the chunk's header and after
     * its end are given back.
     */
    private long mapDirect(long nb, long alignment) {
        if (closed) {
            throw new AllocatorClosedException(name, "alloc");
        }
        long extra = alignment > Chunk.ALIGNMENT ? alignment : 0;
        long bytes = PageSource.roundUp(nb + Chunk.OVERHEAD + extra, pageSize);
        long base = reserve(bytes);
        long p = ((base + MEM_OFFSET + alignment - 1) & -alignment) - MEM_OFFSET;
        long start = p & -pageSize;
        long end = PageSource.roundUp(p + nb + Chunk.OVERHEAD, pageSize);
        if (start > base) {
            pages.release(base, start - base);
        }
        if (end < base + bytes) {
            pages.release(end, base + bytes - end);
        }
        segments.add(start, end - start, true);
        chunk.setPrevFoot(p, p - start);
        chunk.setHead(p, (end - p) | CINUSE | MMAPPED | PINUSE);
        notePeak();
        return p;
    }

    /** The chunk of direct mapping s: within its first page, where prev_foot gives its offset. */
    long directChunk(int s) {
        long base = segments.base(s);
        for (long q = base; q < base + pageSize; q += Chunk.ALIGNMENT) {
            long head = chunk.head(q);
            if ((head & MMAPPED) != 0 && chunk.prevFoot(q) == q - base && Chunk.size(head) == segments.end(s) - q) {
                return q;
            }
        }
        throw new HeapCorruptionException(name, "direct mapping at 0x" + Long.toHexString(base)
                + " has no chunk header");
    }

    private void unmapDirect(long p, long head) {
        long size = Chunk.size(head);
        takeBack(p + MEM_OFFSET, size, size - MEM_OFFSET);
        int s = segments.find(p);
        pages.release(segments.base(s), segments.end(s) - segments.base(s));
        segments.remove(s);
    }

    /**
     * Reserves pages; when the OS refuses, gives back what can be given and tries once more. A
     * second refusal reaches the public call, which reports it as out of memory for its request.
     */
    private long reserve(long bytes) {
        try {
            return pages.reserve(bytes, pageSize);
        } catch (PageSourceException first) {
            trim();
            return pages.reserve(bytes, pageSize);
        }
    }

    private void releaseSegment(int s) {
        long base = segments.base(s);
        long bytes = segments.end(s) - base;
        segments.remove(s);
        pages.release(base, bytes);
    }

    /**
     * Gives back the top chunk beyond {@code pad} bytes: its whole segment when top fills it, else
     * the segment's tail pages. Returns the bytes given back.
     */
    private long trimTop(long pad) {
        int s = segments.find(top);
        long base = segments.base(s);
        long end = segments.end(s);
        if (top == base && pad == 0) {
            top = 0;
            topSize = 0;
            releaseSegment(s);
            return end - base;
        }
        long keepEnd = PageSource.roundUp(top + MIN_SIZE + pad + FENCE_SIZE, pageSize);
        if (keepEnd >= end) {
            return 0;
        }
        pages.release(keepEnd, end - keepEnd);
        segments.shrink(s, keepEnd);
        topSize = keepEnd - FENCE_SIZE - top;
        chunk.setHead(top, topSize | PINUSE);
        chunk.setHead(keepEnd - FENCE_SIZE, CINUSE);
        return end - keepEnd;
    }

    /**
     * Gives free memory back: dv goes to its bin, top is trimmed, every segment that is one free
     * chunk is released, and the whole-page interiors of the other large free chunks are
     * decommitted. Returns the bytes given back.
     */
    @Override
    public long trim() {
        if (closed) {
            throw new AllocatorClosedException(name, "trim");
        }
        long before = footprint();
        if (dvSize != 0) {
            long d = dv;
            long size = dvSize;
            dv = 0;
            dvSize = 0;
            binOrRelease(d, size);
        }
        if (topSize != 0) {
            trimTop(0);
        }
        for (int s = segments.count() - 1; s >= 0; s--) {
            if (segments.isDirect(s)) {
                continue;
            }
            long p = segments.base(s);
            long head = chunk.head(p);
            long size = Chunk.size(head);
            if (p != top && (head & CINUSE) == 0 && p + size == segments.end(s) - FENCE_SIZE) {
                unlinkChunk(p, size);
                releaseSegment(s);
            }
        }
        decommitTreeChunks();
        return before - footprint();
    }

    private void decommitTreeChunks() {
        List<Long> work = new ArrayList<>();
        for (int i = 0; i < TreeBins.COUNT; i++) {
            if ((treeBins.map() & (1 << i)) != 0) {
                work.add(treeBins.root(i));
            }
        }
        while (!work.isEmpty()) {
            long t = work.removeLast();
            for (long side = 0; side < 2; side++) {
                long c = chunk.child(t, side);
                if (c != 0) {
                    work.add(c);
                }
            }
            long member = t;
            do {
                decommitInterior(member);
                member = chunk.fd(member);
            } while (member != t);
        }
    }

    private void decommitInterior(long p) {
        long head = chunk.head(p);
        if ((head & DECOMMITTED) != 0) {
            return;
        }
        long lo = interiorStart(p);
        long hi = interiorEnd(p, Chunk.size(head));
        if (hi > lo) {
            pages.decommit(lo, hi - lo);
            decommitted += hi - lo;
            chunk.setHead(p, head | DECOMMITTED);
        }
    }

    /** A decommitted chunk left its bin: its pages will fault in again, so they count once more. */
    private void recommitted(long p, long size) {
        decommitted -= interiorEnd(p, size) - interiorStart(p);
        notePeak();
    }

    /** The first whole page after a free chunk's links. */
    long interiorStart(long p) {
        return PageSource.roundUp(p + Chunk.TREE_HEADER, pageSize);
    }

    /** The end of the last whole page before a free chunk's footer. */
    long interiorEnd(long p, long size) {
        return (p + size) & -pageSize;
    }

    private void notePeak() {
        peakFootprint = Math.max(peakFootprint, footprint());
    }

    long footprint() {
        return stateBytes + segments.heapBytes() + segments.directBytes() - decommitted;
    }

    // ------------------------------------------------------------------ inspection

    @Override
    public AllocatorStats stats() {
        if (closed) {
            throw new AllocatorClosedException(name, "stats");
        }
        List<AllocatorStats.Group> groups = new ArrayList<>();
        for (int i = 2; i < SmallBins.COUNT; i++) {
            int n = smallBins.count(i);
            if (n > 0) {
                long size = SmallBins.size(i);
                groups.add(new AllocatorStats.Group("small bin " + size, size, AllocatorStats.UNKNOWN, n, n * size,
                        n * size));
            }
        }
        for (int i = 0; i < TreeBins.COUNT; i++) {
            int n = treeBins.count(i);
            if (n > 0) {
                String range = i == TreeBins.COUNT - 1 ? "[" + TreeBins.minSize(i) + ", ...)"
                        : "[" + TreeBins.minSize(i) + ", " + TreeBins.minSize(i + 1) + ")";
                groups.add(new AllocatorStats.Group("tree bin " + i + " " + range, 0, AllocatorStats.UNKNOWN, n,
                        treeBins.bytes(i), treeBins.bytes(i)));
            }
        }
        groups.add(new AllocatorStats.Group("dv", 0, 0, dvSize == 0 ? 0 : 1, dvSize, dvSize));
        groups.add(new AllocatorStats.Group("top", 0, 0, topSize == 0 ? 0 : 1, topSize, topSize));
        groups.add(new AllocatorStats.Group("direct mappings", 0, segments.directCount(), 0, 0,
                segments.directBytes()));
        long metadata = stateBytes + FENCE_SIZE * segments.heapCount() + (liveChunkBytes - liveUsable);
        return new AllocatorStats(liveBlocks, AllocatorStats.UNKNOWN, liveUsable, footprint(), peakFootprint, metadata,
                allocations, frees, groups);
    }

    @Override
    public void verify() {
        if (closed) {
            throw new AllocatorClosedException(name, "verify");
        }
        new Verifier(this).run();
    }

    @Override
    public boolean walk(HeapVisitor visitor) {
        if (closed) {
            throw new AllocatorClosedException(name, "walk");
        }
        visitor.range(stateBase, stateBytes, HeapVisitor.State.METADATA);
        for (int s = 0; s < segments.count(); s++) {
            long base = segments.base(s);
            long end = segments.end(s);
            if (segments.isDirect(s)) {
                long p = directChunk(s);
                if (p > base) {
                    visitor.range(base, p - base, HeapVisitor.State.METADATA);
                }
                visitor.range(p, end - p, HeapVisitor.State.IN_USE);
                continue;
            }
            for (long p = base; p < end - FENCE_SIZE; ) {
                long head = chunk.head(p);
                long size = Chunk.size(head);
                if ((head & CINUSE) != 0) {
                    visitor.range(p, size, HeapVisitor.State.IN_USE);
                } else if ((head & DECOMMITTED) != 0) {
                    long lo = interiorStart(p);
                    long hi = interiorEnd(p, size);
                    visitor.range(p, lo - p, HeapVisitor.State.FREE);
                    visitor.range(lo, hi - lo, HeapVisitor.State.RELEASED);
                    if (p + size > hi) {
                        visitor.range(hi, p + size - hi, HeapVisitor.State.FREE);
                    }
                } else {
                    visitor.range(p, size, HeapVisitor.State.FREE);
                }
                p += size;
            }
            visitor.range(end - FENCE_SIZE, FENCE_SIZE, HeapVisitor.State.METADATA);
        }
        return true;
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.INDIVIDUAL_FREE, Feature.REALLOCATE, Feature.EXACT_STATS, Feature.RETURNS_MEMORY,
                Feature.DETECTS_DOUBLE_FREE, Feature.DETECTS_FOREIGN_ADDRESS, Feature.PROBED, Feature.HEAP_WALK);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (segments.count() > 0) {
            releaseSegment(segments.count() - 1);
        }
        pages.release(stateBase, stateBytes);
        smallBins.clear();
        treeBins.clear();
        top = 0;
        topSize = 0;
        dv = 0;
        dvSize = 0;
        decommitted = 0;
    }

    // ------------------------------------------------------------------ state for the Verifier

    Chunk chunk() {
        return chunk;
    }

    Segments segments() {
        return segments;
    }

    SmallBins smallBins() {
        return smallBins;
    }

    TreeBins treeBins() {
        return treeBins;
    }

    long top() {
        return top;
    }

    long topSize() {
        return topSize;
    }

    long dv() {
        return dv;
    }

    long dvSize() {
        return dvSize;
    }

    long overhead() {
        return overhead;
    }

    boolean footers() {
        return footers;
    }

    long ownerTag() {
        return ownerTag;
    }

    long decommitted() {
        return decommitted;
    }

    long peakFootprint() {
        return peakFootprint;
    }

    long liveBlocks() {
        return liveBlocks;
    }

    long liveUsable() {
        return liveUsable;
    }

    long pageSize() {
        return pageSize;
    }

    long stateBytes() {
        return stateBytes;
    }

    String heapName() {
        return name;
    }
}
