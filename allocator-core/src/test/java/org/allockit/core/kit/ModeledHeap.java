package org.allockit.core.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.OutOfNativeMemoryError;

/**
 * An allocator under test beside a model of what it should hold: every live block by name
 * ({@code b1, b2, ...}) with its address, requested size, alignment, usable size and the seed of the
 * pattern last written into it, plus the allocation and free counts the allocator should report.
 * It is the state the kit's action chains run on.
 *
 * <p>Invariants, checked by {@link #checkInvariants()} after every step: live blocks never overlap
 * (extents are {@code [address, address + usableSize)}); each address is a multiple of its
 * alignment; {@code usableSize >= requested} and does not change while the block lives; every live
 * block still holds its pattern (checked whole before the block is freed, reallocated or rewritten,
 * and after other steps whole up to 64 KiB, at both ends and one word in 256 beyond:
 * {@link BlockPattern#firstMismatchSampled}); {@code stats()} agrees with the model where the
 * allocator declares {@link Feature#EXACT_STATS}; {@code verify()} passes. Single-threaded.
 */
public final class ModeledHeap implements AutoCloseable {

    /** One live block as the model knows it. */
    public record Block(int id, long address, long requested, long alignment, long usable, long seed) {

        public String name() {
            return "b" + id;
        }

        long end() {
            return address + usable;
        }

        @Override
        public String toString() {
            return name() + "[0x" + Long.toHexString(address) + ", " + requested + " B requested, "
                    + usable + " usable, aligned " + alignment + "]";
        }
    }

    private final Allocator allocator;
    private final Set<Feature> features;
    private final long naturalAlignment;
    private final long startFootprint;
    private final TreeMap<Long, Block> byAddress = new TreeMap<>();
    private final Map<Integer, Block> byId = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private int nextId = 1;
    private long writes;
    private long allocations;
    private long frees;
    private long liveUsable;

    public ModeledHeap(Allocator allocator, long naturalAlignment) {
        this.allocator = allocator;
        this.features = allocator.features();
        this.naturalAlignment = naturalAlignment;
        this.startFootprint = allocator.stats().footprintBytes();
    }

    public Allocator allocator() {
        return allocator;
    }

    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    /** Names of the live blocks, oldest first. */
    public List<Integer> liveIds() {
        return new ArrayList<>(byId.keySet());
    }

    /** The name the next new block will get. */
    public String nextName() {
        return "b" + nextId;
    }

    /** Records a call about to be made, with the model's block names. */
    public void log(String call) {
        calls.add(call);
    }

    /** The calls made so far, one per line, as logged. */
    public String calls() {
        return "    " + String.join("\n    ", calls);
    }

    /** The live block at {@code choice} modulo the number live, oldest first, or -1 when none is live. */
    public int pick(int choice) {
        if (byId.isEmpty()) {
            return -1;
        }
        return liveIds().get(Math.floorMod(choice, byId.size()));
    }

    public boolean hasLiveBlocks() {
        return !byId.isEmpty();
    }

    /** Usable bytes of all live blocks. */
    public long liveUsableBytes() {
        return liveUsable;
    }

    public Block block(int id) {
        return byId.get(id);
    }

    public Block alloc(long size) {
        allocations++;
        String call = "alloc(" + size + ")";
        return add(nextId++, call(call, () -> allocator.alloc(size)), size, naturalAlignment, call);
    }

    public Block alloc(long size, long alignment) {
        allocations++;
        String call = "alloc(" + size + ", " + alignment + ")";
        return add(nextId++, call(call, () -> allocator.alloc(size, alignment)), size, alignment, call);
    }

    /** {@code reallocate(0, size)}, which allocates. */
    public Block reallocateNull(long size) {
        allocations++;
        String call = "reallocate(0, " + size + ")";
        return add(nextId++, call(call, () -> allocator.reallocate(0, size)), size, naturalAlignment, call);
    }

    public Block reallocate(int id, long newSize) {
        Block old = remove(id);
        String call = "reallocate(" + old.name() + ", " + newSize + ")";
        long moved = call(call, () -> allocator.reallocate(old.address(), newSize));
        if (moved != old.address()) {
            allocations++;
            frees++;
        }
        long kept = Math.min(old.requested(), newSize);
        long bad = BlockPattern.firstMismatch(moved, kept, old.seed());
        if (bad >= 0) {
            throw new AssertionError(call + " to 0x" + Long.toHexString(moved) + " lost the contents of " + old
                    + " at byte " + bad + " of the " + kept + " it had to keep: " + describeByte(moved, bad, old.seed()));
        }
        return add(id, moved, newSize, naturalAlignment, call);
    }

    public void free(int id) {
        Block block = remove(id);
        allocator.free(block.address());
        frees++;
    }

    /** Writes a fresh pattern over every usable byte of a block. */
    public void write(int id) {
        Block old = byId.get(id);
        long bad = BlockPattern.firstMismatch(old.address(), old.usable(), old.seed());
        if (bad >= 0) {
            throw overwritten(old, bad);
        }
        Block renewed = new Block(id, old.address(), old.requested(), old.alignment(), old.usable(),
                BlockPattern.seed(id, ++writes));
        BlockPattern.fill(renewed.address(), renewed.usable(), renewed.seed());
        byId.put(id, renewed);
        byAddress.put(renewed.address(), renewed);
    }

