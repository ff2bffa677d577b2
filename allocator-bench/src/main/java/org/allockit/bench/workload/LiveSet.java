package org.allockit.bench.workload;

import org.allockit.bench.contender.Contender;

/**
 * A fixed number of slots, each holding one live block of a contender with its size: the working
 * set the churning workloads keep. Replacing a slot reads and frees its block, then allocates and
 * writes the new one.
 *
 * <p>Thread safety: none; one thread owns a live set (the sampling thread may read {@link #bytes}).
 */
final class LiveSet {

    private final Contender contender;
    private final long[] handles;
    private final long[] sizes;
    private long bytes;
    private long sink;

    LiveSet(Contender contender, int slots) {
        this.contender = contender;
        this.handles = new long[slots];
        this.sizes = new long[slots];
    }

    int slots() {
        return handles.length;
    }

    /** Allocates every slot. */
    void fill(Sizes source, Rng rng) {
        for (int i = 0; i < handles.length; i++) {
            put(i, source.draw(rng));
        }
    }

    /** Frees the block in {@code slot} and puts a new one of {@code size} bytes there. */
    void replace(int slot, long size) {
        release(slot);
        put(slot, size);
    }

    /** Takes the block out of {@code slot} (not freed) and puts a new one there; returns the old handle. */
    long swap(int slot, long size) {
        long old = handles[slot];
        bytes -= sizes[slot];
        put(slot, size);
        return old;
    }

    private void put(int slot, long size) {
        long handle = contender.alloc(size);
        Contender.write(contender.address(handle), size);
        handles[slot] = handle;
        sizes[slot] = size;
        bytes += size;
    }

    private void release(int slot) {
        long handle = handles[slot];
        sink += Contender.read(contender.address(handle), sizes[slot]);
        contender.free(handle);
        bytes -= sizes[slot];
    }

    /** Frees every block. */
    void clear() {
        for (int i = 0; i < handles.length; i++) {
            release(i);
        }
    }

    long bytes() {
        return bytes;
    }

    /** The sum of everything read, so the reads cannot be optimised away. */
    long sink() {
        return sink;
    }
}
