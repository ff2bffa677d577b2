package org.allockit.core.tc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.Feature;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.MemoryProbe;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.ProbedPageSource;
import org.allockit.core.thread.CacheBudget;

/**
 * The tcmalloc-style heap, registered as {@code tc}: {@link ThreadCache thread caches} over
 * {@link TransferCache transfer caches} and {@link CentralFreeList central free lists} per
 * {@link SizeClasses size class}, over a {@link PageHeap page heap} of 8 KiB-page spans found through
 * a {@link PageMap pagemap}. See the package documentation for the design and its costs.
 *
 * <p>Settings: {@code cache_cap} (bytes all thread caches may hold together, default 32M),
 * {@code thread_cache_max} (bytes one thread cache may hold, default 4M), {@code release_rate}
 * (bytes given back to the OS per byte of spans freed, default 0.25; 0 releases only on {@code trim()}),
 * {@code sample_interval} (mean bytes between samples, default 2M, 0 = off), {@code huge_pages}
 * ({@code true} to {@code MADV_HUGEPAGE} each 2 MiB region) and {@code checking} ({@code true} to
 * detect double frees; see the package documentation for its cost).
 *
 * <p>Alignment: {@code alloc(size)} returns blocks aligned to 16 bytes, except blocks of at most 8
 * bytes, which come from the 8-byte class aligned to 8 (as tcmalloc); {@code alloc(size, 16)} always
 * gives 16.
 *
 * <p>Thread-safe. {@link #verify()} and {@link #walk} may run beside other threads (see there);
 * {@link #stats()} is exact when the other threads are quiet; {@link #close()} needs every thread to
 * be done with the heap.
 */
public final class TcHeap implements Allocator {

    public static final String NAME = "tc";

    private static final Set<String> SETTINGS =
            Set.of("cache_cap", "thread_cache_max", "release_rate", "sample_interval", "huge_pages", "checking");
    private static final long NATURAL_ALIGNMENT = 16;
    private static final int RECLAIM_AFTER_REGISTRATIONS = 16;
    private static final int RECLAIM_AFTER_FAILED_CLAIMS = 256;
    private static final int HINT_MISSES = 64;

    final MemoryProbe probe;
    final PageHeap pageHeap;
    final TransferCache[] transfer;
    final CacheBudget budget;
    final long maxPerThread;
    private final boolean checking;
    private final long sampleInterval;
    private final PageMap map;

    /** Checking mode or a probe: the fast paths report each block. */
    private final boolean observed;
    private final ThreadLocal<ThreadCache> caches = ThreadLocal.withInitial(this::register);
    /**
     * The cache of a thread that has been calling: a plain field, read without ordering. A thread uses
     * it only when it owns it ({@code owner} is final, so any thread reads it safely), which spares a
     * heap used by one thread the {@code ThreadLocal} lookup. A thread writes it only every
     * {@value #HINT_MISSES}th miss, so threads that alternate rarely write the shared line.
     */
    private ThreadCache hint;
    /** Every thread cache not yet reclaimed; guarded by itself. */
    private final List<ThreadCache> registry = new ArrayList<>();
    private int registeredSinceReclaim;
    private int failedClaimsSinceReclaim;
    /** Counters of reclaimed caches; guarded by {@code registry}. */
    private long retiredAllocations;
    private long retiredFrees;

    private final AtomicLong largeAllocations = new AtomicLong();
    private final AtomicLong largeFrees = new AtomicLong();
    private final AtomicLong largeLiveBytes = new AtomicLong();
    private volatile AllocationSampler sampler;
    private volatile boolean closed;

