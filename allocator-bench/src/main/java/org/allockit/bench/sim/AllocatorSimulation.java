package org.allockit.bench.sim;

import java.util.Arrays;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Allocators;
import org.allockit.core.Feature;
import org.allockit.core.os.ProbedPageSource;
import org.allockit.core.trace.Trace;

/**
 * Runs an allocation trace against a real allocator whose {@link SimProbe} feeds the simulator as it
 * runs (no access trace on disk), together with the workload's own touches of its data: each new
 * block is written line by line, each block is read before it is freed or reallocated, and when
 * asked the live blocks are walked in allocation order (the first 16 bytes of each, as a linked
 * structure is walked). Every count is split between the allocator's metadata and the user's data.
 *
 * <p>An allocator without {@link Feature#REALLOCATE} has each {@code r} run as allocate, copy and
 * free; one without {@link Feature#INDIVIDUAL_FREE} (a region or pool freed all at once) has its
 * blocks read at each {@code f} but never freed, so they stay in its footprint, and the requested size
 * stands for the usable one.
 *
 * <p>Fragmentation is sampled about 200 times and at the trace's peak of live bytes: internal
 * (usable − requested bytes of the live blocks), external (footprint − usable), footprint against
 * live bytes. The footprint is the allocator's own figure, or for an allocator that does not know
 * it, the simulated resident set. One run per instance; single-threaded.
 */
public final class AllocatorSimulation {

    /** Operations per window of the distinct-touches count. */
    public static final int WINDOW = 1000;
    private static final int WALK_BYTES = 16;
    private static final int SAMPLES = 200;

    /** What one run measured; the samples are {@code [operation, footprint, liveRequested, liveUsable]}. */
    public record Result(String allocator, String workload, int operations, Simulator sim, DistinctTouches touches,
                         long blocksReported, boolean footprintFromStats, long peakLiveRequested, long internalAtPeakLive,
                         long peakFootprint, long externalAtPeakFootprint, long[][] samples) {
    }

    private final Simulator sim;
    private final SimProbe probe;
    private final DistinctTouches touches;
    private final int lineSize;
    private long[] addresses;
    private long[] sizes;
    private long[] usable;
    private int[] next;
    private int[] prev;
    private int head = -1;
    private int tail = -1;
    private long liveRequested;
    private long liveUsable;
    private boolean frees;
    private boolean reallocates;

    public AllocatorSimulation(SimConfig config) {
        this.sim = new Simulator(config);
        this.probe = new SimProbe(sim);
        this.lineSize = config.d1().lineSize();
        this.touches = new DistinctTouches(lineSize);
        sim.countDistinct(touches);
    }

    /** The probe an allocator run by {@link #run(Allocator, Trace, String, int)} must be built with. */
    public SimProbe probe() {
        return probe;
    }

    /** Creates {@code allocatorName} from the registry with the probe, runs {@code trace} and closes it. */
    public Result run(String allocatorName, Trace trace, String workload, int traverseEvery) {
        AllocatorOptions defaults = AllocatorOptions.defaults();
        AllocatorOptions options = defaults.withProbe(probe).withPages(new ProbedPageSource(defaults.pages(), probe));
        try (Allocator allocator = Allocators.create(allocatorName, options)) {
            return run(allocator, trace, workload, traverseEvery);
        }
    }

