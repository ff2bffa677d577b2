package org.allockit.core.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.junit.jupiter.api.Test;

/**
 * The invariant kit for allocators that declare {@link Feature#THREAD_SAFE}: everything
 * {@link AllocatorContract} checks, plus several threads working on one shared heap at once.
 * Use it like {@link AllocatorContract}: extend it and name the factory.
 *
 * <p>Each thread allocates (sizes mostly small, some aligned), writes a per-block pattern, hands
 * blocks to other threads through their hand-off queues, frees blocks it was handed (so most frees
 * are remote), reallocates and rewrites its own, and now and then calls {@code stats()} and
 * {@code verify()} while the others run. Every block's pattern is checked before it is freed or
 * reallocated; a set of live addresses shared by all threads catches a block handed out twice or
 * freed twice. At the end every block is freed and the heap must verify, with nothing lost and
 * nothing freed twice: no live blocks, no live bytes, and where {@link Feature#EXACT_STATS} is
 * declared, as many allocations and frees as the threads made, equal to each other. The random
 * seed is in every failure message; {@code -Dallockit.kit.seed=N} replays it (the interleaving
 * differs, so a replay may need several runs).
 */
public abstract class ConcurrentAllocatorContract extends AllocatorContract {

    private static final int THREADS = 4;
    private static final int MAX_BLOCKS_PER_THREAD = 200;
    private static final long TIMEOUT_SECONDS = 60;

    /** A block in flight: where it is, how much of it carries the pattern, and the pattern's seed. */
    private record Held(long address, long size, long seed) {
    }

    /** How many operations each thread makes: 20 000 unless overridden (lower it for a slow allocator). */
    protected int operationsPerThread() {
        return 20_000;
    }

    @Test
    public void threadsSharingOneHeapLoseNothing() throws InterruptedException {
        Allocator heap = create();
        try {
            assumeTrue(heap.features().contains(Feature.THREAD_SAFE), heap.name() + " does not declare THREAD_SAFE");
            assumeTrue(heap.features().contains(Feature.INDIVIDUAL_FREE), heap.name() + " does not declare INDIVIDUAL_FREE");
            long seed = Long.getLong("allockit.kit.seed", System.nanoTime());
            new SharedHeapRun(heap, naturalAlignment(), operationsPerThread(), seed).run();
        } finally {
            heap.close();
        }
    }

    /** One run of {@link #THREADS} threads on a shared heap, and the accounting after it. */
    private static final class SharedHeapRun {
        private final Allocator heap;
        private final long naturalAlignment;
        private final int operations;
        private final long seed;
        private final boolean reallocates;
        private final List<ConcurrentLinkedQueue<Held>> inboxes = new ArrayList<>();
        private final Set<Long> live = ConcurrentHashMap.newKeySet();
        private final LongAdder allocations = new LongAdder();
        private final LongAdder frees = new LongAdder();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CyclicBarrier start = new CyclicBarrier(THREADS);
        private final long startFootprint;

        SharedHeapRun(Allocator heap, long naturalAlignment, int operations, long seed) {
            this.heap = heap;
            this.naturalAlignment = naturalAlignment;
            this.operations = operations;
            this.seed = seed;
            this.reallocates = heap.features().contains(Feature.REALLOCATE);
            this.startFootprint = heap.stats().footprintBytes();
            for (int i = 0; i < THREADS; i++) {
                inboxes.add(new ConcurrentLinkedQueue<>());
            }
        }

        void run() throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                threads.add(Thread.ofPlatform().name("kit-worker-" + i).start(() -> work(index)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    fail(context() + ": " + t.getName() + " still running after " + TIMEOUT_SECONDS + " s (deadlock?) at "
                            + stackOf(t));
                }
            }
            if (failure.get() != null) {
                throw new AssertionError(context() + ": " + failure.get().getMessage(), failure.get());
            }
            for (ConcurrentLinkedQueue<Held> inbox : inboxes) {
                for (Held h = inbox.poll(); h != null; h = inbox.poll()) {
                    release(h, "the main thread");
                }
            }
            checkNothingLost();
        }