    /** Checks every invariant of the class comment; throws {@link AssertionError} naming the first broken one. */
    public void checkInvariants() {
        Block previous = null;
        for (Block b : byAddress.values()) {
            checkPlacement(b, previous, "");
            long usable = allocator.usableSize(b.address());
            if (usable != b.usable()) {
                throw new AssertionError(b + ": usableSize changed to " + usable + " while the block was live");
            }
            long bad = BlockPattern.firstMismatchSampled(b.address(), b.usable(), b.seed());
            if (bad >= 0) {
                throw overwritten(b, bad);
            }
            previous = b;
        }
        checkStats();
        allocator.verify();
    }

    /** Frees every live block, then checks that nothing is live, that {@code verify()} passes and that a trim gives the memory back. */
    public void freeEverything() {
        for (int id : liveIds()) {
            free(id);
        }
        checkInvariants();
        allocator.trim();
        AllocatorStats stats = allocator.stats();
        if (has(Feature.RETURNS_MEMORY) && stats.footprintBytes() > startFootprint) {
            throw new AssertionError("after freeing everything and trim() the footprint is " + stats.footprintBytes()
                    + " bytes, above the " + startFootprint + " it started at: " + stats);
        }
        allocator.verify();
    }

    @Override
    public void close() {
        allocator.close();
    }

    @Override
    public String toString() {
        return allocator.name() + " with " + byId.size() + " live blocks " + byAddress.values();
    }

    private Block add(int id, long address, long size, long alignment, String call) {
        if (address == 0) {
            throw new AssertionError(call + " returned address 0");
        }
        long usable = allocator.usableSize(address);
        Block b = new Block(id, address, size, alignment, usable, BlockPattern.seed(id, ++writes));
        String context = " returned by " + call;
        if (usable < size) {
            throw new AssertionError(b + context + ": usableSize " + usable + " is below the " + size + " requested");
        }
        var below = byAddress.floorEntry(address);
        checkPlacement(b, below == null ? null : below.getValue(), context);
        var above = byAddress.higherEntry(address);
        if (above != null) {
            checkPlacement(above.getValue(), b, context);
        }
        byAddress.put(address, b);
        byId.put(id, b);
        liveUsable += usable;
        BlockPattern.fill(address, usable, b.seed());
        return b;
    }

    /**
     * Makes an allocating call, turning an {@link OutOfNativeMemoryError} into a failure of this
     * check: JUnit and jqwik treat any {@link OutOfMemoryError} as fatal and would end the whole run.
     */
    private static long call(String call, LongSupplier allocation) {
        try {
            return allocation.getAsLong();
        } catch (OutOfNativeMemoryError e) {
            throw new AssertionError(call + " ran out of memory: " + e.getMessage(), e);
        }
    }

    /** Takes a block out of the model after checking every byte of it. */
    private Block remove(int id) {
        Block b = byId.remove(id);
        long bad = BlockPattern.firstMismatch(b.address(), b.usable(), b.seed());
        if (bad >= 0) {
            throw overwritten(b, bad);
        }
        byAddress.remove(b.address());
        liveUsable -= b.usable();
        return b;
    }

    /** Alignment of {@code b}, and that it starts after {@code below} (the live block before it, or null) ends. */
    private static void checkPlacement(Block b, Block below, String context) {
        if (Long.remainderUnsigned(b.address(), b.alignment()) != 0) {
            throw new AssertionError(b + context + " is not aligned to " + b.alignment());
        }
        if (below != null && (below.address() == b.address() || below.end() > b.address())) {
            throw new AssertionError(b + context + " overlaps live block " + below);
        }
    }

    private void checkStats() {
        AllocatorStats s = allocator.stats();
        if (!has(Feature.EXACT_STATS)) {
            return;
        }
        long requested = 0;
        for (Block b : byId.values()) {
            requested += b.requested();
        }
        expect(s, "liveBlocks", s.liveBlocks(), byId.size());
        expect(s, "liveUsableBytes", s.liveUsableBytes(), liveUsable);
        if (s.liveRequestedBytes() != AllocatorStats.UNKNOWN) {
            expect(s, "liveRequestedBytes", s.liveRequestedBytes(), requested);
        }
        expect(s, "allocations", s.allocations(), allocations);
        expect(s, "frees", s.frees(), frees);
        if (has(Feature.RETURNS_MEMORY) && s.peakFootprintBytes() < s.footprintBytes()) {
            throw new AssertionError("stats() peakFootprintBytes " + s.peakFootprintBytes() + " is below footprintBytes: " + s);
        }
    }

    private static void expect(AllocatorStats s, String figure, long actual, long expected) {
        if (actual != expected) {
            throw new AssertionError("stats()." + figure + " is " + actual + ", the model says " + expected + ": " + s);
        }
    }

    private static AssertionError overwritten(Block b, long offset) {
        return new AssertionError(b + " was overwritten at byte " + offset + ": " + describeByte(b.address(), offset, b.seed()));
    }

    private static String describeByte(long address, long offset, long seed) {
        return String.format("0x%02x, expected 0x%02x", BlockPattern.actual(address + offset) & 0xff,
                BlockPattern.expected(seed, offset) & 0xff);
    }
}
