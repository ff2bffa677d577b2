package org.allockit.core.dl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.allockit.core.MemoryProbe;

/**
 * The layout of a dlmalloc chunk and the only code that reads or writes its words. Every other
 * class of the heap goes through these accessors, so a {@link MemoryProbe} sees every header,
 * footer and bin-pointer access, and no other class computes an offset.
 *
 * <pre>
 *  chunk p ──►┌────────────────────────────────────────────┐ +0   prev_foot: the previous chunk's size
 *             │                                            │      while it is free (its footer); else its data
 *             ├────────────────────────────────────────────┤ +8   head: size | DECOMMITTED | MMAPPED | CINUSE | PINUSE
 *  mem     ──►├────────────────────────────────────────────┤ +16  user bytes while in use; while free:
 *             │ fd        (free: next chunk in its bin)    │ +16
 *             │ bk        (free: previous chunk in its bin)│ +24
 *             │ child[0]  (free tree chunk, ≥ 256 B)       │ +32
 *             │ child[1]                                   │ +40
 *             │ parent    (0 for a chunk hanging off a node's same-size ring)
 *             │                                            │ +48
 *             │ bin index (tree chunks)                    │ +56
 *             ├ ...                                        ┤
 *  p + size ─►│ footer = size while p is free; while p is  │ the next chunk's prev_foot
 *             │ in use its last 8 user bytes (owner tag in │
 *             │ FOOTERS mode)                              │
 *             └────────────────────────────────────────────┘
 * </pre>
 *
 * Sizes are multiples of {@link #ALIGNMENT}, so the four low bits of the head carry flags. A heap
 * segment ends with a 16-byte fence: a chunk of size 0 marked in use, whose prev_foot holds the
 * footer of the chunk before it. A directly mapped chunk keeps the offset of the chunk from the
 * start of its mapping in prev_foot.
 *
 * <p>Instances are immutable (the probe is final) and may be shared; the words they access belong to
 * whichever heap owns the chunk and are guarded by it.
 */
final class Chunk {

    /** Byte offsets of a chunk's words. */
    static final long PREV_FOOT = 0;
    static final long HEAD = 8;
    static final long FD = 16;
    static final long BK = 24;
    static final long CHILD = 32;
    static final long PARENT = 48;
    static final long INDEX = 56;

    /** User memory starts this far after the chunk. */
    static final long MEM_OFFSET = 16;
    /** Every chunk and every user address is a multiple of this. */
    static final long ALIGNMENT = 16;
    /** The smallest chunk: head, footer and the two bin links fit. */
    static final long MIN_SIZE = 32;
    /** The head word is the only overhead of an in-use chunk: it borrows the next chunk's prev_foot. */
    static final long OVERHEAD = 8;
    /** The overhead in FOOTERS mode, where the next chunk's prev_foot holds the owner tag. */
    static final long OVERHEAD_WITH_FOOTER = 16;
    /** The end-of-segment fence: a prev_foot and a head of a zero-size in-use chunk. */
    static final long FENCE_SIZE = 16;
    /** The bytes of a free tree chunk that hold links (fd, bk, children, parent, index). */
    static final long TREE_HEADER = 64;

    /** The previous chunk is in use. */
    static final long PINUSE = 1;
    /** This chunk is in use. */
    static final long CINUSE = 2;
    /** This chunk was mapped on its own (direct mapping). */
    static final long MMAPPED = 4;
    /** A free chunk whose whole-page interior was given back to the OS (MADV_DONTNEED). */
    static final long DECOMMITTED = 8;
    static final long INUSE_BITS = PINUSE | CINUSE;
    static final long FLAG_BITS = 15;

    /**
     * Whether the probe hooks are compiled in. Always true except when the JVM is started with
     * {@code -Dallockit.dl.probeHooks=false}: then the JIT folds every hook away, which gives
     * {@code ProbeOverheadBenchmark} the same allocation code without hooks as its baseline.
     */
    static final boolean HOOKS = !"false".equals(System.getProperty("allockit.dl.probeHooks"));

    /** All of memory, so an address is an offset; reads and writes are plain aligned loads and stores. */
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** Every word is 8-aligned; the unaligned layout only spares the JIT the alignment check. */
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private final MemoryProbe probe;

    Chunk(MemoryProbe probe) {
        this.probe = probe;
    }

    static long size(long head) {
        return head & ~FLAG_BITS;
    }

    static long mem(long p) {
        return p + MEM_OFFSET;
    }

    static long fromMem(long mem) {
        return mem - MEM_OFFSET;
    }

    long head(long p) {
        return read(p + HEAD);
    }

    void setHead(long p, long head) {
        write(p + HEAD, head);
    }

    long prevFoot(long p) {
        return read(p + PREV_FOOT);
    }

    void setPrevFoot(long p, long value) {
        write(p + PREV_FOOT, value);
    }

    long fd(long p) {
        return read(p + FD);
    }

    void setFd(long p, long fd) {
        write(p + FD, fd);
    }

    long bk(long p) {
        return read(p + BK);
    }

    void setBk(long p, long bk) {
        write(p + BK, bk);
    }

    long child(long p, long side) {
        return read(p + CHILD + (side << 3));
    }

    void setChild(long p, long side, long child) {
        write(p + CHILD + (side << 3), child);
    }

    long parent(long p) {
        return read(p + PARENT);
    }

    void setParent(long p, long parent) {
        write(p + PARENT, parent);
    }

    int index(long p) {
        return (int) read(p + INDEX);
    }

    void setIndex(long p, int index) {
        write(p + INDEX, index);
    }

    /** Marks p free with its footer, and tells the next chunk its previous chunk is free. */
    void setFree(long p, long size, long next) {
        setHead(next, head(next) & ~PINUSE);
        setFreeSize(p, size);
    }

    /** Head and footer of a free chunk whose previous chunk is in use. */
    void setFreeSize(long p, long size) {
        setHead(p, size | PINUSE);
        setPrevFoot(p + size, size);
    }

    /** Head of an in-use chunk (keeping p's PINUSE) and the next chunk's PINUSE. */
    void setInUse(long p, long size) {
        setHead(p, (head(p) & PINUSE) | size | CINUSE);
        long next = p + size;
        setHead(next, head(next) | PINUSE);
    }

    /** Head of an in-use chunk whose previous chunk is in use, and the next chunk's PINUSE. */
    void setInUseAndPinuse(long p, long size) {
        setHead(p, size | CINUSE | PINUSE);
        long next = p + size;
        setHead(next, head(next) | PINUSE);
    }

    /** Head of an in-use chunk followed by a free remainder, which gets its head and footer. */
    void split(long p, long size, long remainder) {
        setHead(p, size | CINUSE | PINUSE);
        setFreeSize(p + size, remainder);
    }

    /** Reads an 8-byte word of user memory (not metadata: never reported). */
    static long userWord(long address) {
        return MEMORY.get(WORD, address);
    }

    /** Copies user bytes between blocks (not metadata: never reported). */
    static void copy(long from, long to, long bytes) {
        MemorySegment.copy(MEMORY, from, MEMORY, to, bytes);
    }

    private long read(long address) {
        if (HOOKS && probe != null) {
            probe.metadataRead(address, 8);
        }
        return MEMORY.get(WORD, address);
    }

    private void write(long address, long value) {
        if (HOOKS && probe != null) {
            probe.metadataWrite(address, 8);
        }
        MEMORY.set(WORD, address, value);
    }
}
