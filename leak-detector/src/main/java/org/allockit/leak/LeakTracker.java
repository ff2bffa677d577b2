package org.allockit.leak;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.agrona.collections.Int2ObjectHashMap;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.tc.AllocationSampler;
import org.allockit.core.tc.TcHeap;

/**
 * An {@link Allocator} decorator that finds leaks and memory errors, the way C programs wrap
 * malloc/free: {@code LeakTracker.wrap(allocator, Level.FULL)}. Every level counts live blocks and
 * bytes exactly; the {@link Level} says which blocks record their allocation site and which memory
 * errors are checked. {@link #report()} (and {@code close()}, and JVM exit when asked) lists the live
 * blocks grouped by site, largest first; {@link #snapshot()} and {@link Snapshot#diff} show which
 * sites grew between two moments.
 *
 * <p>Under SAMPLED over the tcmalloc-style heap ({@link TcHeap}) the heap's own sampling hook picks
 * the samples; over any other allocator a {@link Sampler} in the tracker does.
 *
 * <p>Design: live blocks live in {@link LiveBlocks} stripes, each an Agrona primitive map from
 * address to a handle (the size, or a record number), chosen by a hash of the address. Sites are
 * deduplicated in a {@link SiteTable}. Under FULL a {@link Quarantine} remembers recently freed
 * addresses; under PARANOID it holds the freed, poisoned blocks themselves, and each block carries
 * red zones ({@link GuardedBlock}). Memory errors are recorded, then thrown or logged
 * ({@link ErrorMode}); the tracker's state is consistent before either, and a bad free never reaches
 * the wrapped allocator.
 *
 * <p>Thread safety: as thread-safe as the wrapped allocator. When it declares
 * {@link Feature#THREAD_SAFE}, each stripe is guarded by its own lock, the site table and the
 * quarantine by theirs, and the tracker may be called from any thread; otherwise, or when the
 * options promise {@linkplain LeakOptions#withConfinedUse() confined use}, it takes no locks on the
 * fast path and must be used by one thread at a time. {@link #report()},
 * {@link #snapshot()}, {@link #stats()} and {@link #verify()} may run beside allocations.
 */
public final class LeakTracker implements Allocator {

    private static final int NO_SITE = -1;
    private static final long NATURAL_ALIGNMENT = 16;
    /** Memory errors kept for the report; later ones are still thrown or logged. */
    private static final int MAX_ERRORS = 1000;

    private final Allocator wrapped;
    private final LeakOptions options;
    private final Level level;
    private final boolean locking;
    private final LiveBlocks[] stripes;
    private final int stripeMask;
    private final SiteTable sites;
    private final Sampler sampler;
    private final Quarantine freed;
    private final int redZone;
    private final List<MemoryError> errors = new ArrayList<>();
    private final UnreachableHandles handles;
    private final Thread exitReport;
    private volatile boolean closed;
    private volatile LeakReport finalReport;

    private LeakTracker(Allocator wrapped, LeakOptions options) {
        this.wrapped = wrapped;
        this.options = options;
        this.level = options.level();
        this.locking = !options.confined() && wrapped.features().contains(Feature.THREAD_SAFE);
        int count = locking ? Integer.highestOneBit(Math.max(1, 4 * Runtime.getRuntime().availableProcessors()) * 2 - 1) : 1;
        this.stripes = new LiveBlocks[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new LiveBlocks();
        }
        this.stripeMask = count - 1;
        this.sites = new SiteTable(options.stackDepth());
        this.sampler = level == Level.SAMPLED && wrapped instanceof TcHeap heap ? sampleWith(heap) : options.sampler();
        this.freed = level.recordsEverySite()
                ? new Quarantine(options.quarantineBlocks(), level == Level.PARANOID ? options.quarantineBytes() : Long.MAX_VALUE)
                : null;
        this.redZone = options.redZoneBytes();
        this.handles = new UnreachableHandles(sites, options.log());
        this.exitReport = options.reportAtExit() ? new Thread(this::reportAtExit, "allockit-leak-report") : null;
        if (exitReport != null) {
            Runtime.getRuntime().addShutdownHook(exitReport);
        }
    }

    /** Wraps {@code allocator} with the defaults of {@code level} (see {@link LeakOptions#of(Level)}). */
    public static LeakTracker wrap(Allocator allocator, Level level) {
        return wrap(allocator, LeakOptions.of(level));
    }

