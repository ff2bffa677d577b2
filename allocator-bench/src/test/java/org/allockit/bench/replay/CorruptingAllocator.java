package org.allockit.bench.replay;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;

/** Test double: {@code malloc} with one deliberate fault, to show the replayer catches it. */
final class CorruptingAllocator implements Allocator {

    enum Fault {
        /** None: plain {@code malloc}. */
        NONE,
        /** Every 50th allocation also flips the first byte of the oldest live block. */
        OVERWRITE_LIVE_BLOCK,
        /** {@code reallocate} moves the block without copying it. */
        REALLOCATE_WITHOUT_COPY,
        /** Every aligned allocation comes back 8 bytes past the alignment. */
        MISALIGN,
        /** The 100th allocation hands out the block of the 99th again (nothing is freed; no reallocate). */
        HAND_OUT_TWICE
    }

    private final Allocator malloc;
    private final Fault fault;
    private final boolean hideFootprint;
    private final Set<Long> live = new LinkedHashSet<>();
    private final Set<Feature> missing = EnumSet.noneOf(Feature.class);
    private long allocations;
    private long previous;

    /** {@code malloc} with {@code fault}; with {@code hideFootprint}, a footprint of UNKNOWN in {@link #stats()}. */
    CorruptingAllocator(Allocator malloc, Fault fault, boolean hideFootprint) {
        this.malloc = malloc;
        this.fault = fault;
        this.hideFootprint = hideFootprint;
    }

    /** This allocator without {@code features}: calls that need them throw. */
    CorruptingAllocator without(Feature... features) {
        missing.addAll(List.of(features));
        return this;
    }

    /** Blocks handed out and not given back. */
    int liveBlocks() {
        return live.size();
    }

    @Override
    public String name() {
        return "corrupting-" + fault.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public long alloc(long size) {
        return alloc(size, 16);
    }

    @Override
    public long alloc(long size, long alignment) {
        allocations++;
        if (fault == Fault.HAND_OUT_TWICE && allocations == 100 && previous != 0) {
            return previous;
        }
        if (fault == Fault.MISALIGN && alignment > 16) {
            return malloc.alloc(size + 8, alignment) + 8;
        }
        long address = malloc.alloc(size, alignment);
        if (fault == Fault.OVERWRITE_LIVE_BLOCK && allocations % 50 == 0 && !live.isEmpty()) {
            MemorySegment victim = MemorySegment.ofAddress(live.iterator().next()).reinterpret(1);
            victim.set(ValueLayout.JAVA_BYTE, 0, (byte) ~victim.get(ValueLayout.JAVA_BYTE, 0));
        }
        live.add(address);
        previous = address;
        return address;
    }

    @Override
    public void free(long address) {
        if (missing.contains(Feature.INDIVIDUAL_FREE)) {
            throw new UnsupportedOperationException("free");
        }
        if (fault != Fault.HAND_OUT_TWICE) {
            live.remove(address);
            malloc.free(address);
        }
    }

    @Override
    public long reallocate(long address, long newSize) {
        if (fault == Fault.HAND_OUT_TWICE || missing.contains(Feature.REALLOCATE)) {
            throw new UnsupportedOperationException("reallocate");
        }
        live.remove(address);
        long moved;
        if (fault == Fault.REALLOCATE_WITHOUT_COPY) {
            moved = malloc.alloc(newSize);
            malloc.free(address);
        } else {
            moved = malloc.reallocate(address, newSize);
        }
        live.add(moved);
        return moved;
    }

    @Override
    public long usableSize(long address) {
        return malloc.usableSize(address);
    }

    @Override
    public AllocatorStats stats() {
        AllocatorStats s = malloc.stats();
        return hideFootprint
                ? new AllocatorStats(s.liveBlocks(), s.liveRequestedBytes(), s.liveUsableBytes(), AllocatorStats.UNKNOWN,
                        AllocatorStats.UNKNOWN, s.metadataBytes(), s.allocations(), s.frees())
                : s;
    }

    @Override
    public void verify() {
        malloc.verify();
    }

    @Override
    public Set<Feature> features() {
        Set<Feature> features = EnumSet.copyOf(malloc.features());
        features.removeAll(missing);
        return features;
    }

    @Override
    public void close() {
        malloc.close();
    }
}
