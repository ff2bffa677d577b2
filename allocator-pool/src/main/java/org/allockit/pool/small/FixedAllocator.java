package org.allockit.pool.small;

import java.util.Arrays;
import org.allockit.pool.Backing;

/**
 * Loki's {@code FixedAllocator}: the chunks of one block size, with {@code page / blockSize} blocks
 * each (clamped to 8..255).
 *
 * <p>It remembers the chunk of the last allocation ({@code allocChunk}), which serves the next one
 * while it has room, and the chunk of the last free ({@code deallocChunk}), from which a free told
 * only the block's size searches outward, one neighbour down and one up in turn (the vicinity search,
 * {@link #deallocate(long)}): blocks freed together were mostly allocated together, so the search
 * usually ends within a step or two, but frees in random order make it walk a good part of the
 * chunks. A free whose chunk is already known ({@link #deallocate(Chunk, long)}) skips it. When the
 * last-alloc chunk is full, the empty chunk (if any) is taken, else the last-free chunk if it has room
 * (a departure from Loki, which scans: with frees in random order it almost always has), else the
 * first chunk with room (only when some chunk has room: a count of free blocks saves the scan while
 * all are full), else a new chunk.
 *
 * <p>Invariant: at most one chunk is empty ({@code emptyChunk}); {@code freeBlocks} equals the sum of
 * the chunks' available blocks. Confined to the owning allocator's thread.
 */
final class FixedAllocator {

    private static final int MIN_BLOCKS = 8;

    final int blockSize;
    final int blocksPerChunk;
    private final Backing backing;
    private final ChunkDirectory directory;
    private final Footprint footprint;
    private final long chunkAlignment;

    private Chunk[] chunks = new Chunk[4];
    private int count;
    private int allocChunk = -1;
    private int deallocChunk = -1;
    private int emptyChunk = -1;
    private long freeBlocks;
    private long searchSteps;

    FixedAllocator(int blockSize, long pageSize, long chunkAlignment, Backing backing, ChunkDirectory directory,
                   Footprint footprint) {
        this.blockSize = blockSize;
        this.blocksPerChunk = blocksPerChunk(pageSize, blockSize);
        this.chunkAlignment = chunkAlignment;
        this.backing = backing;
        this.directory = directory;
        this.footprint = footprint;
    }

    /** Loki's chunk shape: as many blocks as fit a page, at least 8 and at most 255. */
    static int blocksPerChunk(long pageSize, int blockSize) {
        return (int) Math.clamp(pageSize / blockSize, MIN_BLOCKS, Chunk.MAX_BLOCKS);
    }

    /** A block of {@link #blockSize} bytes. */
    long allocate() {
        int index = allocChunk;
        if (index < 0 || chunks[index].available() == 0) {
            index = chunkWithRoom();
            allocChunk = index;
        }
        if (index == emptyChunk) {
            emptyChunk = -1;
        }
        freeBlocks--;
        return chunks[index].allocate();
    }

    /**
     * Loki's free: the vicinity search from the last-free chunk finds the chunk holding the block, then
     * the chunk checks it is a live block's start. Null when no chunk of this size holds it.
     */
    Chunk.Outcome deallocate(long block) {
        int index = vicinityFind(block);
        return index < 0 ? null : deallocate(chunks[index], block);
    }

    /** Frees a block of a chunk of this allocator found by other means (the chunk directory). */
    Chunk.Outcome deallocate(Chunk chunk, long block) {
        Chunk.Outcome outcome = chunk.deallocate(block);
        if (outcome != Chunk.Outcome.FREED) {
            return outcome;
        }
        int index = chunk.slot;
        deallocChunk = index;
        freeBlocks++;
        if (chunk.isEmpty()) {
            keepOneEmpty(index);
        }
        return outcome;
    }

    /**
     * The position of the chunk holding {@code address}, searching outward from the last-free chunk;
     * -1 when none does.
     */
    int vicinityFind(long address) {
        int low = Math.min(Math.max(deallocChunk, 0), count - 1); // -1 when there is no chunk
        int high = low + 1;
        while (low >= 0 || high < count) {
            searchSteps++;
            if (low >= 0) {
                if (chunks[low].contains(address)) {
                    return low;
                }
                low--;
            }
            if (high < count) {
                if (chunks[high].contains(address)) {
                    return high;
                }
                high++;
            }
        }
        return -1;
    }

