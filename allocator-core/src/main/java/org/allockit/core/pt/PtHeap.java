package org.allockit.core.pt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
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
import org.allockit.core.dl.ChunkHeads;
import org.allockit.core.dl.DlHeap;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.PageSourceException;
import org.allockit.core.thread.CacheBudget;

/**
 * A thread-safe heap after glibc's ptmalloc2: threads spread over several {@link Arena}s, each an
 * independent boundary-tag heap ({@link DlHeap}) under its own lock, with a lock-free per-thread
 * {@link ThreadCache} of small blocks in front.
 *
 * <ul>
 *   <li><b>Arena choice.</b> A thread first tries the arena it used last ({@code tryLock}), then the
 *       others, then creates a new arena while fewer than {@code arena_max} exist (default 8 ×
 *       processors, like {@code M_ARENA_MAX}), and only then blocks on its own.</li>
 *   <li><b>Owner by masking.</b> Every arena grows in heaps of {@code heap_size} bytes (64 MiB) aligned
 *       to that size; the {@link HeapTable} maps each window to its arena, so {@code free} from any
 *       thread finds the owner with a shift and two array reads and frees under that arena's lock.
 *       Unlike glibc, whose main arena grows with {@code sbrk}, the first arena grows in such heaps
 *       too (Java has no {@code sbrk}); within its heaps each arena's {@code DlHeap} grows in segments.</li>
 *   <li><b>Thread caches.</b> Up to {@code tcache_count} (7) blocks per 16-byte size step up to 1032
 *       usable bytes, pushed and popped without a lock. All caches together hold at most
 *       {@code tcache_cap} bytes (8 MiB), leased in slices from a {@link CacheBudget}, so 10,000
 *       virtual threads cannot multiply the cached memory. A thread that ends gives its cache back
 *       (a {@link Cleaner} on the thread drains it into the arenas after the thread is collected);
 *       {@link #close()} drains every cache.</li>
 *   <li><b>Direct mapping</b> at or above {@code mmap_threshold}, which starts at 128 KiB and rises to
 *       the size of each freed mapped block up to {@code mmap_threshold_max} (32 MiB), as glibc's does;
 *       setting {@code mmap_threshold} fixes it. Each mapping reserves whole heap windows of address
 *       space (never touched beyond the block) so it is found by masking too.</li>
 *   <li><b>Trim</b> walks every arena: each {@code DlHeap} gives back free memory at its tops and the
 *       whole-page interiors of large free chunks; a heap left empty is unmapped.</li>
 * </ul>
 *
 * <p>Checks: an address in no window of this heap is rejected ({@code FOREIGN}); a direct mapping is
 * checked against a tag in its header; a block already in any thread cache is a double free. A small
 * block goes into the cache after a lock-free look at its head ({@link ChunkHeads}), which — as in
 * glibc — cannot tell a stale head left in a merged free chunk from a live one; with
 * {@code check=true} every free is first checked by the owning arena under its lock, which finds every
 * double free the dl heap finds, at the cost of a lock per free. Interior addresses are found only in
 * check mode by luck of the layout; they are not promised.
 *
 * <p>Thread-safe. {@link #stats()} and {@link #verify()} read other threads' caches without
 * stopping them: exact when the heap is quiet. {@link #close()} must not race other calls.
 */
public final class PtHeap implements Allocator {

    static final Set<String> SETTINGS = Set.of("arena_max", "heap_size", "tcache_count", "tcache_cap",
            "mmap_threshold", "mmap_threshold_max", "check");
    private static final long DEFAULT_MMAP_THRESHOLD = 128 << 10;
    private static final long DEFAULT_MMAP_THRESHOLD_MAX = 32 << 20;
    /** Larger alignments are mapped directly, so an arena never over-allocates a whole heap for one block. */
    private static final long MAX_ARENA_ALIGNMENT = 1 << 20;
    private static final long DIRECT_HEADER = 16;
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final Cleaner CLEANER = Cleaner.create();

