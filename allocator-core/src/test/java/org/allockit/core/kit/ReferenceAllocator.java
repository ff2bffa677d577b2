package org.allockit.core.kit;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.Feature;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidAddressException.Reason;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.PageSourceException;

/**
 * The simplest correct allocator, to check the kit against: every block is its own reservation from
 * a {@link PageSource}, given back on free, and a sorted map from address to block knows everything,
 * so every misuse is detected and every figure is exact. Slow and wasteful (a page per block); it
 * exists to prove that the kit passes a correct allocator, and its subclasses in the kit's own tests
 * each break one rule to prove that the kit catches it.
 *
 * <p>Invariant: {@code live} holds exactly the blocks handed out and not freed, none overlapping;
 * {@code freed} holds addresses given back and not handed out again. Thread-safe: every call
 * synchronizes on the allocator.
 */
public class ReferenceAllocator implements Allocator {

    /** A live block: its reservation and the size asked for. */
    protected record Block(long address, long requested, long reserved) {
    }

    private final PageSource pages;
    private final TreeMap<Long, Block> live = new TreeMap<>();
    private final Set<Long> freed = new HashSet<>();
    private boolean closed;
    private long requestedBytes;
    private long footprint;
    private long peakFootprint;
    private long allocations;
    private long frees;

    public ReferenceAllocator(PageSource pages) {
        this.pages = pages;
    }

    public ReferenceAllocator() {
        this(PageSource.os());
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.INDIVIDUAL_FREE, Feature.REALLOCATE, Feature.THREAD_SAFE, Feature.EXACT_STATS,
                Feature.RETURNS_MEMORY, Feature.DETECTS_DOUBLE_FREE, Feature.DETECTS_FOREIGN_ADDRESS,
                Feature.DETECTS_INTERIOR_ADDRESS, Feature.HEAP_WALK);
    }

    @Override
    public synchronized long alloc(long size) {
        return alloc(size, 16);
    }

    @Override
    public synchronized long alloc(long size, long alignment) {
        open("alloc");
        InvalidSizeException.check(name(), size, alignment);
        return reserve(size, alignment);
    }

    private long reserve(long size, long alignment) {
        long reserved = PageSource.roundUp(Math.max(size, 1), pages.pageSize());
        long address;
        try {
            address = pages.reserve(reserved, Math.max(alignment, pages.pageSize()));
        } catch (PageSourceException e) {
            throw new OutOfNativeMemoryError(name(), size, e.getMessage());
        }
        live.put(address, new Block(address, size, reserved));
        freed.remove(address);
        requestedBytes += size;
        footprint += reserved;
        peakFootprint = Math.max(peakFootprint, footprint);
        allocations++;
        return address;
    }

    @Override
    public synchronized void free(long address) {
        open("free");
        release(liveBlock("free", address));
    }

    @Override
    public synchronized long reallocate(long address, long newSize) {
        open("reallocate");
        InvalidSizeException.check(name(), newSize, 16);
        if (address == 0) {
            return reserve(newSize, 16);
        }
        Block old = liveBlock("reallocate", address);
        long moved = reserve(newSize, 16);
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(old.requested()), 0,
                MemorySegment.ofAddress(moved).reinterpret(newSize), 0, Math.min(old.requested(), newSize));
        release(old);
        return moved;
    }

    @Override
    public synchronized long usableSize(long address) {
        open("usableSize");
        return liveBlock("usableSize", address).reserved();
    }

    @Override
    public synchronized AllocatorStats stats() {
        open("stats");
        return new AllocatorStats(live.size(), requestedBytes, footprint, footprint, peakFootprint, 0, allocations, frees);
    }

    @Override
    public synchronized void verify() {
        open("verify");
        long end = 0;
        long requested = 0;
        long reserved = 0;
        for (Block b : live.values()) {
            if (b.address() < end) {
                throw new HeapCorruptionException(name(), "block 0x" + Long.toHexString(b.address()) + " overlaps the one before");
            }
            end = b.address() + b.reserved();
            requested += b.requested();
            reserved += b.reserved();
        }
        if (requested != requestedBytes || reserved != footprint || live.size() != allocations - frees) {
            throw new HeapCorruptionException(name(), "counters disagree with the blocks: " + stats());
        }
    }

    @Override
    public synchronized long trim() {
        open("trim");
        return 0;
    }

    /** Every live block is its own reservation, reported whole as {@code IN_USE}. */
    @Override
    public synchronized boolean walk(HeapVisitor visitor) {
        open("walk");
        for (Block b : live.values()) {
            visitor.range(b.address(), b.reserved(), HeapVisitor.State.IN_USE);
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            for (Block b : live.values()) {
                pages.release(b.address(), b.reserved());
            }
            live.clear();
            closed = true;
        }
    }

    /** The live blocks by address, for subclasses that break the rules on purpose. */
    protected Map<Long, Block> liveBlocks() {
        return live;
    }

    private void release(Block b) {
        live.remove(b.address());
        freed.add(b.address());
        pages.release(b.address(), b.reserved());
        requestedBytes -= b.requested();
        footprint -= b.reserved();
        frees++;
    }

    private Block liveBlock(String operation, long address) {
        Block b = live.get(address);
        if (b != null) {
            return b;
        }
        if (freed.contains(address)) {
            throw new DoubleFreeException(name(), operation, address, "block already freed");
        }
        var below = live.floorEntry(address);
        if (below != null && address < below.getKey() + below.getValue().reserved()) {
            throw new InvalidAddressException(name(), operation, address, Reason.INTERIOR,
                    "invalid pointer: inside the block at 0x" + Long.toHexString(below.getKey()));
        }
        throw new InvalidAddressException(name(), operation, address, Reason.FOREIGN, "invalid pointer: not a block of this heap");
    }

    private void open(String operation) {
        if (closed) {
            throw new AllocatorClosedException(name(), operation);
        }
    }
}
