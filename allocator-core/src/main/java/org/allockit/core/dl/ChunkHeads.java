package org.allockit.core.dl;

/**
 * A read-only look at the head of a chunk that a {@link DlHeap} handed out, for a front-end cache
 * that takes blocks back without the heap's lock (the ptmalloc-style heap's per-thread cache). It
 * only reads words, never writes, so a wrong answer cannot corrupt the heap; the caller must know
 * that the words lie in memory the heap reserved (reading it cannot fault) and must send anything
 * it refuses to the heap's own checked {@code free}.
 *
 * <p>Thread-safe: an in-use chunk's size and the next chunk's PINUSE bit do not change while the
 * chunk is in use, whatever the owning heap does to its neighbours.
 */
public final class ChunkHeads {

    private static final Chunk PLAIN = new Chunk(null);

    private ChunkHeads() {
    }

    /**
     * The usable size of the block at {@code mem} if its head says it is an in-use, heap (not
     * mapped) chunk of at most {@code maxUsable} usable bytes whose next chunk agrees that it is in
     * use; otherwise -1. A block that passes may still be a stale copy of a head (a double free after
     * the chunk was merged), which only the heap's own checks can tell.
     */
    public static long cachableUsable(long mem, long maxUsable) {
        if ((mem & (Chunk.ALIGNMENT - 1)) != 0) {
            return -1;
        }
        long p = Chunk.fromMem(mem);
        long head = PLAIN.head(p);
        long size = Chunk.size(head);
        long usable = size - Chunk.OVERHEAD;
        if ((head & (Chunk.CINUSE | Chunk.MMAPPED | Chunk.DECOMMITTED)) != Chunk.CINUSE
                || size < Chunk.MIN_SIZE || usable > maxUsable) {
            return -1;
        }
        return (PLAIN.head(p + size) & Chunk.PINUSE) != 0 ? usable : -1;
    }

    /** The usable size of the smallest chunk holding {@code requested} bytes, as a DlHeap without footers pads it. */
    public static long usableFor(long requested) {
        long size = Math.max(Chunk.MIN_SIZE, (requested + Chunk.OVERHEAD + Chunk.ALIGNMENT - 1) & -Chunk.ALIGNMENT);
        return size - Chunk.OVERHEAD;
    }
}