    private final String name;
    private final AllocatorOptions options;
    private final PageSource os;
    private final long heapSize;
    private final HeapTable table;
    private final int arenaMax;
    private final int slots;
    private final boolean check;
    private final boolean fixedThreshold;
    private final long thresholdMax;
    private final long key = ThreadLocalRandom.current().nextLong() | 1;
    private final CacheBudget budget;
    private final MemoryProbe probe;
    private final ChunkHeads heads;
    private final Arena[] arenas;
    private volatile int arenaCount;
    private volatile long mmapThreshold;
    private final ThreadLocal<ThreadCache> caches = ThreadLocal.withInitial(this::newCache);
    private final Set<ThreadCache> liveCaches = ConcurrentHashMap.newKeySet();
    /** Live direct mappings, block address to mapping base (boxed: only blocks of 128 KiB and more). */
    private final Map<Long, Long> directMaps = new ConcurrentHashMap<>();
    /** Direct mappings: counts and bytes, guarded by {@code this}. */
    private long directBlocks;
    private long directUsable;
    private long directBytes;
    private long directAllocations;
    private long directFrees;
    private long peakFootprint;
    /** Blocks handed out and taken back by the caches of threads that have ended, guarded by {@code this}. */
    private long retiredAllocations;
    private long retiredFrees;
    private volatile boolean closed;

    public PtHeap(String name, AllocatorOptions options) {
        options.rejectUnknown(name, SETTINGS);
        this.name = name;
        this.options = options;
        this.os = options.pages();
        this.heapSize = options.size("heap_size", 64 << 20);
        this.table = new HeapTable(heapSize);
        int processors = Runtime.getRuntime().availableProcessors();
        this.arenaMax = (int) Math.min(HeapTable.MAX_ARENAS, options.size("arena_max", 8L * processors));
        this.slots = (int) options.size("tcache_count", 7);
        if (arenaMax < 1 || slots < 0 || slots > 127) {
            throw new IllegalArgumentException(name + ": arena_max must be 1..126 and tcache_count 0..127");
        }
        this.budget = new CacheBudget(options.size("tcache_cap", 8 << 20));
        this.probe = options.probe();
        this.heads = new ChunkHeads(probe);
        this.check = Boolean.parseBoolean(options.settings().getOrDefault("check", "false"));
        this.fixedThreshold = options.settings().containsKey("mmap_threshold");
        this.thresholdMax = options.size("mmap_threshold_max", DEFAULT_MMAP_THRESHOLD_MAX);
        this.mmapThreshold = Math.min(options.size("mmap_threshold", DEFAULT_MMAP_THRESHOLD), heapSize / 2);
        this.arenas = new Arena[arenaMax];
        arenas[0] = newArena(0);
        arenaCount = 1;
    }

    private Arena newArena(int index) {
        ArenaHeaps heaps = new ArenaHeaps(os, table, index, heapSize);
        // The arena never maps directly (this heap does, so mappings are found by masking); its segments fit a heap.
        AllocatorOptions arenaOptions = new AllocatorOptions(heaps, options.probe(),
                Map.of("mmap_threshold", Long.toString(heapSize), "granularity", "256K"));
        return new Arena(index, heaps, () -> new DlHeap(name, arenaOptions));
    }

