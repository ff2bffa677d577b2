package org.allockit.core.kit;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.HeapVisitor;
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
 * block still holds its pattern over its requested bytes and up to 64 KiB of usable slack after them
 * (checked whole before the block is freed, reallocated or rewritten, and after other steps whole
 * up to 64 KiB, at both ends and one word in 256 beyond: {@link BlockPattern#firstMismatchSampled}); {@code stats()} agrees with the model where the
 * allocator declares {@link Feature#EXACT_STATS}; where it declares {@link Feature#HEAP_WALK}, the
 * walk's ranges do not overlap and every live block starts in an {@code IN_USE} one;
 * {@code verify()} passes. Single-threaded.
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

        /**
         * The bytes that carry the block's pattern: the requested ones and the usable slack after
         * them, up to {@link #SLACK_PATTERNED} of it (glibc can leave a 64-byte block aligned to
         * 1 GiB with 128 MiB of slack, too much to write on every step).
         */
        long patterned() {
            return Math.min(usable, requested + SLACK_PATTERNED);
        }

        @Override
        public String toString() {
            return name() + "[0x" + Long.toHexString(address) + ", " + requested + " B requested, "
                    + usable + " usable, aligned " + alignment + "]";
        }
    }

    /** At most this much of a block's usable slack beyond its requested size carries the pattern. */
    static final long SLACK_PATTERNED = 64 << 10;

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

    /** Counts blocks a test allocated and freed on the allocator directly, so the stats still agree. */
    public void countAllocatedAndFreedDirectly(int blocks) {
        allocations += blocks;
        frees += blocks;
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
        return add(nextId++, call(call, () -> allocator.alloc(size)), size, naturalAlignment, call, null);
    }

    public Block alloc(long size, long alignment) {
        allocations++;
        String call = "alloc(" + size + ", " + alignment + ")";
        return add(nextId++, call(call, () -> allocator.alloc(size, alignment)), size, alignment, call, null);
    }

    /** {@code reallocate(0, size)}, which allocates. */
    public Block reallocateNull(long size) {
        allocations++;
        String call = "reallocate(0, " + size + ")";
        return add(nextId++, call(call, () -> allocator.reallocate(0, size)), size, naturalAlignment, call, null);
    }

    public Block reallocate(int id, long newSize) {
        Block old = remove(id);
        String call = "reallocate(" + old.name() + ", " + newSize + ")";
        long moved = call(call, () -> allocator.reallocate(old.address(), newSize));
        if (moved != old.address()) {
            allocations++;
            frees++;
        }
        return add(id, moved, newSize, naturalAlignment, call, old);
    }

    public void free(int id) {
        Block block = remove(id);
        allocator.free(block.address());
        frees++;
    }

    /** Writes a fresh pattern over every usable byte of a block. */
    public void write(int id) {
        Block old = byId.get(id);
        long bad = BlockPattern.firstMismatch(old.address(), old.patterned(), old.seed());
        if (bad >= 0) {
            throw overwritten(old, bad);
        }
        Block renewed = new Block(id, old.address(), old.requested(), old.alignment(), old.usable(),
                BlockPattern.seed(id, ++writes));
        BlockPattern.fill(renewed.address(), renewed.patterned(), renewed.seed());
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
            long bad = BlockPattern.firstMismatchSampled(b.address(), b.patterned(), b.seed());
            if (bad >= 0) {
                throw overwritten(b, bad);
            }
            previous = b;
        }
        checkStats();
        if (has(Feature.HEAP_WALK)) {
            checkWalk();
        }
        allocator.verify();
    }

    /** Frees every live block, then checks that nothing is live, that {@code verify()} passes and that a trim gives the memory back. */
    public void freeEverything() {
        for (int id : liveIds()) {
            free(id);
        }
        checkEmpty();
    }

    /**
     * Frees every live block at once with {@code freeAll} (a region pool's reset), then checks as
     * {@link #freeEverything()} does; returns false, checking nothing, when {@code freeAll} does.
     */
    public boolean freeEverythingAtOnce(Predicate<Allocator> freeAll) {
        for (Block b : List.copyOf(byAddress.values())) {
            remove(b.id());
        }
        if (!freeAll.test(allocator)) {
            return false;
        }
        frees = allocations;
        checkEmpty();
        return true;
    }

    private void checkEmpty() {
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

    /**
     * Checks and records a block the allocator just returned, then writes its pattern; when it is
     * {@code resized} by a reallocation, first checks that the bytes the old block had to keep are there.
     */
    private Block add(int id, long address, long size, long alignment, String call, Block resized) {
        if (address == 0) {
            throw new AssertionError(call + " returned address 0");
        }
        long usable = allocator.usableSize(address);
        Block b = new Block(id, address, size, alignment, usable, BlockPattern.seed(id, ++writes));
        String context = " returned by " + call;
        if (usable < size) {
            throw new AssertionError(b + context + ": usableSize " + usable + " is below the " + size + " requested");
        }
        checkViews(b, context);
        if (resized != null) {
            long kept = Math.min(resized.requested(), size);
            long bad = BlockPattern.firstMismatch(address, kept, resized.seed());
            if (bad >= 0) {
                throw new AssertionError(b + context + " lost the contents of " + resized + " at byte " + bad
                        + " of the " + kept + " it had to keep: " + describeByte(address, bad, resized.seed()));
            }
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
        BlockPattern.fill(address, b.patterned(), b.seed());
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
        long bad = BlockPattern.firstMismatch(b.address(), b.patterned(), b.seed());
        if (bad >= 0) {
            throw overwritten(b, bad);
        }
        byAddress.remove(b.address());
        liveUsable -= b.usable();
        return b;
    }

    /** {@code segment(address)} and {@code buffer(address)} cover exactly the usable bytes. */
    private void checkViews(Block b, String context) {
        MemorySegment segment = allocator.segment(b.address());
        if (segment.address() != b.address() || segment.byteSize() != b.usable()) {
            throw new AssertionError(b + context + ": segment() is " + segment + ", not the usable bytes");
        }
        if (b.usable() <= Integer.MAX_VALUE) {
            var buffer = allocator.buffer(b.address());
            if (buffer.addressOffset() != b.address() || buffer.capacity() != b.usable()) {
                throw new AssertionError(b + context + ": buffer() covers " + buffer.capacity() + " bytes at 0x"
                        + Long.toHexString(buffer.addressOffset()) + ", not the usable bytes");
            }
        }
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

    /** The heap walk reports ranges that do not overlap, and every live block starts inside an IN_USE one. */
    private void checkWalk() {
        List<long[]> ranges = new ArrayList<>();
        if (!allocator.walk((address, bytes, state) -> ranges.add(new long[] {address, bytes, state.ordinal()}))) {
            throw new AssertionError("walk() returned false although the allocator declares HEAP_WALK");
        }
        ranges.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        TreeMap<Long, long[]> inUse = new TreeMap<>();
        long end = 0;
        for (long[] r : ranges) {
            if (Long.compareUnsigned(r[0], end) < 0) {
                throw new AssertionError("walk() reports overlapping ranges: " + describe(r) + " starts before 0x" + Long.toHexString(end));
            }
            end = r[0] + r[1];
            if (r[2] == HeapVisitor.State.IN_USE.ordinal()) {
                inUse.put(r[0], r);
            }
        }
        for (Block b : byAddress.values()) {
            var range = inUse.floorEntry(b.address());
            if (range == null || b.address() >= range.getKey() + range.getValue()[1]) {
                throw new AssertionError(b + " is live but starts in no IN_USE range of walk()");
            }
        }
    }

    private static String describe(long[] range) {
        return HeapVisitor.State.values()[(int) range[2]] + " [0x" + Long.toHexString(range[0]) + ", +" + range[1] + ")";
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