    public TcHeap(AllocatorOptions options) {
        options.rejectUnknown(NAME, SETTINGS);
        this.probe = options.probe();
        PageSource pages = probe == null ? options.pages() : new ProbedPageSource(options.pages(), probe);
        Map<String, String> settings = options.settings();
        double releaseRate = Double.parseDouble(settings.getOrDefault("release_rate", "0.25"));
        if (!(releaseRate >= 0)) {
            throw new IllegalArgumentException(NAME + ": release_rate must be at least 0, not " + releaseRate);
        }
        this.pageHeap = new PageHeap(NAME, pages, Boolean.parseBoolean(settings.getOrDefault("huge_pages", "false")),
                releaseRate);
        this.map = pageHeap.map;
        this.checking = Boolean.parseBoolean(settings.getOrDefault("checking", "false"));
        this.observed = checking || probe != null;
        this.budget = new CacheBudget(options.size("cache_cap", 32L << 20));
        this.maxPerThread = options.size("thread_cache_max", 4L << 20);
        this.sampleInterval = options.size("sample_interval", 2L << 20);
        this.transfer = new TransferCache[SizeClasses.count()];
        for (int cl = 1; cl < transfer.length; cl++) {
            transfer[cl] = new TransferCache(new CentralFreeList(cl, pageHeap, checking, probe));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---- fast paths ----

    @Override
    public long alloc(long size) {
        if (size >= 0 && size <= SizeClasses.MAX_SMALL) {
            int cl = SizeClasses.classOf(size);
            long block = cache().allocate(cl);
            if (observed) {
                handedOut(block, size);
            }
            return block;
        }
        return allocLarge(size, NATURAL_ALIGNMENT);
    }

    @Override
    public void free(long address) {
        Span span = map.get(address >>> SizeClasses.PAGE_SHIFT);
        if (span != null) {
            int cl = span.sizeClass;
            if (cl != 0) {
                long offset = address - span.start();
                long index = SizeClasses.objectIndex(cl, offset);
                int size = SizeClasses.size(cl);
                if (index * size == offset && index < SizeClasses.objectsPerSpan(cl)) {
                    if (observed) {
                        takenBack(span, index, address, size);
                    }
                    cache().deallocate(cl, address);
                    return;
                }
            }
        }
        freeSlow(address);
    }

    /** The calling thread's cache: the hint when it is ours, else the {@code ThreadLocal}. */
    private ThreadCache cache() {
        ThreadCache c = hint;
        if (c != null && c.owner == Thread.currentThread()) {
            return c;
        }
        return cacheFromThreadLocal();
    }

    private ThreadCache cacheFromThreadLocal() {
        ThreadCache c = caches.get();
        if (++c.hintMisses >= HINT_MISSES) {
            c.hintMisses = 0;
            hint = c;
        }
        return c;
    }

    // ---- slow paths ----

    @Override
    public long alloc(long size, long alignment) {
        InvalidSizeException.check(NAME, size, alignment);
        if (alignment <= NATURAL_ALIGNMENT) {
            return alloc(alignment == NATURAL_ALIGNMENT ? Math.max(size, NATURAL_ALIGNMENT) : size);
        }
        if (alignment <= SizeClasses.PAGE && size <= SizeClasses.MAX_SMALL) {
            for (int cl = SizeClasses.classOf(size); cl < SizeClasses.count(); cl++) {
                if (SizeClasses.size(cl) % alignment == 0) {
                    long block = cache().allocate(cl);
                    if (observed) {
                        handedOut(block, size);
                    }
                    return block;
                }
            }
        }
        return allocLarge(size, alignment);
    }

    private long allocLarge(long size, long alignment) {
        InvalidSizeException.check(NAME, size, alignment);
        checkOpen("alloc");
        long pages = Math.max(1, (size + SizeClasses.PAGE - 1) >>> SizeClasses.PAGE_SHIFT);
        long alignPages = Math.max(1, alignment >>> SizeClasses.PAGE_SHIFT);
        Span span;
        try {
            span = pageHeap.allocate(pages, alignPages);
        } catch (OutOfNativeMemoryError e) {
            giveBackAll(cache());
            span = pageHeap.allocate(pages, alignPages);
        }
        largeAllocated(span);
        if (probe != null) {
            probe.blockAllocated(span.start(), size, span.bytes());
        }
        return span.start();
    }

    private void largeAllocated(Span span) {
        largeAllocations.incrementAndGet();
        largeLiveBytes.addAndGet(span.bytes());
    }

    /** A sampled block of a class size: a span of its own, reported to the sampler; 0 when no sampler is set. */
    long allocateSampled(int size) {
        AllocationSampler listener = sampler;
        if (listener == null) {
            return 0;
        }
        checkOpen("alloc");
        Span span = pageHeap.allocate((size + SizeClasses.PAGE - 1) >>> SizeClasses.PAGE_SHIFT, 1);
        span.sampled = true;
        largeAllocated(span);
        listener.sampled(span.start(), span.bytes());
        return span.start();
    }

    /** The distance in bytes to the next sample: exponential with mean {@code sample_interval}. */
    long nextSampleInterval() {
        if (sampleInterval == 0) {
            return Long.MAX_VALUE;
        }
        double u = ThreadLocalRandom.current().nextDouble();
        return 1 + (long) (-Math.log(1 - u) * sampleInterval);
    }

    private void freeSlow(long address) {
        checkOpen("free");
        if (address == 0) {
            return;
        }
        Span span = locate(address, "free");
        synchronized (pageHeap) {
            if (span.state != Span.State.LARGE || map.get(span.startPage) != span) {
                throw new DoubleFreeException(NAME, "free", address, "the block's pages are already free");
            }
            largeFrees.incrementAndGet();
            largeLiveBytes.addAndGet(-span.bytes());
            if (probe != null) {
                probe.blockFreed(address, span.bytes());
            }
            boolean sampledBlock = span.sampled;
            long bytes = span.bytes();
            pageHeap.free(span);
            if (sampledBlock && sampler != null) {
                sampler.freed(address, bytes);
            }
        }
    }

    /**
     * The span whose block starts at {@code address}: a small span with an object boundary there or a
     * large span starting there. Throws naming what is wrong otherwise.
     */
    private Span locate(long address, String operation) {
        Span span = map.get(address >>> SizeClasses.PAGE_SHIFT);
        if (span == null) {
            throw new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.FOREIGN,
                    "invalid pointer: not in any span of this heap");
        }
        switch (span.state) {
            case FREE -> throw new DoubleFreeException(NAME, operation, address, "the span holding it is free");
            case LARGE -> {
                if (address != span.start()) {
                    throw new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.INTERIOR,
                            "invalid pointer: inside the block at 0x" + Long.toHexString(span.start()));
                }
            }
            case SMALL -> {
                int cl = span.sizeClass;
                long offset = address - span.start();
                long index = SizeClasses.objectIndex(cl, offset);
                if (index * SizeClasses.size(cl) != offset || index >= SizeClasses.objectsPerSpan(cl)) {
                    throw new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.INTERIOR,
                            "invalid pointer: not the start of a " + SizeClasses.size(cl) + "-byte block");
                }
                if (checking && !span.isInUse(index)) {
                    throw new DoubleFreeException(NAME, operation, address, "the block is free (in a cache or free list)");
                }
            }
        }
        return span;
    }

    /** Checking mode and probe: marks a block handed out from a cache. */
    private void handedOut(long block, long requested) {
        Span span = map.get(block >>> SizeClasses.PAGE_SHIFT);
        long usable = span.sizeClass == 0 ? span.bytes() : SizeClasses.size(span.sizeClass);
        if (checking && span.sizeClass != 0) {
            long index = SizeClasses.objectIndex(span.sizeClass, block - span.start());
            if (!span.markInUse(index)) {
                throw new HeapCorruptionException(NAME, "block 0x" + Long.toHexString(block)
                        + " handed out while in use: a free list holds it twice");
            }
        }
        if (probe != null) {
            probe.blockAllocated(block, requested, usable);
        }
    }

    /** Checking mode and probe: marks a small block taken back, rejecting a double free. */
    private void takenBack(Span span, long index, long address, int size) {
        if (checking && !span.markFree(index)) {
            throw new DoubleFreeException(NAME, "free", address, "the block is already free (in a cache or free list)");
        }
        if (probe != null) {
            probe.blockFreed(address, size);
        }
    }

    @Override
    public long reallocate(long address, long newSize) {
        if (address == 0) {
            return alloc(newSize);
        }
        InvalidSizeException.check(NAME, newSize, NATURAL_ALIGNMENT);
        checkOpen("reallocate");
        long usable = usable(locate(address, "reallocate"));
        if (newSize <= usable && newSize >= usable / 2) {
            return address;
        }
        long moved = alloc(newSize);
        FreeObject.copy(address, moved, Math.min(usable, newSize));
        free(address);
        return moved;
    }

    @Override
    public long usableSize(long address) {
        checkOpen("usableSize");
        return usable(locate(address, "usableSize"));
    }

    private static long usable(Span span) {
        return span.state == Span.State.SMALL ? SizeClasses.size(span.sizeClass) : span.bytes();
    }

    void checkOpen(String operation) {
        if (closed) {
            throw new AllocatorClosedException(NAME, operation);
        }
    }

    // ---- thread caches and their budget ----

    private ThreadCache register() {
        ThreadCache cache = new ThreadCache(this, Thread.currentThread());
        synchronized (registry) {
            registry.add(cache);
            registeredSinceReclaim++;
        }
        return cache;
    }

    /** Budget for a thread cache; when none is left, first reclaims the caches of threads that died. */
    long claimBudget(long bytes) {
        long got = budget.lease(1, bytes);
        if (got < bytes && reclaimDue()) {
            reclaimDeadCaches();
            got += budget.lease(1, bytes - got);
        }
        return got;
    }

    private boolean reclaimDue() {
        synchronized (registry) {
            return registeredSinceReclaim >= RECLAIM_AFTER_REGISTRATIONS
                    || ++failedClaimsSinceReclaim >= RECLAIM_AFTER_FAILED_CLAIMS;
        }
    }

    /**
     * Drains the caches of threads that have terminated into the transfer caches and returns their
     * budget. Safe without their owners: a thread seen dead by {@code isAlive()} has finished all its
     * writes (JLS 17.4.4).
     */
    void reclaimDeadCaches() {
        List<ThreadCache> dead = new ArrayList<>();
        synchronized (registry) {
            registry.removeIf(c -> {
                if (c.owner.isAlive()) {
                    return false;
                }
                dead.add(c);
                retiredAllocations += c.allocations;
                retiredFrees += c.frees;
                return true;
            });
            registeredSinceReclaim = 0;
            failedClaimsSinceReclaim = 0;
        }
        for (ThreadCache c : dead) {
            c.drain();
        }
    }

    /** After a failed reservation: gives back the caller's cache, dead caches and the transfer caches. */
    void giveBackAll(ThreadCache own) {
        own.drain();
        reclaimDeadCaches();
        for (int cl = 1; cl < transfer.length; cl++) {
            transfer[cl].drain();
        }
    }

    /** Sets (or with null removes) the listener of sampled allocations. */
    public void setSampler(AllocationSampler sampler) {
        this.sampler = sampler;
    }

    /** Bytes held in all thread caches now (exact when the other threads are quiet). */
    public long cachedBytes() {
        long total = 0;
        synchronized (registry) {
            for (ThreadCache c : registry) {
                total += c.cachedBytes;
            }
        }
        return total;
    }

    /** Bytes of cache budget claimed by thread caches; never above {@link #cacheCap()}. */
    public long claimedBudget() {
        return budget.cap() - budget.remaining();
    }

    /** The cap on the bytes all thread caches may hold together ({@code cache_cap}). */
    public long cacheCap() {
        return budget.cap();
    }

    /** Thread caches not yet reclaimed (live threads and dead ones not yet noticed). */
    public int threadCaches() {
        synchronized (registry) {
            return registry.size();
        }
    }

    // ---- trim, stats, verify, walk, close ----

    @Override
    public long trim() {
        checkOpen("trim");
        giveBackAll(cache());
        return pageHeap.release(Long.MAX_VALUE);
    }

    @Override
    public AllocatorStats stats() {
        checkOpen("stats");
        long[] cached = new long[SizeClasses.count()];
        long smallAllocations;
        long smallFrees;
        synchronized (registry) {
            smallAllocations = retiredAllocations;
            smallFrees = retiredFrees;
            for (ThreadCache c : registry) {
                smallAllocations += c.allocations;
                smallFrees += c.frees;
                for (int cl = 1; cl < cached.length; cl++) {
                    cached[cl] += c.lengths[cl];
                }
            }
        }
        List<AllocatorStats.Group> groups = new ArrayList<>();
        long liveBlocks = 0;
        long liveBytes = 0;
        for (int cl = 1; cl < cached.length; cl++) {
            int size = SizeClasses.size(cl);
            CentralFreeList central = transfer[cl].central;
            long spans = central.spans();
            long out = central.objectsOut();
            long inTransfer = transfer[cl].count();
            long live = out - inTransfer - cached[cl];
            long free = cached[cl] + inTransfer + spans * SizeClasses.objectsPerSpan(cl) - out;
            liveBlocks += live;
            liveBytes += live * size;
            if (spans > 0) {
                groups.add(new AllocatorStats.Group("class " + cl + " (" + size + " B)", size, live, free,
                        free * size, spans * SizeClasses.pages(cl) * SizeClasses.PAGE));
            }
        }
        long largeLive = largeAllocations.get() - largeFrees.get();
        groups.add(new AllocatorStats.Group("large spans", 0, largeLive, 0, 0, largeLiveBytes.get()));
        return new AllocatorStats(liveBlocks + largeLive, AllocatorStats.UNKNOWN, liveBytes + largeLiveBytes.get(),
                pageHeap.footprint(), pageHeap.peakFootprint(), 0, smallAllocations + largeAllocations.get(),
                smallFrees + largeFrees.get(), groups);
    }

    /**
     * Checks every tier: the page heap's spans and pagemap ({@link PageHeap#verify}); every free object
     * in a thread cache, transfer cache or span list lies at an object boundary of a carved part of a
     * span of its class, is free in checking mode and is counted once; each span's free objects plus
     * {@code allocated} make its capacity; each central list lists exactly the spans with free objects
     * and counts the objects out of them; and, when no other live thread holds a cache, the objects out
     * of spans and of every cache are as many as the small blocks allocated and not freed.
     *
     * <p>Safe while other threads run: it holds every lock of the middle and back tiers for the whole
     * walk (so they do not move), and reads only the caller's own thread cache and those of threads
     * that have terminated; the caches of other live threads are left out, and with them the count.
     */
    @Override
    public void verify() {
        checkOpen("verify");
        synchronized (registry) {
            holdingTiers(1, this::verifyTiers);
        }
    }

    /** Runs {@code body} holding every transfer cache, every central list and the page heap, in the lock order. */
    private void holdingTiers(int cl, Runnable body) {
        if (cl == transfer.length) {
            synchronized (pageHeap) {
                body.run();
            }
            return;
        }
        synchronized (transfer[cl]) {
            synchronized (transfer[cl].central) {
                holdingTiers(cl + 1, body);
            }
        }
    }

    /** Whether this thread may read {@code cache}: its own, or its owner has terminated. */
    private static boolean readable(ThreadCache cache) {
        return cache.owner == Thread.currentThread() || !cache.owner.isAlive();
    }

    private void verifyTiers() {
        pageHeap.verify();
        Set<Long> seen = new java.util.HashSet<>();
        long[] inCaches = new long[SizeClasses.count()];
        long live = retiredAllocations - retiredFrees;
        boolean everyCacheRead = true;
        for (ThreadCache c : registry) {
            if (!readable(c)) {
                everyCacheRead = false;
                continue;
            }
            live += c.allocations - c.frees;
            long bytes = 0;
            for (int cl = 1; cl < c.heads.length; cl++) {
                int n = 0;
                for (long o = c.heads[cl]; o != 0; o = FreeObject.next(o)) {
                    checkFreeObject(o, cl, "a thread cache", seen, null);
                    n++;
                }
                if (n != c.lengths[cl]) {
                    throw new HeapCorruptionException(NAME, "thread cache list of class " + cl + " holds " + n
                            + " objects but counts " + c.lengths[cl]);
                }
                bytes += (long) n * SizeClasses.size(cl);
                inCaches[cl] += n;
            }
            if (bytes != c.cachedBytes || c.cachedBytes > c.budget) {
                throw new HeapCorruptionException(NAME, "thread cache holds " + bytes + " bytes, counts "
                        + c.cachedBytes + ", budget " + c.budget);
            }
        }
        for (int cl = 1; cl < transfer.length; cl++) {
            for (long o : transfer[cl].objects()) {
                checkFreeObject(o, cl, "a transfer cache", seen, null);
                inCaches[cl]++;
            }
        }
        long[] out = new long[SizeClasses.count()];
        long[] spans = new long[SizeClasses.count()];
        for (Span span : pageHeap.spans()) {
            if (span.state != Span.State.SMALL) {
                continue;
            }
            int cl = span.sizeClass;
            CentralFreeList central = transfer[cl].central;
            int n = 0;
            for (long o = span.freeList; o != 0; o = FreeObject.next(o)) {
                checkFreeObject(o, cl, "a span's free list", seen, span);
                n++;
            }
            long bumped = (span.bumpEnd - span.bump) / SizeClasses.size(cl);
            if (n + bumped + span.allocated != SizeClasses.objectsPerSpan(cl)) {
                throw new HeapCorruptionException(NAME, span + ": " + n + " listed + " + bumped + " uncarved + "
                        + span.allocated + " out != " + SizeClasses.objectsPerSpan(cl) + " objects");
            }
            if (central.listed(span) != (span.freeObjects() > 0)) {
                throw new HeapCorruptionException(NAME, span + " with " + span.freeObjects()
                        + " free objects is " + (central.listed(span) ? "" : "not ") + "in its central list");
            }
            out[cl] += span.allocated;
            spans[cl]++;
        }
        long outOfCaches = 0;
        for (int cl = 1; cl < transfer.length; cl++) {
            CentralFreeList central = transfer[cl].central;
            if (out[cl] != central.objectsOut() || spans[cl] != central.spans()) {
                throw new HeapCorruptionException(NAME, "class " + cl + ": spans hold " + out[cl] + " objects out in "
                        + spans[cl] + " spans, the central list counts " + central.objectsOut() + " in " + central.spans());
            }
            outOfCaches += out[cl] - inCaches[cl];
        }
        if (everyCacheRead && outOfCaches != live) {
            throw new HeapCorruptionException(NAME, outOfCaches + " small blocks are out of every cache and list but "
                    + live + " were allocated and not freed");
        }
    }

    private void checkFreeObject(long o, int cl, String where, Set<Long> seen, Span expected) {
        Span span = map.get(o >>> SizeClasses.PAGE_SHIFT);
        String at = "free object 0x" + Long.toHexString(o) + " in " + where + " of class " + cl;
        if (span == null || span.state != Span.State.SMALL || span.sizeClass != cl || (expected != null && span != expected)) {
            throw new HeapCorruptionException(NAME, at + " lies in " + span);
        }
        long offset = o - span.start();
        long index = SizeClasses.objectIndex(cl, offset);
        if (index * SizeClasses.size(cl) != offset || o >= span.bump) {
            throw new HeapCorruptionException(NAME, at + " is not a carved object of its span");
        }
        if (checking && span.isInUse(index)) {
            throw new HeapCorruptionException(NAME, at + " is marked in use");
        }
        if (!seen.add(o)) {
            throw new HeapCorruptionException(NAME, at + " is held twice");
        }
    }

    /**
     * Reports every span: free spans as free or released, large blocks as in use, and small spans
     * object by object (free objects in the tiers and uncarved space as free). Like {@link #verify()}
     * it holds the middle and back tiers still and reads only the caller's cache and those of dead
     * threads: objects cached by other live threads show as in use.
     */
    @Override
    public boolean walk(HeapVisitor visitor) {
        checkOpen("walk");
        synchronized (registry) {
            holdingTiers(1, () -> walkTiers(visitor));
        }
        return true;
    }

    private void walkTiers(HeapVisitor visitor) {
        Set<Long> free = new java.util.HashSet<>();
        for (ThreadCache c : registry) {
            if (readable(c)) {
                for (long head : c.heads) {
                    for (long o = head; o != 0; o = FreeObject.next(o)) {
                        free.add(o);
                    }
                }
            }
        }
        for (int cl = 1; cl < transfer.length; cl++) {
            for (long o : transfer[cl].objects()) {
                free.add(o);
            }
        }
        for (Span span : pageHeap.spans()) {
            switch (span.state) {
                case FREE -> PageHeap.visitFree(span, visitor);
                case LARGE -> visitor.range(span.start(), span.bytes(), HeapVisitor.State.IN_USE);
                case SMALL -> walkSmall(span, free, visitor);
            }
        }
    }

    private static void walkSmall(Span span, Set<Long> free, HeapVisitor visitor) {
        for (long o = span.freeList; o != 0; o = FreeObject.next(o)) {
            free.add(o);
        }
        int size = SizeClasses.size(span.sizeClass);
        long runStart = span.start();
        HeapVisitor.State runState = null;
        for (long o = span.start(); o < span.end(); o += size) {
            HeapVisitor.State state = o < span.bump && !free.contains(o) ? HeapVisitor.State.IN_USE : HeapVisitor.State.FREE;
            if (state != runState) {
                if (runState != null) {
                    visitor.range(runStart, o - runStart, runState);
                }
                runStart = o;
                runState = state;
            }
        }
        visitor.range(runStart, span.end() - runStart, runState);
    }

    @Override
    public Set<Feature> features() {
        EnumSet<Feature> features = EnumSet.of(Feature.INDIVIDUAL_FREE, Feature.REALLOCATE, Feature.THREAD_SAFE,
                Feature.EXACT_STATS, Feature.RETURNS_MEMORY, Feature.DETECTS_FOREIGN_ADDRESS,
                Feature.DETECTS_INTERIOR_ADDRESS, Feature.PROBED, Feature.HEAP_WALK);
        if (checking) {
            features.add(Feature.DETECTS_DOUBLE_FREE);
        }
        return Collections.unmodifiableSet(features);
    }

    /** Gives every region back to the OS. Every other thread must be done with the heap. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (registry) {
            for (ThreadCache c : registry) {
                c.forget();
            }
            registry.clear();
        }
        hint = null;
        caches.remove(); // the cache refers to the heap, which holds the key: drop the entry, or neither is collected
        pageHeap.close();
    }
}