    private ThreadCache newCache() {
        ThreadCache cache = new ThreadCache(slots, Thread.currentThread());
        liveCaches.add(cache);
        CLEANER.register(Thread.currentThread(), () -> drain(cache));
        return cache;
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ allocate

    @Override
    public long alloc(long size) {
        if (size >= 0 && size <= ThreadCache.MAX_USABLE && !closed) {
            ThreadCache cache = caches.get();
            int bin = ThreadCache.bin(ChunkHeads.usableFor(size));
            long mem = cache.pop(bin);
            if (mem != 0) {
                if (probe != null) {
                    probe.metadataWrite(mem, 8); // the key is cleared
                    probe.blockAllocated(mem, size, ThreadCache.usableOf(bin));
                }
                return mem;
            }
        }
        return alloc(size, 16);
    }

    @Override
    public long alloc(long size, long alignment) {
        InvalidSizeException.check(name, size, alignment);
        checkOpen("alloc");
        if (size >= mmapThreshold || alignment > MAX_ARENA_ALIGNMENT) {
            return mapDirect(size, alignment);
        }
        ThreadCache cache = caches.get();
        Arena arena = lockArena(cache);
        try {
            return arena.heap().alloc(size, alignment);
        } finally {
            arena.lock.unlock();
        }
    }

    /** The arena this thread should use, locked: its last one, any free one, a new one, or its last one after waiting. */
    private Arena lockArena(ThreadCache cache) {
        Arena last = cache.arena;
        if (last != null && last.lock.tryLock()) {
            return last;
        }
        int count = arenaCount;
        for (int i = 0; i < count; i++) {
            Arena other = arenas[i];
            if (other != last && other.lock.tryLock()) {
                cache.arena = other;
                return other;
            }
        }
        Arena created = createArena();
        if (created != null) {
            cache.arena = created;
            return created;
        }
        Arena wait = last != null ? last : arenas[ThreadLocalRandom.current().nextInt(arenaCount)];
        wait.lock.lock();
        cache.arena = wait;
        return wait;
    }

    /** A new arena, locked, or null when {@code arena_max} exist. */
    private synchronized Arena createArena() {
        int count = arenaCount;
        if (count >= arenaMax) {
            return null;
        }
        Arena arena = newArena(count);
        arena.lock.lock();
        arenas[count] = arena;
        arenaCount = count + 1;
        return arena;
    }

    // ------------------------------------------------------------------ free

    @Override
    public void free(long mem) {
        byte owner = table.owner(mem);
        if (owner > 0 && !check && !closed) {
            long usable = heads.cachableUsable(mem, ThreadCache.MAX_USABLE);
            if (usable > 0 && cacheFree(mem, usable)) {
                return;
            }
        }
        freeSlowPath(mem, owner);
    }

    /** Puts a checked small block into this thread's cache; false when the cache has no room. */
    private boolean cacheFree(long mem, long usable) {
        rejectCached("free", mem);
        if (!caches.get().push(mem, usable, key, budget)) {
            return false;
        }
        if (probe != null) {
            probe.metadataWrite(mem, 8); // the key is set
            probe.blockFreed(mem, usable);
        }
        return true;
    }

    private void freeSlowPath(long mem, byte owner) {
        checkOpen("free");
        if (owner == HeapTable.DIRECT) {
            unmapDirect(mem, directHeader("free", mem));
            return;
        }
        if (owner <= 0) {
            throw foreign("free", mem);
        }
        Arena arena = arenas[owner - 1];
        if (check) {
            long usable = usableUnderLock(arena, mem);
            if (usable <= ThreadCache.MAX_USABLE && cacheFree(mem, usable)) {
                return;
            }
        }
        arena.lock.lock();
        try {
            arena.heap().free(mem);
        } finally {
            arena.lock.unlock();
        }
    }

    /** Whether some thread cache holds {@code mem}; a slow scan, only when the block carries the key. */
    private boolean isCached(long mem) {
        for (ThreadCache cache : liveCaches) {
            if (cache.holds(mem)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends every block of a quiet cache back to its arena and its credit to the budget. A drained
     * cache of a live thread (the caller's, on trim) stays in use; a dead thread's is retired.
     */
    private void drain(ThreadCache cache) {
        if (closed || !liveCaches.contains(cache)) {
            return;
        }
        synchronized (cache) {
            for (int bin = 0; bin < ThreadCache.BINS; bin++) {
                long mem;
                while ((mem = cache.pop(bin)) != 0) {
                    Arena arena = arenas[table.owner(mem) - 1];
                    arena.lock.lock();
                    try {
                        arena.heap().free(mem);
                    } finally {
                        arena.lock.unlock();
                    }
                    cache.hits--;
                    cache.flushes++;
                }
            }
            budget.giveBack(cache.credit);
            cache.credit = 0;
        }
        if (!cache.owned() && liveCaches.remove(cache)) {
            synchronized (this) { // a dead thread's cache is dropped; its counters live on in the heap's
                retiredAllocations += cache.hits;
                retiredFrees += cache.puts - cache.flushes;
            }
        }
    }

    // ------------------------------------------------------------------ sizes and reallocation

    @Override
    public long usableSize(long mem) {
        checkOpen("usableSize");
        byte owner = table.owner(mem);
        if (owner == HeapTable.DIRECT) {
            return directUsable(mem, directHeader("usableSize", mem));
        }
        if (owner <= 0) {
            throw foreign("usableSize", mem);
        }
        rejectCached("usableSize", mem);
        return usableUnderLock(arenas[owner - 1], mem);
    }

    private void rejectCached(String op, long mem) {
        if (ThreadCache.keyOf(mem) == key && isCached(mem)) {
            throw new DoubleFreeException(name, op, mem, "the block is already in a thread cache (tcache)");
        }
    }

    private long usableUnderLock(Arena arena, long mem) {
        arena.lock.lock();
        try {
            return arena.heap().usableSize(mem);
        } finally {
            arena.lock.unlock();
        }
    }

    @Override
    public long reallocate(long mem, long newSize) {
        if (mem == 0) {
            return alloc(newSize);
        }
        InvalidSizeException.check(name, newSize, 16);
        checkOpen("reallocate");
        byte owner = table.owner(mem);
        if (owner > 0) {
            rejectCached("reallocate", mem);
        }
        if (owner > 0 && newSize < mmapThreshold) {
            Arena arena = arenas[owner - 1];
            arena.lock.lock();
            try {
                return arena.heap().reallocate(mem, newSize);
            } finally {
                arena.lock.unlock();
            }
        }
        long old = usableSize(mem);
        if (owner == HeapTable.DIRECT && newSize <= old && newSize >= old / 2) {
            return mem;
        }
        long moved = alloc(newSize);
        MemorySegment.copy(MEMORY, mem, MEMORY, moved, Math.min(old, newSize));
        free(mem);
        return moved;
    }

    // ------------------------------------------------------------------ direct mappings

    /**
     * A block in its own mapping of whole heap windows, marked DIRECT in the table; only its
     * page-rounded length ("mapped bytes") is ever touched, the rest of the windows is address space.
     * <pre>
     *  base ─► [ ... padding to the alignment ... | mapped bytes | base ^ mem ^ key | user bytes ... ]
     *                                              mem - 16       mem - 8           mem
     * </pre>
     */
    private long mapDirect(long size, long alignment) {
        long offset = Math.max(DIRECT_HEADER, alignment);
        long windows = PageSource.roundUp(offset + Math.max(size, 1), heapSize);
        long base;
        try {
            base = os.reserve(windows, Math.max(heapSize, alignment));
        } catch (PageSourceException first) {
            trim();
            try {
                base = os.reserve(windows, Math.max(heapSize, alignment));
            } catch (PageSourceException second) {
                throw new OutOfNativeMemoryError(name, size, second.getMessage());
            }
        }
        long mem = base + offset;
        long bytes = PageSource.roundUp(offset + Math.max(size, 1), os.pageSize()); // a 0-byte block still starts inside its mapping
        MEMORY.set(WORD, mem - 16, bytes);
        MEMORY.set(WORD, mem - 8, base ^ mem ^ key);
        table.mark(base, windows, HeapTable.DIRECT);
        directMaps.put(mem, base);
        synchronized (this) {
            directBlocks++;
            directAllocations++;
            directUsable += bytes - offset;
            directBytes += bytes;
            notePeak();
        }
        return mem;
    }

    /** The base of the direct mapping that {@code mem} starts, checked against its tag. */
    private long directHeader(String op, long mem) {
        if ((mem & 15) != 0 || table.owner(mem - DIRECT_HEADER) != HeapTable.DIRECT) {
            throw new InvalidAddressException(name, op, mem, InvalidAddressException.Reason.INTERIOR,
                    "invalid pointer: not the start of a mapped block");
        }
        long bytes = MEMORY.get(WORD, mem - 16);
        long base = MEMORY.get(WORD, mem - 8) ^ mem ^ key;
        if ((base & (heapSize - 1)) != 0 || base > mem - DIRECT_HEADER || bytes <= 0 || mem > base + bytes
                || table.owner(base) != HeapTable.DIRECT) {
            throw new InvalidAddressException(name, op, mem, InvalidAddressException.Reason.INTERIOR,
                    "invalid pointer: not the start of a mapped block");
        }
        return base;
    }

    private long directUsable(long mem, long base) {
        return MEMORY.get(WORD, mem - 16) - (mem - base);
    }

    private void unmapDirect(long mem, long base) {
        long bytes = MEMORY.get(WORD, mem - 16);
        long windows = PageSource.roundUp(bytes, heapSize);
        long usable = bytes - (mem - base);
        directMaps.remove(mem);
        table.mark(base, windows, (byte) 0);
        os.release(base, windows);
        synchronized (this) {
            directBlocks--;
            directFrees++;
            directUsable -= usable;
            directBytes -= bytes;
        }
        if (!fixedThreshold && bytes > mmapThreshold && bytes <= thresholdMax) {
            mmapThreshold = Math.min(bytes, heapSize / 2); // glibc: later requests of this size stay in the arenas
        }
    }

    // ------------------------------------------------------------------ trim, stats, verify, close

    /**
     * Drains the caller's cache and those of threads that have ended (whose cleaners may not have run
     * yet), then trims every arena.
     */
    @Override
    public long trim() {
        checkOpen("trim");
        for (ThreadCache cache : List.copyOf(liveCaches)) {
            if (cache.quiet()) {
                drain(cache);
            }
        }
        long released = 0;
        for (int i = 0; i < arenaCount; i++) {
            Arena arena = arenas[i];
            arena.lock.lock();
            try {
                released += arena.trim();
            } finally {
                arena.lock.unlock();
            }
        }
        return released;
    }

    @Override
    public AllocatorStats stats() {
        checkOpen("stats");
        long live = 0;
        long usable = 0;
        long footprint = 0;
        long metadata = 0;
        long allocations = 0;
        long frees = 0;
        List<AllocatorStats.Group> groups = new ArrayList<>();
        for (int i = 0; i < arenaCount; i++) {
            Arena arena = arenas[i];
            AllocatorStats s;
            int heapCount;
            arena.lock.lock();
            try {
                DlHeap heap = arena.heapIfAwake();
                if (heap == null) {
                    continue;
                }
                s = heap.stats();
                heapCount = arena.heaps.heapCount();
            } finally {
                arena.lock.unlock();
            }
            live += s.liveBlocks();
            usable += s.liveUsableBytes();
            footprint += s.footprintBytes();
            metadata += s.metadataBytes();
            allocations += s.allocations();
            frees += s.frees();
            groups.add(new AllocatorStats.Group("arena " + i + " (" + heapCount + " heaps)", 0, s.liveBlocks(), 0, 0,
                    s.footprintBytes()));
        }
        long cachedBlocks = 0;
        long cachedBytes = 0;
        for (ThreadCache cache : liveCaches) {
            cachedBlocks += cache.cachedBlocks;
            cachedBytes += cache.cachedBytes;
            allocations += cache.hits;
            frees += cache.puts - cache.flushes;
        }
        groups.add(new AllocatorStats.Group("thread caches (" + liveCaches.size() + ")", 0, 0, cachedBlocks,
                cachedBytes, 0));
        synchronized (this) {
            groups.add(new AllocatorStats.Group("direct mappings", 0, directBlocks, 0, 0, directBytes));
            footprint += directBytes;
            peakFootprint = Math.max(peakFootprint, footprint);
            return new AllocatorStats(live - cachedBlocks + directBlocks, AllocatorStats.UNKNOWN,
                    usable - cachedBytes + directUsable, footprint, peakFootprint, metadata,
                    allocations + directAllocations + retiredAllocations, frees + directFrees + retiredFrees, groups);
        }
    }

    private void notePeak() {
        // Direct mappings move the footprint at once; arena growth is seen at the next stats().
        peakFootprint = Math.max(peakFootprint, directBytes);
    }

    @Override
    public void verify() {
        checkOpen("verify");
        for (int i = 0; i < arenaCount; i++) {
            Arena arena = arenas[i];
            arena.lock.lock();
            try {
                DlHeap heap = arena.heapIfAwake();
                if (heap != null) {
                    heap.verify();
                }
            } finally {
                arena.lock.unlock();
            }
        }
        Set<Long> seen = new HashSet<>();
        long held = 0;
        boolean allQuiet = true;
        for (ThreadCache cache : liveCaches) {
            if (!cache.quiet()) {
                allQuiet = false; // its thread is running: its entries change under us
                continue;
            }
            synchronized (cache) {
                held += cache.credit + cache.cachedBytes;
                long bytes = 0;
                for (int bin = 0; bin < ThreadCache.BINS; bin++) {
                    if (cache.counts[bin] < 0 || cache.counts[bin] > slots) {
                        throw new HeapCorruptionException(name, "thread cache bin " + bin + " holds " + cache.counts[bin]);
                    }
                    for (int j = 0; j < cache.counts[bin]; j++) {
                        long mem = cache.entries[bin * slots + j];
                        if (table.owner(mem) <= 0 || heads.cachableUsable(mem, ThreadCache.MAX_USABLE)
                                != ThreadCache.usableOf(bin) || ThreadCache.keyOf(mem) != key || !seen.add(mem)) {
                            throw new HeapCorruptionException(name, "thread cache entry 0x" + Long.toHexString(mem)
                                    + " in bin " + bin + " is not a cached in-use block of that size, or is cached twice");
                        }
                        bytes += ThreadCache.usableOf(bin);
                    }
                }
                if (bytes != cache.cachedBytes || cache.credit < 0) {
                    throw new HeapCorruptionException(name, "thread cache counts " + cache.cachedBytes
                            + " cached bytes but holds " + bytes + " (credit " + cache.credit + ")");
                }
            }
        }
        if (allQuiet && held + budget.remaining() != budget.cap()) {
            throw new HeapCorruptionException(name, "thread caches hold " + held + " bytes of credit and blocks, "
                    + budget.remaining() + " remain, but the cap is " + budget.cap());
        }
    }

    /**
     * Each arena's heap as its {@code DlHeap} walks it (blocks in thread caches show as in use: their
     * arenas count them so), then each direct mapping, header and touched pages, as in use.
     */
    @Override
    public boolean walk(HeapVisitor visitor) {
        checkOpen("walk");
        for (int i = 0; i < arenaCount; i++) {
            Arena arena = arenas[i];
            arena.lock.lock();
            try {
                DlHeap heap = arena.heapIfAwake();
                if (heap != null) {
                    heap.walk(visitor);
                }
            } finally {
                arena.lock.unlock();
            }
        }
        for (Map.Entry<Long, Long> mapping : directMaps.entrySet()) {
            long mem = mapping.getKey();
            long base = mapping.getValue();
            visitor.range(base, MEMORY.get(WORD, mem - 16), HeapVisitor.State.IN_USE);
        }
        return true;
    }

    @Override
    public Set<Feature> features() {
        EnumSet<Feature> features = EnumSet.of(Feature.INDIVIDUAL_FREE, Feature.REALLOCATE, Feature.THREAD_SAFE,
                Feature.EXACT_STATS, Feature.RETURNS_MEMORY, Feature.DETECTS_FOREIGN_ADDRESS, Feature.PROBED,
                Feature.HEAP_WALK);
        if (check) {
            features.add(Feature.DETECTS_DOUBLE_FREE);
        }
        return features;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (ThreadCache cache : List.copyOf(liveCaches)) {
            drain(cache);
        }
        closed = true;
        for (int i = 0; i < arenaCount; i++) {
            arenas[i].close();
        }
    }

    private InvalidAddressException foreign(String op, long mem) {
        return new InvalidAddressException(name, op, mem, InvalidAddressException.Reason.FOREIGN,
                "invalid pointer: in no heap or mapping of this allocator (never returned, or already unmapped)");
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new AllocatorClosedException(name, op);
        }
    }
}