        private void work(int index) {
            SplittableRandom random = new SplittableRandom(seed + index);
            List<Held> mine = new ArrayList<>();
            try {
                start.await();
                for (int op = 0; op < operations && failure.get() == null; op++) {
                    step(index, random, mine, op);
                }
                for (Held h : mine) {
                    release(h, "worker " + index);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                start.reset();
            }
        }

        private void step(int index, SplittableRandom random, List<Held> mine, int op) {
            Held handed = inboxes.get(index).poll();
            if (handed != null) {
                release(handed, "worker " + index + " (handed over)");
            }
            int dice = random.nextInt(100);
            if (dice < 45 && mine.size() < MAX_BLOCKS_PER_THREAD) {
                mine.add(allocate(random, op));
            } else if (dice < 65 && !mine.isEmpty()) {
                int other = (index + 1 + random.nextInt(THREADS - 1)) % THREADS;
                inboxes.get(other).add(mine.remove(random.nextInt(mine.size())));
            } else if (dice < 85 && !mine.isEmpty()) {
                release(mine.remove(random.nextInt(mine.size())), "worker " + index);
            } else if (dice < 95 && reallocates && !mine.isEmpty()) {
                int i = random.nextInt(mine.size());
                mine.set(i, reallocate(mine.get(i), size(random), op));
            } else if (!mine.isEmpty()) {
                Held h = mine.get(random.nextInt(mine.size()));
                check(h, "rewriting it");
                Held renewed = new Held(h.address(), h.size(), BlockPattern.seed(h.address(), op));
                BlockPattern.fill(renewed.address(), renewed.size(), renewed.seed());
                mine.set(mine.indexOf(h), renewed);
            }
            if ((op & 1023) == 0) {
                heap.stats();
            }
            if ((op & 4095) == 4095) {
                heap.verify();
            }
        }

        private static long size(SplittableRandom random) {
            int kind = random.nextInt(100);
            if (kind < 70) {
                return random.nextLong(257);
            }
            return kind < 95 ? random.nextLong(257, 16 << 10) : random.nextLong(16 << 10, 256 << 10);
        }

        private Held allocate(SplittableRandom random, int op) {
            long size = size(random);
            boolean aligned = random.nextInt(10) == 0;
            long alignment = aligned ? 1L << random.nextInt(6, 13) : naturalAlignment;
            long address = aligned ? heap.alloc(size, alignment) : heap.alloc(size);
            allocations.increment();
            String call = aligned ? "alloc(" + size + ", " + alignment + ")" : "alloc(" + size + ")";
            return placed(address, size, alignment, op, call);
        }

        private Held reallocate(Held h, long newSize, int op) {
            check(h, "reallocating it");
            live.remove(h.address());
            long moved = heap.reallocate(h.address(), newSize);
            String call = "reallocate(0x" + Long.toHexString(h.address()) + ", " + newSize + ")";
            if (moved != h.address()) {
                allocations.increment();
                frees.increment();
            }
            long bad = BlockPattern.firstMismatch(moved, Math.min(h.size(), newSize), h.seed());
            if (bad >= 0) {
                throw new AssertionError(call + " lost the block's contents at byte " + bad);
            }
            return placed(moved, newSize, naturalAlignment, op, call);
        }

        private Held placed(long address, long size, long alignment, int op, String call) {
            if (address == 0 || Long.remainderUnsigned(address, alignment) != 0) {
                throw new AssertionError(call + " returned 0x" + Long.toHexString(address) + ", not aligned to " + alignment);
            }
            long usable = heap.usableSize(address);
            if (usable < size) {
                throw new AssertionError(call + " returned a block of usableSize " + usable + " below the size asked");
            }
            if (!live.add(address)) {
                throw new AssertionError(call + " returned 0x" + Long.toHexString(address) + ", a block another thread holds");
            }
            Held h = new Held(address, size, BlockPattern.seed(address, op));
            BlockPattern.fill(address, size, h.seed());
            return h;
        }

        private void release(Held h, String who) {
            check(h, "freeing it in " + who);
            if (!live.remove(h.address())) {
                throw new AssertionError(who + " frees 0x" + Long.toHexString(h.address()) + ", which is not live");
            }
            heap.free(h.address());
            frees.increment();
        }

        private static void check(Held h, String when) {
            long bad = BlockPattern.firstMismatch(h.address(), h.size(), h.seed());
            if (bad >= 0) {
                throw new AssertionError("block 0x" + Long.toHexString(h.address()) + " (" + h.size()
                        + " B) was overwritten at byte " + bad + ", found " + when);
            }
        }

        private void checkNothingLost() {
            assertTrue(live.isEmpty(), context() + ": blocks never freed: " + live.size());
            heap.verify();
            AllocatorStats s = heap.stats();
            if (heap.features().contains(Feature.EXACT_STATS)) {
                assertEquals(0, s.liveBlocks(), context() + ": live blocks after everything was freed: " + s);
                assertEquals(0, s.liveUsableBytes(), context() + ": live usable bytes after everything was freed: " + s);
                assertTrue(s.liveRequestedBytes() == 0 || s.liveRequestedBytes() == AllocatorStats.UNKNOWN,
                        context() + ": live requested bytes after everything was freed: " + s);
                assertEquals(allocations.sum(), s.allocations(), context() + ": allocations counted: " + s);
                assertEquals(frees.sum(), s.frees(), context() + ": frees counted: " + s);
            }
            if (heap.features().contains(Feature.RETURNS_MEMORY)) {
                heap.trim();
                long footprint = heap.stats().footprintBytes();
                assertTrue(footprint <= startFootprint, context() + ": footprint " + footprint
                        + " after everything was freed and trimmed, above the " + startFootprint + " it started at");
            }
        }

        private String context() {
            return heap.name() + ", " + THREADS + " threads, seed " + seed;
        }

        private static String stackOf(Thread t) {
            StringBuilder text = new StringBuilder();
            for (StackTraceElement e : t.getStackTrace()) {
                text.append("\n\tat ").append(e);
            }
            return text.toString();
        }
    }
}
