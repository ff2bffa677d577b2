package org.allockit.leak;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongLongConsumer;

/**
 * One stripe of a tracker's live blocks: an Agrona open-addressing map from block address to a
 * handle, the records of the blocks whose site is known, and the stripe's counters. A tracker keeps
 * several stripes and picks one by address, so threads working on different blocks rarely meet.
 *
 * <p>A handle is the block's requested size when no site was recorded (COUNT, or not sampled), or
 * {@code ~record} (negative) for a block with a {@link BlockRecords} record:
 * <pre>
 *  handle >= 0 :  requested size                  (no site)
 *  handle <  0 :  ~record number in BlockRecords  (size, site, birth, front)
 * </pre>
 * Invariant: {@code bytes} is the sum of the requested sizes of the blocks in {@code blocks}.
 * Not thread-safe by itself: callers hold {@link #lock} when the tracker is shared by threads.
 */
final class LiveBlocks {

    /** What the map returns for an address it does not hold. */
    static final long MISSING = Long.MIN_VALUE;

    final StripeLock lock = new StripeLock();
    private final Long2LongHashMap blocks = new Long2LongHashMap(64, 0.65f, MISSING, true);
    private final BlockRecords records = new BlockRecords();
    private long bytes;
    private long allocations;
    private long frees;

    /**
     * Records a block with no site, unless the heap's own sampler already recorded it with its site
     * during the allocation; then that record is kept and given the requested size.
     */
    void addUnsited(long address, long size) {
        long sampled = blocks.putIfAbsent(address, size);
        if (sampled == MISSING) {
            bytes += size;
            allocations++;
        } else {
            int r = (int) ~sampled;
            bytes += size - records.size(r);
            records.resize(r, size);
        }
    }

    /** Records a block with its site, birth time and front offset. */
    void addSited(long address, long size, int site, long bornNanos, int front) {
        blocks.put(address, ~(long) records.add(size, site, bornNanos, front));
        bytes += size;
        allocations++;
    }

    /** The handle of the live block at {@code address}, or {@link #MISSING}; leaves it live. */
    long find(long address) {
        return blocks.get(address);
    }

    /**
     * Removes the block at {@code address} and returns its handle, or {@link #MISSING} when no live
     * block starts there. The handle's record stays readable until {@link #release(long)}.
     */
    long take(long address) {
        long handle = blocks.remove(address);
        if (handle != MISSING) {
            bytes -= size(handle);
            frees++;
        }
        return handle;
    }

    /** Frees the record behind a handle returned by {@link #take(long)}. */
    void release(long handle) {
        if (handle < 0) {
            records.release((int) ~handle);
        }
    }

    long size(long handle) {
        return handle >= 0 ? handle : records.size((int) ~handle);
    }

    /** The handle's site number, {@code -1} when no site was recorded. */
    int site(long handle) {
        return handle >= 0 ? -1 : records.site((int) ~handle);
    }

    /** When the block was allocated ({@link System#nanoTime()}), 0 when no site was recorded. */
    long born(long handle) {
        return handle >= 0 ? 0 : records.born((int) ~handle);
    }

    /** Bytes between the allocation and the block under PARANOID, 0 otherwise. */
    int front(long handle) {
        return handle >= 0 ? 0 : records.front((int) ~handle);
    }

    int blocks() {
        return blocks.size();
    }

    long bytes() {
        return bytes;
    }

    long allocations() {
        return allocations;
    }

    long frees() {
        return frees;
    }

    /** Calls {@code visitor} with each live block's address and handle. */
    void forEach(LongLongConsumer visitor) {
        blocks.forEachLong(visitor);
    }
}