    /** Chunks looked at by all vicinity searches so far. */
    long searchSteps() {
        return searchSteps;
    }

    /** The chunk that served the last allocation, or -1. */
    int lastAllocChunk() {
        return allocChunk;
    }

    /** The chunk that took the last free, or -1. */
    int lastFreeChunk() {
        return deallocChunk;
    }

    int chunkCount() {
        return count;
    }

    Chunk chunk(int index) {
        return chunks[index];
    }

    long freeBlocks() {
        return freeBlocks;
    }

    /** Bytes of footprint the chunks hold. */
    long footprintBytes() {
        return count * backing.footprint((long) blocksPerChunk * blockSize);
    }

    long liveBlocks() {
        return (long) count * blocksPerChunk - freeBlocks;
    }

    /** Gives the empty chunk back, if there is one; returns its bytes. */
    long releaseEmpty() {
        if (emptyChunk < 0) {
            return 0;
        }
        long bytes = chunks[emptyChunk].bytes();
        release(emptyChunk);
        emptyChunk = -1;
        return bytes;
    }

    /** Gives every chunk back, live blocks or not. */
    void releaseAll() {
        while (count > 0) {
            release(count - 1);
        }
        allocChunk = deallocChunk = emptyChunk = -1;
    }

    /** Checks the chunks and counters; returns a description of the first break, or null. */
    String check() {
        long free = 0;
        int empty = 0;
        for (int i = 0; i < count; i++) {
            String broken = chunks[i].check();
            if (broken != null) {
                return "chunk at 0x" + Long.toHexString(chunks[i].base) + ": " + broken;
            }
            free += chunks[i].available();
            empty += chunks[i].isEmpty() ? 1 : 0;
        }
        if (free != freeBlocks) {
            return "chunks hold " + free + " free blocks, counter says " + freeBlocks;
        }
        if (allocChunk >= count || deallocChunk >= count || emptyChunk >= count
                || (emptyChunk >= 0 && !chunks[emptyChunk].isEmpty())) {
            return "remembered chunks " + allocChunk + ", " + deallocChunk + ", " + emptyChunk + " of " + count;
        }
        return empty > 1 ? empty + " empty chunks, at most one is kept" : null;
    }

    private int chunkWithRoom() {
        if (emptyChunk >= 0) {
            return emptyChunk;
        }
        if (deallocChunk >= 0 && chunks[deallocChunk].available() > 0) {
            return deallocChunk;
        }
        if (freeBlocks > 0) {
            for (int i = 0; i < count; i++) {
                if (chunks[i].available() > 0) {
                    return i;
                }
            }
        }
        return newChunk();
    }

    private int newChunk() {
        long bytes = (long) blocksPerChunk * blockSize;
        long base = backing.obtainFor(SmallObjectAllocator.NAME, bytes, chunkAlignment);
        Chunk chunk = new Chunk(this, base, blockSize, blocksPerChunk);
        if (count == chunks.length) {
            chunks = Arrays.copyOf(chunks, count * 2);
        }
        chunks[count] = chunk;
        chunk.slot = count;
        directory.add(chunk);
        footprint.add(backing.footprint(bytes));
        freeBlocks += blocksPerChunk;
        return count++;
    }

    /** A chunk just became empty: it becomes the one kept, and an older empty chunk is released. */
    private void keepOneEmpty(int index) {
        int older = emptyChunk;
        if (older >= 0 && older != index) {
            int last = count - 1;
            release(older);
            if (index == last) {
                index = older; // the last chunk was moved into the released one's place
            }
        }
        emptyChunk = index;
    }

    /** Releases the chunk at {@code index}, moving the last chunk into its place. */
    private void release(int index) {
        Chunk chunk = chunks[index];
        directory.remove(chunk);
        backing.give(chunk.base, chunk.bytes());
        footprint.remove(backing.footprint(chunk.bytes()));
        freeBlocks -= chunk.available();
        int last = --count;
        chunks[index] = chunks[last];
        chunks[index].slot = index;
        chunks[last] = null;
        allocChunk = renumber(allocChunk, index, last);
        deallocChunk = renumber(deallocChunk, index, last);
        emptyChunk = renumber(emptyChunk, index, last);
    }

    /** Where a remembered position points after the chunk at {@code removed} is released and {@code last} moved there. */
    private static int renumber(int position, int removed, int last) {
        if (position == removed) {
            return -1;
        }
        return position == last ? removed : position;
    }
}
