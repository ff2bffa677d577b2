package org.allockit.pool;

import java.util.function.LongPredicate;
import org.agrona.collections.Long2LongHashMap;

/**
 * The debugging mode of the bump pools (region, growing), whose blocks have no header: when on, it
 * records each block's size by address so that {@code usableSize} can answer (and the invariant kit
 * can check the pool), at the cost of one hash-map insert per allocation; when off, every call is a
 * null test and {@link #size} knows nothing. Confined to its pool's thread.
 */
public final class SizeTracker {

    private final Long2LongHashMap sizes;

    /** A tracker that records ({@code on}) or ignores everything. */
    public SizeTracker(boolean on) {
        this.sizes = on ? new Long2LongHashMap(-1) : null;
    }

    public void record(long address, long size) {
        if (sizes != null) {
            sizes.put(address, size);
        }
    }

    /** Forgets every block. */
    public void clear() {
        if (sizes != null) {
            sizes.clear();
        }
    }

    /** The recorded size of the block at {@code address}, or -1 when unknown (or not tracking). */
    public long size(long address) {
        return sizes == null ? -1 : sizes.get(address);
    }

    /** Moves the blocks whose address {@code moving} accepts to {@code target} (when both track). */
    public void moveTo(SizeTracker target, LongPredicate moving) {
        if (sizes == null || target.sizes == null) {
            return;
        }
        var moved = new Long2LongHashMap(-1);
        sizes.forEach((address, size) -> {
            if (moving.test(address)) {
                moved.put(address, size);
            }
        });
        moved.forEach((address, size) -> {
            sizes.remove(address);
            target.sizes.put(address, size);
        });
    }
}
