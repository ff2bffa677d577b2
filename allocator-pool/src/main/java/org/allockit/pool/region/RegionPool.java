package org.allockit.pool.region;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidSizeException;
import org.allockit.pool.Backing;
import org.allockit.pool.NativeMemory;
import org.allockit.pool.SizeTracker;

/**
 * A region pool after Nginx's {@code ngx_pool_t}: memory that lives exactly as long as one request or
 * one job, handed out by bumping a pointer and given back all at once.
 *
 * <p>The pool is a chain of equal blocks ({@link RegionBlock}, 16 KiB by default) from the backing.
 * A small request ({@code size <= max}, alignment up to 16) bumps {@code last} in the {@code current}
 * block or one of the blocks after it; when none has room a new block is chained at the end, and every
 * block passed over counts a failure: after more than four, {@code current} moves past it so requests
 * stop looking there. A large request (over {@code max}, or aligned beyond 16) is a block of its own
 * from the backing, tracked by a {@link LargeLink} record; only those can be freed one by one.
 * {@link #reset()} keeps the blocks, rewinds them and frees the large blocks; {@link #close()} gives
 * everything back. Both first run the cleanup actions registered with {@link #addCleanup}: each once,
 * newest first, all of them even when some throw, the failures rethrown together afterwards as a
 * {@link CleanupFailedException}.
 *
 * <p>Small blocks have no header, so {@link #free} and {@link #reallocate} of a small block are
 * refused ({@link UnsupportedOperationException}), and so is {@link #usableSize} unless the pool was
 * made with {@code trackSizes} (a debugging mode that records each small block's size in a hash map,
 * one insert per allocation: how the invariant kit checks the pool). Addresses the pool never handed
 * out are rejected as foreign. Invariant: every small block lies in {@code [block + DATA, last)} of one
 * block; every live large block is named by exactly one link.
 *
 * <p>Not thread-safe: a region belongs to the one thread serving its request.
 */
public final class RegionPool implements Allocator {

    /** The registry name. */
    public static final String NAME = "region";
    /** Nginx's default pool size. */
    public static final long DEFAULT_BLOCK_SIZE = 16 * 1024;
    /** The alignment of {@link #alloc(long)}, and the largest one served from the blocks. */
    public static final long ALIGNMENT = 16;
    /** Nginx caps small requests below one page, so a small block never spans more pages than needed. */
    private static final long PAGE_LIMIT = 4095;
    /** A block stops being searched once it has been passed over more than this many times. */
    private static final long MAX_FAILED = 4;
    /** Empty large records looked at for reuse before a new record is made. */
    private static final int LARGE_REUSE_SCAN = 4;

    private final Backing backing;
    private final long blockSize;
    private final long max;
    private final Cleanups cleanups = new Cleanups();
    private final SizeTracker tracked;

    private long first;
    private long current;
    private long large;
    private boolean closed;

    private long blocks;
    private long smallLive;
    private long smallBytes;
    private long smallRequested;
    private long largeLive;
    private long largeBytes;
    private long largeFootprint;
    private long linkBytes;
    /** Blocks given back; with the live ones they are all the allocations ever made, so those are not counted apart. */
    private long frees;
    private long peakFootprint;

    /** A pool of 16 KiB blocks from {@code backing}. */
    public RegionPool(Backing backing) {
        this(backing, DEFAULT_BLOCK_SIZE, false);
    }

