package org.allockit.bench.replay;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.os.ResidentSet;
import org.allockit.core.trace.Trace;

/**
 * Replays a {@link Trace} against an {@link Allocator} and measures it: time per operation (wall
 * and CPU time of the replaying thread), peak footprint, footprint left after everything is freed
 * and trimmed, and resident-set growth.
 *
 * <p>Every new block gets a pattern ({@link BlockPattern}) written into each of its pages, so the
 * allocator's memory really becomes resident, and the pattern is checked before every {@code r} and
 * {@code f} and, for the kept bytes, after every {@code r}: a block the allocator overwrote, handed out
 * twice or failed to copy fails the run with a {@link ReplayException} naming the block and the
 * operation. Blocks still live at the end of the trace are checked and freed after measuring.
 *
 * <p>The footprint ({@code stats().footprintBytes()}, or the resident-set growth for an allocator that
 * does not know it) and the resident set are sampled every {@code sampleEvery} operations, at the
 * operation where the trace's live bytes peak, and at the end; sampling time is not counted in the
 * time per operation. The loop over the operations allocates nothing on the Java heap. The resident
 * set is the whole process's: the JVM's own native memory (JIT compiler arenas, GC structures) moves
 * it by a few MiB, which matters for an allocator whose footprint is the resident set ({@code malloc}),
 * and a process-wide allocator replayed twice in one JVM reuses memory the first run kept.
 *
 * <p>An allocator without {@link Feature#REALLOCATE} has each {@code r} replayed as allocate, copy
 * and free; one without {@link Feature#INDIVIDUAL_FREE} (a region) has its blocks checked at each
 * {@code f} but never freed, until the allocator is closed.
 *
 * <p>Immutable; each {@code replay} call keeps its own state, but an allocator is replayed by one
 * thread at a time.
 */
public final class Replayer {

    /** Operations between two samples by default: a few hundred samples for a two-million-op trace. */
    public static final int DEFAULT_SAMPLE_EVERY = 4096;

