package org.allockit.bench.workload;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.allockit.bench.contender.Contender;

/**
 * A broken contender: each block ends where the previous one starts, eight bytes too late, so the
 * last word a workload writes into the new block lands on the previous block's first word. A
 * workload that reads its blocks back before freeing them must notice.
 */
final class OverlappingContender extends Contender {

    private static final long SPAN = 64L << 20;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment slab = arena.allocate(SPAN, 4096);
    private long previous = SPAN - (8L << 20);

    OverlappingContender() {
        super("overlapping");
    }

    @Override
    public long alloc(long size) {
        long next = previous - Math.max(Long.BYTES, size - Long.BYTES);
        previous = next < 0 ? SPAN - (8L << 20) : next;
        return slab.address() + previous;
    }

    @Override
    public long alloc(long size, long alignment) {
        return alloc(size);
    }

    @Override
    public void free(long handle) {
    }

    @Override
    public long address(long handle) {
        return handle;
    }

    @Override
    public boolean threadSafe() {
        return true;
    }

    @Override
    public long footprint() {
        return SPAN;
    }

    @Override
    public void close() {
        arena.close();
    }
}