    /** Wraps {@code allocator}; the tracker owns it and closes it on {@link #close()}. */
    public static LeakTracker wrap(Allocator allocator, LeakOptions options) {
        return new LeakTracker(allocator, options);
    }

    /** The level this tracker runs at. */
    public Level level() {
        return level;
    }

    /** The wrapped allocator. */
    public Allocator wrapped() {
        return wrapped;
    }

    /** The detector of unreachable handles whose leaks this tracker's reports include. */
    public UnreachableHandles handles() {
        return handles;
    }

    @Override
    public String name() {
        return wrapped.name();
    }

    @Override
    public long alloc(long size) {
        if (level == Level.PARANOID) {
            return allocGuarded(size, NATURAL_ALIGNMENT);
        }
        long address = wrapped.alloc(size);
        track(address, size);
        return address;
    }

    @Override
    public long alloc(long size, long alignment) {
        if (level == Level.PARANOID) {
            return allocGuarded(size, alignment);
        }
        long address = wrapped.alloc(size, alignment);
        track(address, size);
        return address;
    }

    @Override
    public void free(long address) {
        if (closed) {
            throw new AllocatorClosedException(name(), "free");
        }
        if (level == Level.PARANOID) {
            freeGuarded(address, "free");
            return;
        }
        LiveBlocks stripe = stripe(address);
        long handle;
        long size = 0;
        int site = NO_SITE;
        lock(stripe);
        try {
            handle = stripe.take(address);
            if (handle < 0 && handle != LiveBlocks.MISSING) {
                size = stripe.size(handle);
                site = stripe.site(handle);
                stripe.release(handle);
            }
        } finally {
            unlock(stripe);
        }
        if (handle == LiveBlocks.MISSING) {
            invalidFree(address, "free");
            return;
        }
        if (freed != null) {
            remember(address, size, 0, site, NO_SITE);
        }
        wrapped.free(address);
    }

    @Override
    public long reallocate(long address, long newSize) {
        if (address == 0) {
            return alloc(newSize);
        }
        if (closed) {
            throw new AllocatorClosedException(name(), "reallocate");
        }
        return level == Level.PARANOID ? reallocateGuarded(address, newSize) : reallocateInPlace(address, newSize);
    }

    @Override
    public long usableSize(long address) {
        if (closed) {
            throw new AllocatorClosedException(name(), "usableSize");
        }
        if (level != Level.PARANOID) {
            return wrapped.usableSize(address);
        }
        LiveBlocks stripe = stripe(address);
        long handle;
        long size = 0;
        lock(stripe);
        try {
            handle = stripe.find(address);
            if (handle != LiveBlocks.MISSING) {
                size = stripe.size(handle);
            }
        } finally {
            unlock(stripe);
        }
        if (handle == LiveBlocks.MISSING) {
            invalidFree(address, "usableSize");
        }
        return size;
    }

    @Override
    public AllocatorStats stats() {
        AllocatorStats inner = wrapped.stats();
        long blocks = 0;
        long bytes = 0;
        long allocations = 0;
        long frees = 0;
        for (LiveBlocks stripe : stripes) {
            lock(stripe);
            try {
                blocks += stripe.blocks();
                bytes += stripe.bytes();
                allocations += stripe.allocations();
                frees += stripe.frees();
            } finally {
                unlock(stripe);
            }
        }
        long usable = level == Level.PARANOID ? bytes : inner.liveUsableBytes();
        return new AllocatorStats(blocks, bytes, usable, inner.footprintBytes(), inner.peakFootprintBytes(),
                inner.metadataBytes(), allocations, frees, inner.groups());
    }

    /**
     * Verifies the wrapped allocator, then, under PARANOID, every live block's red zones and every
     * quarantined block's poison. Damage found is reported (thrown as {@code HeapCorruptionException}
     * or logged) and repaired, so it is reported once.
     */
    @Override
    public void verify() {
        wrapped.verify();
        if (level != Level.PARANOID) {
            return;
        }
        List<MemoryError> found = new ArrayList<>();
        for (LiveBlocks stripe : stripes) {
            lock(stripe);
            try {
                stripe.forEach((block, handle) -> {
                    MemoryError e = redZoneError(block, stripe.size(handle), stripe.site(handle), NO_SITE, "verify");
                    if (e != null) {
                        found.add(e);
                        GuardedBlock.arm(block, stripe.size(handle), redZone);
                    }
                });
            } finally {
                unlock(stripe);
            }
        }
        synchronized (freed) {
            for (int i = 0; i < freed.heldCount(); i++) {
                int s = freed.heldSlot(i);
                MemoryError e = quarantineError(s, "verify");
                if (e != null) {
                    found.add(e);
                    GuardedBlock.poison(freed.block(s), freed.size(s));
                    GuardedBlock.arm(freed.block(s), freed.size(s), redZone);
                }
            }
        }
        report(found, "verify");
    }