    /** CPU time of the replaying thread: on a busy machine a steadier figure than wall time. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int sampleEvery;

    public Replayer() {
        this(DEFAULT_SAMPLE_EVERY);
    }

    /** A replayer that samples footprint and resident set every {@code sampleEvery} operations. */
    public Replayer(int sampleEvery) {
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be at least 1, not " + sampleEvery);
        }
        this.sampleEvery = sampleEvery;
    }

    /**
     * Creates an allocator with {@code factory}, replays {@code trace} against it and closes it. The
     * resident-set growth counts from before the allocator was created, so memory its constructor
     * takes counts too; one instance is created and closed before that, so that loading and linking
     * the allocator's classes does not.
     */
    public ReplayResult replay(Trace trace, Supplier<? extends Allocator> factory) {
        return replay(trace, factory, allocator -> { });
    }

    /**
     * As {@link #replay(Trace, Supplier)}, and calls {@code atEnd} with the allocator after the trace's
     * last operation, while the blocks the trace left live are still allocated (a leak tracker reports
     * them there).
     */
    public <A extends Allocator> ReplayResult replay(Trace trace, Supplier<A> factory, Consumer<? super A> atEnd) {
        // A throwaway instance first: class loading and FFM linking are the JVM's, not the allocator's footprint.
        factory.get().close();
        long baseline = ResidentSet.bytes();
        try (A allocator = factory.get()) {
            return new Run(trace, allocator, baseline, () -> atEnd.accept(allocator)).replay();
        }
    }

    /** Replays {@code trace} against an allocator the caller owns and closes; growth counts from now. */
    public ReplayResult replay(Trace trace, Allocator allocator) {
        return new Run(trace, allocator, ResidentSet.bytes(), () -> { }).replay();
    }

    /** The state of one replay: per slot of the trace, the block's address, size, key and trace ID. */
    private final class Run {
        private final Trace trace;
        private final Allocator allocator;
        private final long rssBaseline;
        private final boolean footprintFromRss;
        private final boolean reallocates;
        private final boolean frees;
        private final long[] addresses;
        private final long[] sizes;
        private final long[] keys;
        private final int[] ids;
        private final Runnable atEnd;

        private long peakFootprint;
        private long peakRss;
        private long samples;

        Run(Trace trace, Allocator allocator, long rssBaseline, Runnable atEnd) {
            this.trace = trace;
            this.atEnd = atEnd;
            this.allocator = allocator;
            this.rssBaseline = rssBaseline;
            this.footprintFromRss = allocator.stats().footprintBytes() == AllocatorStats.UNKNOWN;
            Set<Feature> features = allocator.features();
            this.reallocates = features.contains(Feature.REALLOCATE);
            this.frees = features.contains(Feature.INDIVIDUAL_FREE);
            int slots = trace.slotCount();
            this.addresses = new long[slots];
            this.sizes = new long[slots];
            this.keys = new long[slots];
            this.ids = new int[slots];
        }

        ReplayResult replay() {
            int n = trace.operations();
            int peakOperation = trace.peakLiveOperation();
            int countdown = sampleEvery;
            long samplingNanos = 0;
            long samplingCpuNanos = 0;
            int i = 0;
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            try {
                for (; i < n; i++) {
                    step(i);
                    if (--countdown == 0 || i == peakOperation) {
                        countdown = sampleEvery;
                        long before = System.nanoTime();
                        long cpuBefore = THREADS.getCurrentThreadCpuTime();
                        sample();
                        samplingCpuNanos += THREADS.getCurrentThreadCpuTime() - cpuBefore;
                        samplingNanos += System.nanoTime() - before;
                    }
                }
            } catch (ReplayException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                throw new ReplayException(allocator.name() + ": " + operation(i) + " failed: " + e, i, e);
            }
            long nanos = System.nanoTime() - start - samplingNanos;
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart - samplingCpuNanos;
            sample();
            atEnd.run();
            long left = freeWhatIsLeft();
            allocator.trim();
            long finalRss = rssGrowth();
            AllocatorStats stats = allocator.stats();
            if (!footprintFromRss) {
                peakFootprint = Math.max(peakFootprint, stats.peakFootprintBytes());
            }
            return new ReplayResult(allocator.name(), trace.name(), n, nanos, cpuNanos, trace.peakLiveBytes(), peakFootprint,
                    footprintFromRss ? finalRss : stats.footprintBytes(), peakRss, finalRss, footprintFromRss, left,
                    samples);
        }

        private void step(int i) {
            int slot = trace.slot(i);
            switch (trace.kind(i)) {
                case Trace.ALLOC -> allocate(i, slot, allocator.alloc(trace.size(i)), 1);
                case Trace.ALIGNED -> allocate(i, slot, allocator.alloc(trace.size(i), trace.alignment(i)),
                        trace.alignment(i));
                case Trace.REALLOC -> reallocate(i, slot, trace.size(i));
                default -> free(i, slot);
            }
        }

        private void allocate(int i, int slot, long address, long alignment) {
            if ((address & (alignment - 1)) != 0) {
                throw new ReplayException(allocator.name() + ": " + operation(i) + " returned "
                        + hex(address) + ", which is not aligned to " + alignment, i, null);
            }
            long size = trace.size(i);
            long key = BlockPattern.key(i);
            addresses[slot] = address;
            sizes[slot] = size;
            keys[slot] = key;
            ids[slot] = trace.id(i);
            BlockPattern.write(address, size, key);
        }

        private void reallocate(int i, int slot, long newSize) {
            long oldSize = sizes[slot];
            long key = keys[slot];
            check(i, slot, addresses[slot], oldSize, "before");
            long moved = reallocates ? allocator.reallocate(addresses[slot], newSize) : move(slot, newSize);
            long bad = BlockPattern.check(moved, oldSize, key, Math.min(oldSize, newSize));
            if (bad >= 0) {
                throw corrupt(i, slot, moved, bad, "after");
            }
            addresses[slot] = moved;
            sizes[slot] = newSize;
            BlockPattern.write(moved, newSize, key);
        }

        /** A reallocation for an allocator that has none: a new block, the kept bytes copied, the old one freed. */
        private long move(int slot, long newSize) {
            long moved = allocator.alloc(newSize);
            long kept = Math.min(sizes[slot], newSize);
            MemorySegment.copy(MemorySegment.ofAddress(addresses[slot]).reinterpret(kept), 0,
                    MemorySegment.ofAddress(moved).reinterpret(kept), 0, kept);
            if (frees) {
                allocator.free(addresses[slot]);
            }
            return moved;
        }

        private void free(int i, int slot) {
            check(i, slot, addresses[slot], sizes[slot], "before");
            if (frees) {
                allocator.free(addresses[slot]);
            }
            addresses[slot] = 0;
        }

        private void check(int i, int slot, long address, long size, String when) {
            long bad = BlockPattern.check(address, size, keys[slot], size);
            if (bad >= 0) {
                throw corrupt(i, slot, address, bad, when);
            }
        }

        /** Checks and frees the blocks the trace left live; returns how many there were. */
        private long freeWhatIsLeft() {
            long left = 0;
            for (int slot = 0; slot < addresses.length; slot++) {
                if (addresses[slot] != 0) {
                    free(-1, slot);
                    left++;
                }
            }
            return left;
        }

        private void sample() {
            long rss = rssGrowth();
            peakRss = Math.max(peakRss, rss);
            long footprint = footprintFromRss ? rss : allocator.stats().footprintBytes();
            peakFootprint = Math.max(peakFootprint, footprint);
            samples++;
        }

        private long rssGrowth() {
            long now = ResidentSet.bytes();
            return now < 0 || rssBaseline < 0 ? AllocatorStats.UNKNOWN : now - rssBaseline;
        }

        private ReplayException corrupt(int i, int slot, long address, long offset, String when) {
            long expected = BlockPattern.at(keys[slot], offset) & 0xff;
            long found = BlockPattern.found(address, offset) & 0xff;
            String what = when.equals("after")
                    ? "lost its contents in the reallocation, at offset " + offset
                    : "was overwritten at offset " + offset;
            return new ReplayException(String.format("%s: block %d (%d bytes at %s) %s, %s %s: expected 0x%02x, found 0x%02x",
                    allocator.name(), ids[slot], sizes[slot], hex(address), what, when, operation(i), expected, found),
                    i, null);
        }

        private String operation(int i) {
            return i < 0
                    ? "freeing the blocks left at the end of the trace"
                    : "operation " + i + " \"" + trace.describe(i) + "\" (" + trace.source() + ":" + trace.line(i) + ")";
        }

        private static String hex(long address) {
            return "0x" + Long.toHexString(address);
        }
    }
}