    /**
     * A pool of {@code blockSize}-byte blocks from {@code backing}; small requests are those up to
     * {@code min(blockSize - header, 4095)}. With {@code trackSizes}, {@link #usableSize} works for
     * small blocks too, at the cost of a hash-map insert per allocation.
     */
    public RegionPool(Backing backing, long blockSize, boolean trackSizes) {
        if (blockSize < RegionBlock.DATA + ALIGNMENT || blockSize > Integer.MAX_VALUE) {
            throw new InvalidSizeException(NAME, blockSize, "is not a usable block size (from "
                    + (RegionBlock.DATA + ALIGNMENT) + " to 2 GiB)");
        }
        this.backing = backing;
        this.blockSize = blockSize;
        this.max = Math.min(blockSize - RegionBlock.DATA, PAGE_LIMIT);
        this.tracked = new SizeTracker(trackSizes);
        this.first = newBlock();
        this.current = first;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The size of each block. */
    public long blockSize() {
        return blockSize;
    }

    /** The largest request served from the blocks; larger ones are allocated separately. */
    public long max() {
        return max;
    }

    @Override
    public long alloc(long size) {
        if (size > 0 && size <= max && !closed) { // the common case: no other argument to check
            long block = current;
            long start = NativeMemory.alignUp(RegionBlock.last(block), ALIGNMENT);
            if (RegionBlock.end(block) - start >= size) {
                RegionBlock.last(block, start + size);
                return handOut(start, size, size);
            }
        }
        return alloc(size, ALIGNMENT);
    }

    /** Nginx's {@code ngx_pnalloc}: a small block with no alignment (strings, byte buffers). */
    public long allocUnaligned(long size) {
        return alloc(size, 1);
    }

    @Override
    public long alloc(long size, long alignment) {
        InvalidSizeException.check(NAME, size, alignment);
        checkOpen("alloc");
        if (size <= max && alignment <= ALIGNMENT) {
            long bytes = Math.max(size, 1); // every block distinct, even of size 0
            return handOut(bump(bytes, alignment), bytes, size);
        }
        return allocLarge(size, alignment);
    }

    /**
     * Registers an action to run at the next {@link #reset()} or {@link #close()} (Nginx's
     * {@code ngx_pool_cleanup_add}): closing a file or a native handle whose memory is in the pool.
     */
    public void addCleanup(AutoCloseable action) {
        checkOpen("addCleanup");
        cleanups.add(java.util.Objects.requireNonNull(action, "action"));
    }

    /** Gives back a large block; a small block cannot be freed alone. */
    @Override
    public void free(long address) {
        checkOpen("free");
        long link = findLarge(address);
        if (link == 0) {
            throw notLarge("free", address);
        }
        long size = LargeLink.size(link);
        LargeLink.clear(link);
        backing.give(address, Math.max(size, 1));
        largeLive--;
        largeBytes -= size;
        largeFootprint -= backing.footprint(Math.max(size, 1));
        frees++;
    }

    /** Large blocks move to a new large block; small blocks cannot be resized. */
    @Override
    public long reallocate(long address, long newSize) {
        InvalidSizeException.check(NAME, newSize, ALIGNMENT);
        checkOpen("reallocate");
        if (address == 0) {
            return alloc(newSize);
        }
        long link = findLarge(address);
        if (link == 0) {
            throw notLarge("reallocate", address);
        }
        long moved = alloc(newSize);
        NativeMemory.copy(address, moved, Math.min(newSize, LargeLink.size(link)));
        free(address);
        return moved;
    }

    @Override
    public long usableSize(long address) {
        checkOpen("usableSize");
        long link = findLarge(address);
        if (link != 0) {
            return LargeLink.size(link);
        }
        long size = tracked.size(address);
        if (size < 0) {
            throw notLarge("usableSize", address);
        }
        return size;
    }

    /** Nothing to give back while the pool lives: blocks go at {@link #close()}. */
    @Override
    public long trim() {
        checkOpen("trim");
        return 0;
    }

    /**
     * Runs the cleanups, frees the large blocks and rewinds every block, keeping them for the next
     * request (Nginx's {@code ngx_reset_pool}). Every small block handed out before is invalid after.
     */
    public void reset() {
        checkOpen("reset");
        List<Throwable> failures = cleanups.runAll();
        freeLarge();
        for (long block = first; block != 0; block = RegionBlock.next(block)) {
            RegionBlock.rewind(block);
        }
        current = first;
        forgetSmall();
        linkBytes = 0;
        throwIfAny(failures);
    }

    /** Runs the cleanups and gives every block back to the backing. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<Throwable> failures = cleanups.runAll();
        freeLarge();
        for (long block = first; block != 0; ) {
            long next = RegionBlock.next(block);
            backing.give(block, blockSize);
            block = next;
        }
        forgetSmall();
        blocks = 0;
        first = current = 0;
        closed = true;
        backing.close();
        throwIfAny(failures);
    }

    @Override
    public AllocatorStats stats() {
        checkOpen("stats");
        long freeInBlocks = 0;
        for (long block = first; block != 0; block = RegionBlock.next(block)) {
            freeInBlocks += RegionBlock.end(block) - RegionBlock.last(block);
        }
        long blockBytes = blocks * backing.footprint(blockSize);
        long metadata = blocks * RegionBlock.DATA + linkBytes;
        List<AllocatorStats.Group> groups = List.of(
                new AllocatorStats.Group("blocks", 0, smallLive, 0, freeInBlocks, blockBytes),
                new AllocatorStats.Group("large", 0, largeLive, 0, 0, largeFootprint));
        return new AllocatorStats(smallLive + largeLive, smallRequested + largeBytes, smallBytes + largeBytes,
                footprint(), peakFootprint, metadata, frees + smallLive + largeLive, frees, groups);
    }

    @Override
    public void verify() {
        checkOpen("verify");
        long counted = 0;
        boolean currentSeen = false;
        for (long block = first; block != 0; block = RegionBlock.next(block)) {
            long last = RegionBlock.last(block);
            if (RegionBlock.end(block) != block + blockSize || last < block + RegionBlock.DATA
                    || last > RegionBlock.end(block)) {
                throw new HeapCorruptionException(NAME, "block 0x" + Long.toHexString(block) + " has last 0x"
                        + Long.toHexString(last) + ", end 0x" + Long.toHexString(RegionBlock.end(block)));
            }
            currentSeen |= block == current;
            if (++counted > blocks) {
                throw new HeapCorruptionException(NAME, "block chain longer than the " + blocks + " blocks obtained");
            }
        }
        if (counted != blocks || !currentSeen) {
            throw new HeapCorruptionException(NAME, "block chain has " + counted + " of " + blocks
                    + " blocks" + (currentSeen ? "" : ", current block not in it"));
        }
        long live = 0;
        long links = 0;
        for (long link = large; link != 0; link = LargeLink.next(link)) {
            if (!inBlockData(link)) {
                throw new HeapCorruptionException(NAME, "large record 0x" + Long.toHexString(link) + " outside the blocks");
            }
            live += LargeLink.address(link) != 0 ? 1 : 0;
            if (++links * LargeLink.BYTES > linkBytes) {
                throw new HeapCorruptionException(NAME, "large list longer than the records made");
            }
        }
        if (live != largeLive) {
            throw new HeapCorruptionException(NAME, "large list names " + live + " blocks, " + largeLive + " are live");
        }
    }

    /** Each block's header, handed-out part and free tail, then each large block. */
    @Override
    public boolean walk(HeapVisitor visitor) {
        checkOpen("walk");
        for (long block = first; block != 0; block = RegionBlock.next(block)) {
            long data = block + RegionBlock.DATA;
            long last = RegionBlock.last(block);
            visitor.range(block, RegionBlock.DATA, HeapVisitor.State.METADATA);
            if (last > data) {
                visitor.range(data, last - data, HeapVisitor.State.IN_USE);
            }
            if (RegionBlock.end(block) > last) {
                visitor.range(last, RegionBlock.end(block) - last, HeapVisitor.State.FREE);
            }
        }
        for (long link = large; link != 0; link = LargeLink.next(link)) {
            if (LargeLink.address(link) != 0) {
                visitor.range(LargeLink.address(link), Math.max(LargeLink.size(link), 1), HeapVisitor.State.IN_USE);
            }
        }
        return true;
    }

    /** No individual free of small blocks, no double-free detection (a freed large block is simply unknown). */
    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.EXACT_STATS, Feature.DETECTS_FOREIGN_ADDRESS, Feature.HEAP_WALK);
    }

    private long handOut(long start, long bytes, long size) {
        smallLive++;
        smallBytes += bytes;
        smallRequested += size;
        tracked.record(start, bytes);
        return start;
    }

    private void forgetSmall() {
        frees += smallLive;
        smallLive = 0;
        smallBytes = 0;
        smallRequested = 0;
        tracked.clear();
    }

    /** Bumps {@code bytes} out of the first block from {@code current} with room, or out of a new block. */
    private long bump(long bytes, long alignment) {
        for (long block = current; block != 0; block = RegionBlock.next(block)) {
            long start = NativeMemory.alignUp(RegionBlock.last(block), alignment);
            if (RegionBlock.end(block) - start >= bytes) {
                RegionBlock.last(block, start + bytes);
                return start;
            }
        }
        return bumpInNewBlock(bytes, alignment);
    }

    private long bumpInNewBlock(long bytes, long alignment) {
        long block = newBlock();
        long start = NativeMemory.alignUp(block + RegionBlock.DATA, alignment);
        RegionBlock.last(block, start + bytes);
        long tail = current;
        for (; RegionBlock.next(tail) != 0; tail = RegionBlock.next(tail)) {
            if (RegionBlock.failedIncrement(tail) > MAX_FAILED) {
                current = RegionBlock.next(tail);
            }
        }
        RegionBlock.next(tail, block);
        return start;
    }

    private long allocLarge(long size, long alignment) {
        long bytes = Math.max(size, 1);
        long address = backing.obtainFor(name(), bytes, Math.max(alignment, ALIGNMENT));
        try {
            link(address, size);
        } catch (RuntimeException | OutOfMemoryError e) {
            backing.give(address, bytes);
            throw e;
        }
        largeLive++;
        largeBytes += size;
        largeFootprint += backing.footprint(bytes);
        peakFootprint = Math.max(peakFootprint, footprint());
        return address;
    }

    /** Records a large block in an empty record among the first few, or in a new one. */
    private void link(long address, long size) {
        int scanned = 0;
        for (long link = large; link != 0 && scanned < LARGE_REUSE_SCAN; link = LargeLink.next(link), scanned++) {
            if (LargeLink.address(link) == 0) {
                LargeLink.fill(link, address, size);
                return;
            }
        }
        long link = bump(LargeLink.BYTES, Long.BYTES); // the pool's metadata, not a block handed out
        linkBytes += LargeLink.BYTES;
        LargeLink.set(link, large, address, size);
        large = link;
    }

    private long findLarge(long address) {
        for (long link = large; link != 0; link = LargeLink.next(link)) {
            if (LargeLink.address(link) == address && address != 0) {
                return link;
            }
        }
        return 0;
    }

    private void freeLarge() {
        for (long link = large; link != 0; link = LargeLink.next(link)) {
            long address = LargeLink.address(link);
            if (address != 0) {
                backing.give(address, Math.max(LargeLink.size(link), 1));
                frees++;
            }
        }
        large = 0;
        largeLive = 0;
        largeBytes = 0;
        largeFootprint = 0;
    }

    private long newBlock() {
        long block = backing.obtainFor(name(), blockSize, ALIGNMENT);
        RegionBlock.init(block, blockSize);
        blocks++;
        peakFootprint = Math.max(peakFootprint, footprint());
        return block;
    }

    private long footprint() {
        return blocks * backing.footprint(blockSize) + largeFootprint;
    }

    private boolean inBlockData(long address) {
        for (long block = first; block != 0; block = RegionBlock.next(block)) {
            if (address >= block + RegionBlock.DATA && address < RegionBlock.last(block)) {
                return true;
            }
        }
        return false;
    }

    private RuntimeException notLarge(String operation, long address) {
        if (inBlockData(address)) {
            return new UnsupportedOperationException(NAME + ": " + operation + "(0x" + Long.toHexString(address)
                    + "): a small block of a region pool cannot be freed or resized alone; reset() or close() frees it");
        }
        return new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.FOREIGN,
                "invalid pointer: not a live block of this pool");
    }

    private static void throwIfAny(List<Throwable> failures) {
        if (!failures.isEmpty()) {
            throw new CleanupFailedException(NAME, new ArrayList<>(failures));
        }
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new AllocatorClosedException(NAME, operation);
        }
    }
}