    /** Under PARANOID, checks and empties the quarantine first, so freed memory can go back. */
    @Override
    public long trim() {
        if (level == Level.PARANOID) {
            report(drainQuarantine(), "trim");
        }
        return wrapped.trim();
    }

    /**
     * The wrapped allocator's features, less heap walks and probes (the tracker's red zones would
     * mislead them), plus detection of foreign and interior frees at every level, of double frees
     * from FULL up, and exact stats under PARANOID (which counts the requested bytes as usable).
     */
    @Override
    public Set<Feature> features() {
        EnumSet<Feature> features = EnumSet.noneOf(Feature.class);
        features.addAll(wrapped.features());
        features.remove(Feature.HEAP_WALK);
        features.remove(Feature.PROBED);
        if (!locking) {
            features.remove(Feature.THREAD_SAFE);
        }
        features.add(Feature.DETECTS_FOREIGN_ADDRESS);
        features.add(Feature.DETECTS_INTERIOR_ADDRESS);
        if (freed != null) {
            features.add(Feature.DETECTS_DOUBLE_FREE);
        } else {
            features.remove(Feature.DETECTS_DOUBLE_FREE);
        }
        if (level == Level.PARANOID) {
            features.add(Feature.EXACT_STATS);
        }
        return features;
    }

    /**
     * Checks the quarantine, takes the final report (every live block is a leak), logs it when it
     * is not clean, and closes the wrapped allocator. Errors found while draining the quarantine are
     * logged and kept in the report, never thrown: closing always completes.
     */
    @Override
    public void close() {
        if (closed) {
            wrapped.close();
            return;
        }
        if (level == Level.PARANOID) {
            List<MemoryError> found = drainQuarantine();
            record(found);
            found.forEach(e -> options.log().accept(e.message()));
        }
        finalReport = report();
        closed = true;
        if (!finalReport.clean()) {
            options.log().accept("leak report at close():\n" + finalReport.toText());
        }
        if (exitReport != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitReport);
            } catch (IllegalStateException exiting) {
                // The JVM is already exiting: the hook runs and sees the tracker closed.
            }
        }
        wrapped.close();
    }

    /** What is live now (after {@code close()}: what was live at close), with the errors found so far. */
    public LeakReport report() {
        LeakReport last = finalReport;
        if (last != null) {
            return last;
        }
        Snapshot now = snapshot();
        List<MemoryError> found;
        synchronized (errors) {
            found = List.copyOf(errors);
        }
        return new LeakReport(name(), level, now.blocks(), now.bytes(), now.sites(), found, handles.leaks());
    }

    /** The memory errors found so far, oldest first. */
    public List<MemoryError> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** The live blocks now, by site, largest bytes first. */
    public Snapshot snapshot() {
        long now = System.nanoTime();
        Int2ObjectHashMap<long[]> bySite = new Int2ObjectHashMap<>();
        for (LiveBlocks stripe : stripes) {
            lock(stripe);
            try {
                stripe.forEach((block, handle) -> {
                    int site = stripe.site(handle);
                    long[] totals = bySite.computeIfAbsent(site, k -> new long[] {0, 0, Long.MAX_VALUE});
                    totals[0]++;
                    totals[1] += stripe.size(handle);
                    if (site != NO_SITE) {
                        totals[2] = Math.min(totals[2], stripe.born(handle));
                    }
                });
            } finally {
                unlock(stripe);
            }
        }
        List<SiteLeaks> groups = new ArrayList<>();
        long blocks = 0;
        long bytes = 0;
        for (var e : bySite.entrySet()) {
            long[] t = e.getValue();
            int site = e.getKey();
            groups.add(new SiteLeaks(sites.site(site), t[0], t[1], site == NO_SITE ? -1 : now - t[2]));
            blocks += t[0];
            bytes += t[1];
        }
        groups.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return new Snapshot(now, blocks, bytes, groups);
    }

    /** The sites whose live blocks changed between two snapshots; see {@link Snapshot#diff}. */
    public static List<SiteDelta> diff(Snapshot before, Snapshot after) {
        return Snapshot.diff(before, after);
    }

    // ---- COUNT, SAMPLED, FULL: the blocks are the wrapped allocator's, tracked by address ----

    /**
     * Lets the tcmalloc-style heap choose the samples: its thread caches already count bytes until
     * the next sample, so the tracker adds no countdown of its own. The heap reports a sampled block
     * from inside {@code alloc}; the tracker records it with its site there, and {@link #track}
     * keeps that record when the allocation returns. Samples come at the heap's
     * {@code sample_interval} (2 MiB unless set), not at {@link LeakOptions#sampler()}'s.
     */
    private Sampler sampleWith(TcHeap heap) {
        heap.setSampler(new AllocationSampler() {
            @Override
            public void sampled(long address, long bytes) {
                trackSited(stripe(address), address, bytes, sites.capture(TcHeap.class.getPackageName() + "."), 0);
            }
        });
        return bytes -> false;
    }

    private void track(long address, long size) {
        int site = siteFor(size);
        LiveBlocks stripe = stripe(address);
        if (site == NO_SITE) {
            lock(stripe);
            try {
                stripe.addUnsited(address, size);
            } finally {
                unlock(stripe);
            }
            return;
        }
        trackSited(stripe, address, size, site, 0);
    }

    private int siteFor(long size) {
        return switch (level) {
            case COUNT -> NO_SITE;
            case SAMPLED -> sampler.sample(size) ? sites.capture() : NO_SITE;
            case FULL, PARANOID -> sites.capture();
        };
    }

    private void trackSited(LiveBlocks stripe, long address, long size, int site, int front) {
        long born = System.nanoTime();
        lock(stripe);
        try {
            stripe.addSited(address, size, site, born, front);
        } finally {
            unlock(stripe);
        }
        if (freed != null) {
            synchronized (freed) {
                freed.forget(address);
            }
        }
    }

    private long reallocateInPlace(long address, long newSize) {
        LiveBlocks stripe = stripe(address);
        long handle;
        long size;
        int site;
        long born;
        lock(stripe);
        try {
            handle = stripe.take(address);
            size = handle == LiveBlocks.MISSING ? 0 : stripe.size(handle);
            site = handle == LiveBlocks.MISSING ? NO_SITE : stripe.site(handle);
            born = handle == LiveBlocks.MISSING ? 0 : stripe.born(handle);
            if (handle != LiveBlocks.MISSING) {
                stripe.release(handle);
            }
        } finally {
            unlock(stripe);
        }
        if (handle == LiveBlocks.MISSING) {
            invalidFree(address, "reallocate");
            return alloc(newSize);
        }
        long moved;
        try {
            moved = wrapped.reallocate(address, newSize);
        } catch (RuntimeException | Error e) {
            restore(stripe, address, size, site, born);
            throw e;
        }
        track(moved, newSize);
        return moved;
    }

    private void restore(LiveBlocks stripe, long address, long size, int site, long born) {
        lock(stripe);
        try {
            if (site == NO_SITE) {
                stripe.addUnsited(address, size);
            } else {
                stripe.addSited(address, size, site, born, 0);
            }
        } finally {
            unlock(stripe);
        }
    }

    private void remember(long block, long size, int front, int allocSite, int freeSite) {
        synchronized (freed) {
            if (freed.full()) {
                freed.dropOldest();
            }
            freed.add(block, size, front, allocSite, freeSite, false);
        }
    }

    // ---- PARANOID: each block sits between red zones and goes through the quarantine ----

    private long allocGuarded(long size, long alignment) {
        InvalidSizeException.check(name(), size, alignment);
        int front = GuardedBlock.front(redZone, alignment);
        long allocation;
        try {
            allocation = wrapped.alloc(front + size + redZone, Math.max(alignment, NATURAL_ALIGNMENT));
        } catch (OutOfNativeMemoryError e) {
            // Name the size the caller asked for, not the one swollen by the red zones.
            OutOfNativeMemoryError named = new OutOfNativeMemoryError(name(), size,
                    "with " + (front + redZone) + " bytes of red zones: " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        long block = allocation + front;
        GuardedBlock.arm(block, size, redZone);
        trackSited(stripe(block), block, size, sites.capture(), front);
        return block;
    }

    private void freeGuarded(long block, String operation) {
        LiveBlocks stripe = stripe(block);
        long handle;
        long size = 0;
        int allocSite = NO_SITE;
        int front = 0;
        lock(stripe);
        try {
            handle = stripe.take(block);
            if (handle != LiveBlocks.MISSING) {
                size = stripe.size(handle);
                allocSite = stripe.site(handle);
                front = stripe.front(handle);
                stripe.release(handle);
            }
        } finally {
            unlock(stripe);
        }
        if (handle == LiveBlocks.MISSING) {
            invalidFree(block, operation);
            return;
        }
        int freeSite = sites.capture();
        List<MemoryError> found = new ArrayList<>(1);
        MemoryError damage = redZoneError(block, size, allocSite, freeSite, operation);
        if (damage != null) {
            found.add(damage);
            GuardedBlock.arm(block, size, redZone);
        }
        GuardedBlock.poison(block, size);
        synchronized (freed) {
            while (freed.full()) {
                dropOldest(found);
            }
            freed.add(block, size, front, allocSite, freeSite, true);
            while (freed.overBudget()) {
                releaseOldestHeld(found);
            }
        }
        report(found, operation);
    }

    private long reallocateGuarded(long block, long newSize) {
        LiveBlocks stripe = stripe(block);
        long handle;
        long size = 0;
        lock(stripe);
        try {
            handle = stripe.find(block);
            if (handle != LiveBlocks.MISSING) {
                size = stripe.size(handle);
            }
        } finally {
            unlock(stripe);
        }
        if (handle == LiveBlocks.MISSING) {
            invalidFree(block, "reallocate");
            return alloc(newSize);
        }
        long moved = allocGuarded(newSize, NATURAL_ALIGNMENT);
        GuardedBlock.copy(block, moved, Math.min(size, newSize));
        freeGuarded(block, "reallocate");
        return moved;
    }

    /** Forgets the oldest freed block, giving its memory back first if it still holds it; holds {@code freed}'s lock. */
    private void dropOldest(List<MemoryError> found) {
        int s = freed.oldest();
        if (freed.holdsMemory(s)) {
            giveBack(s, found);
        }
        freed.dropOldest();
    }

    /** Gives back the memory of the oldest block that holds it; its address stays remembered. */
    private void releaseOldestHeld(List<MemoryError> found) {
        giveBack(freed.oldestHeld(), found);
        freed.releaseOldestHeld();
    }

    /** Checks quarantine slot {@code s} and frees its allocation in the wrapped allocator. */
    private void giveBack(int s, List<MemoryError> found) {
        MemoryError e = quarantineError(s, "free");
        if (e != null) {
            found.add(e);
        }
        wrapped.free(freed.block(s) - freed.front(s));
    }

    private List<MemoryError> drainQuarantine() {
        List<MemoryError> found = new ArrayList<>();
        synchronized (freed) {
            while (freed.holdsAny()) {
                releaseOldestHeld(found);
            }
        }
        return found;
    }

    private MemoryError redZoneError(long block, long size, int allocSite, int freeSite, String operation) {
        long bad = GuardedBlock.firstBadRedZoneByte(block, size, redZone);
        if (bad == GuardedBlock.INTACT) {
            return null;
        }
        boolean under = bad < 0;
        Site allocated = sites.site(allocSite);
        Site detected = sites.site(sites.capture());
        String message = (under ? "heap-buffer-underflow: byte " + bad + " (" + -bad + " before the block)"
                : "heap-buffer-overflow: byte " + bad + " (" + (bad - size + 1) + " past the end)")
                + " of the " + size + "-byte block at 0x" + Long.toHexString(block) + " was overwritten, found by "
                + operation + "; allocated at:\n" + allocated.format("    ")
                + (freeSite == NO_SITE ? "" : "freed at:\n" + sites.site(freeSite).format("    "));
        return new MemoryError(under ? MemoryError.Kind.UNDERFLOW : MemoryError.Kind.OVERFLOW, block, size, bad,
                allocated, sites.site(freeSite), detected, message);
    }

    /** Checks quarantine slot {@code s}: the poison over the block and both red zones. */
    private MemoryError quarantineError(int s, String operation) {
        long block = freed.block(s);
        long size = freed.size(s);
        long bad = GuardedBlock.firstUnpoisoned(block, size);
        if (bad == GuardedBlock.INTACT) {
            bad = GuardedBlock.firstBadRedZoneByte(block, size, redZone);
            if (bad == GuardedBlock.INTACT) {
                return null;
            }
        }
        Site allocated = sites.site(freed.allocSite(s));
        Site freedAt = sites.site(freed.freeSite(s));
        String message = "heap-use-after-free: byte " + bad + " of the freed " + size + "-byte block at 0x"
                + Long.toHexString(block) + " was written after it was freed, found by " + operation
                + " as it left the quarantine; allocated at:\n" + allocated.format("    ")
                + "freed at:\n" + freedAt.format("    ");
        return new MemoryError(MemoryError.Kind.USE_AFTER_FREE, block, size, bad, allocated, freedAt,
                sites.site(sites.capture()), message);
    }

    // ---- errors ----

    /** A free (or reallocate, usableSize) of an address that is no live block: name what it is. */
    private void invalidFree(long address, String operation) {
        Site detected = sites.site(sites.capture());
        String call = operation + "(0x" + Long.toHexString(address) + ")";
        if (freed != null) {
            synchronized (freed) {
                int s = freed.slotOf(address);
                if (s >= 0) {
                    Site allocated = sites.site(freed.allocSite(s));
                    Site first = sites.site(freed.freeSite(s));
                    String message = call + ": the " + freed.size(s) + "-byte block was already freed; allocated at:\n"
                            + allocated.format("    ") + "freed first at:\n"
                            + (first == Site.UNKNOWN ? "    (free sites are recorded under PARANOID)\n" : first.format("    "))
                            + "freed again at:\n" + detected.format("    ");
                    report(List.of(new MemoryError(MemoryError.Kind.DOUBLE_FREE, address, freed.size(s), 0,
                            allocated, first, detected, message)), operation);
                    return;
                }
            }
        }
        MemoryError interior = interiorError(address, call, detected);
        if (interior != null) {
            report(List.of(interior), operation);
            return;
        }
        String message = call + ": not a block this tracker handed out (never allocated here, or freed long ago); called at:\n"
                + detected.format("    ");
        report(List.of(new MemoryError(MemoryError.Kind.FOREIGN_FREE, address, 0, 0, Site.UNKNOWN, Site.UNKNOWN,
                detected, message)), operation);
    }

    /** The error for an address inside a live or quarantined block, or null; scans every block (error path only). */
    private MemoryError interiorError(long address, String call, Site detected) {
        long[] found = {0, 0, NO_SITE};
        for (LiveBlocks stripe : stripes) {
            lock(stripe);
            try {
                stripe.forEach((block, handle) -> {
                    if (address > block && address < block + stripe.size(handle)) {
                        found[0] = block;
                        found[1] = stripe.size(handle);
                        found[2] = stripe.site(handle);
                    }
                });
            } finally {
                unlock(stripe);
            }
        }
        String state = "live";
        if (found[0] == 0 && freed != null) {
            synchronized (freed) {
                int s = freed.slotContaining(address);
                if (s >= 0) {
                    found[0] = freed.block(s);
                    found[1] = freed.size(s);
                    found[2] = freed.allocSite(s);
                    state = "freed";
                }
            }
        }
        if (found[0] == 0) {
            return null;
        }
        Site allocated = sites.site((int) found[2]);
        String message = call + ": " + (address - found[0]) + " bytes into the " + state + " " + found[1]
                + "-byte block at 0x" + Long.toHexString(found[0]) + ", not at its start; block allocated at:\n"
                + allocated.format("    ") + "freed here:\n" + detected.format("    ");
        return new MemoryError(MemoryError.Kind.INTERIOR_FREE, address, found[1], address - found[0], allocated,
                Site.UNKNOWN, detected, message);
    }

    /** Records errors, then logs them or throws the first, per {@link LeakOptions#errors()}. */
    private void report(List<MemoryError> found, String operation) {
        if (found.isEmpty()) {
            return;
        }
        record(found);
        if (options.errors() == ErrorMode.THROW) {
            throw found.getFirst().toException(name(), operation);
        }
        found.forEach(e -> options.log().accept(name() + ": " + e.message()));
    }

    private void record(List<MemoryError> found) {
        synchronized (errors) {
            for (MemoryError e : found) {
                if (errors.size() < MAX_ERRORS) {
                    errors.add(e);
                }
            }
        }
    }

    private void reportAtExit() {
        if (!closed) {
            System.err.println("allockit leak report at exit:\n" + report().toText());
        }
    }

    // ---- stripes ----

    private LiveBlocks stripe(long address) {
        return stripes[(int) ((address * 0x9E3779B97F4A7C15L) >>> 40) & stripeMask];
    }

    private void lock(LiveBlocks stripe) {
        if (locking) {
            stripe.lock.lock();
        }
    }

    private void unlock(LiveBlocks stripe) {
        if (locking) {
            stripe.lock.unlock();
        }
    }
}