    /** Runs {@code trace} on an allocator built with {@link #probe()}; frees what is left, leaves it open. */
    public Result run(Allocator allocator, Trace trace, String workload, int traverseEvery) {
        frees = allocator.features().contains(Feature.INDIVIDUAL_FREE);
        reallocates = allocator.features().contains(Feature.REALLOCATE);
        int slots = trace.slotCount();
        addresses = new long[slots];
        sizes = new long[slots];
        usable = new long[slots];
        next = new int[slots];
        prev = new int[slots];
        int n = trace.operations();
        int sampleEvery = Math.max(1, n / SAMPLES);
        int peakOperation = trace.peakLiveOperation();
        boolean fromStats = allocator.stats().footprintBytes() != AllocatorStats.UNKNOWN;
        long[][] samples = new long[n / sampleEvery + 2][];
        int sampleCount = 0;
        long internalAtPeakLive = 0;
        long peakFootprint = 0;
        long externalAtPeak = 0;
        for (int i = 0; i < n; i++) {
            step(allocator, trace, i);
            int done = i + 1;
            if (done % WINDOW == 0) {
                touches.endWindow();
            }
            if (traverseEvery > 0 && done % traverseEvery == 0) {
                walk();
            }
            if (done % sampleEvery == 0 || i == peakOperation) {
                long footprint = fromStats ? allocator.stats().footprintBytes() : residentBytes();
                samples[sampleCount++] = new long[] {done, footprint, liveRequested, liveUsable};
                if (i == peakOperation) {
                    internalAtPeakLive = liveUsable - liveRequested;
                }
                if (footprint > peakFootprint) {
                    peakFootprint = footprint;
                    externalAtPeak = footprint - liveUsable;
                }
            }
        }
        Result result = new Result(allocator.name(), workload, n, sim, touches, probe.blocksAllocated(), fromStats,
                trace.peakLiveBytes(), internalAtPeakLive, peakFootprint, externalAtPeak, Arrays.copyOf(samples, sampleCount));
        sim.countDistinct(null);
        for (int slot = head; frees && slot >= 0; slot = next[slot]) {
            allocator.free(addresses[slot]);
        }
        return result;
    }

    private long residentBytes() {
        return sim.pages() == null ? 0 : sim.pages().residentBytes();
    }

    private void step(Allocator allocator, Trace trace, int i) {
        int slot = trace.slot(i);
        long size = trace.size(i);
        switch (trace.kind(i)) {
            case Trace.ALLOC -> born(allocator, slot, allocator.alloc(size), size);
            case Trace.ALIGNED -> born(allocator, slot, allocator.alloc(size, trace.alignment(i)), size);
            case Trace.REALLOC -> {
                long old = addresses[slot];
                touch(old, Math.min(sizes[slot], size), false);
                long moved = reallocates ? allocator.reallocate(old, size) : allocator.alloc(size);
                if (!reallocates && frees) {
                    allocator.free(old);
                }
                touch(moved, size, true);
                account(-sizes[slot], -usable[slot]);
                addresses[slot] = moved;
                sizes[slot] = size;
                usable[slot] = usable(allocator, moved, size);
                account(size, usable[slot]);
            }
            default -> {
                touch(addresses[slot], sizes[slot], false);
                if (frees) {
                    allocator.free(addresses[slot]);
                }
                account(-sizes[slot], -usable[slot]);
                unlink(slot);
            }
        }
    }

    private void born(Allocator allocator, int slot, long address, long size) {
        touch(address, size, true);
        addresses[slot] = address;
        sizes[slot] = size;
        usable[slot] = usable(allocator, address, size);
        account(size, usable[slot]);
        link(slot);
    }

    /** The usable size of a block, or the requested one where blocks are not freed one by one. */
    private long usable(Allocator allocator, long address, long size) {
        return frees ? allocator.usableSize(address) : size;
    }

    private void account(long requested, long usableBytes) {
        liveRequested += requested;
        liveUsable += usableBytes;
    }

    /** The user's touch of {@code [address, address + size)}: one access per line. */
    private void touch(long address, long size, boolean write) {
        sim.source(CacheLevel.USER);
        long end = address + size;
        for (long at = address; at < end; ) {
            long lineEnd = (at | (lineSize - 1)) + 1;
            int bytes = (int) (Math.min(lineEnd, end) - at);
            if (write) {
                sim.write(at, bytes);
            } else {
                sim.read(at, bytes);
            }
            at = lineEnd;
        }
    }

    private void walk() {
        sim.source(CacheLevel.USER);
        for (int slot = head; slot >= 0; slot = next[slot]) {
            if (sizes[slot] > 0) {
                sim.read(addresses[slot], (int) Math.min(WALK_BYTES, sizes[slot]));
            }
        }
    }

    private void link(int slot) {
        prev[slot] = tail;
        next[slot] = -1;
        if (tail >= 0) {
            next[tail] = slot;
        } else {
            head = slot;
        }
        tail = slot;
    }

    private void unlink(int slot) {
        if (prev[slot] >= 0) {
            next[prev[slot]] = next[slot];
        } else {
            head = next[slot];
        }
        if (next[slot] >= 0) {
            prev[next[slot]] = prev[slot];
        } else {
            tail = prev[slot];
        }
    }
}
