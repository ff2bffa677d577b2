package org.allockit.bench.workload;

import java.util.HashMap;
import java.util.Map;
import org.allockit.bench.contender.Contender;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;

/**
 * A contender over glibc malloc that checks how a workload uses it: every free is of a live block,
 * and every block freed was written first (its first word is its own address, the stamp
 * {@link Contender#write} leaves). Counts allocations, frees and resizes.
 */
final class CheckingContender extends Contender {

    private final Allocator malloc = Allocators.create("malloc");
    final Map<Long, Long> live = new HashMap<>();
    long allocations;
    long frees;
    long reallocations;
    long smallest = Long.MAX_VALUE;
    long largest;

    CheckingContender() {
        super("checking");
    }

    @Override
    public synchronized long alloc(long size) {
        return born(malloc.alloc(size), size);
    }

    @Override
    public synchronized long alloc(long size, long alignment) {
        long address = born(malloc.alloc(size, alignment), size);
        if (address % alignment != 0) {
            throw new AssertionError("misaligned");
        }
        return address;
    }

    private long born(long address, long size) {
        allocations++;
        smallest = Math.min(smallest, size);
        largest = Math.max(largest, size);
        if (live.put(address, size) != null) {
            throw new AssertionError("address handed out twice");
        }
        return address;
    }

    @Override
    public synchronized void free(long handle) {
        Long size = live.remove(handle);
        if (size == null) {
            throw new AssertionError(String.format("free of 0x%x, which is not live", handle));
        }
        if (size >= Long.BYTES && Contender.word(handle) != handle) {
            throw new AssertionError(String.format("block 0x%x of %d B freed without being written", handle, size));
        }
        frees++;
        malloc.free(handle);
    }

    @Override
    public synchronized long realloc(long handle, long oldSize, long newSize) {
        if (live.get(handle) == null || live.get(handle) != oldSize) {
            throw new AssertionError("resize of a block that is not live at that size");
        }
        reallocations++;
        long moved = malloc.reallocate(handle, newSize);
        live.remove(handle);
        live.put(moved, newSize);
        return moved;
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
        return UNKNOWN;
    }

    synchronized long liveBytes() {
        return live.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        malloc.close();
    }
}
