package org.allockit.bench.workload;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.allockit.bench.contender.Contender;

/**
 * {@code xmalloc}: mimalloc-bench's xmalloc-test. Thread 0 only allocates (16–256 B, written) and
 * passes each block through a bounded single-producer single-consumer ring; thread 1 only reads and
 * frees. Every free is remote, the case a thread cache handles worst. An operation is one block that
 * made the whole trip; a thread that finds the ring full or empty waits (returns 0).
 */
public final class Xmalloc implements Workload {

    public static final String NAME = "xmalloc";
    static final int RING = 4096;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "one thread allocates 16-256 B blocks, another frees them, through a 4096-entry ring; op = one block";
    }

    @Override
    public List<Integer> threadCounts() {
        return List.of(2);
    }

    @Override
    public boolean freesAcrossThreads() {
        return true;
    }

    @Override
    public Run start(Contender contender, int threads, long seed) {
        if (threads != 2) {
            throw new IllegalArgumentException("xmalloc runs on exactly 2 threads (a producer and a consumer), not " + threads);
        }
        return new XmallocRun(contender, Sizes.uniform(seed, 16, 256), new Rng(seed));
    }

    private static final class XmallocRun implements Run {
        private final Contender contender;
        private final Sizes sizes;
        private final Rng rng;
        private final long[] ring = new long[RING];
        private final long[] ringSizes = new long[RING];
        /** Next slot the consumer reads; next slot the producer writes. Each written by one thread only. */
        private final AtomicLong head = new AtomicLong();
        private final AtomicLong tail = new AtomicLong();
        private long producerHeadCache;
        private long consumerTailCache;
        private long sink;

        XmallocRun(Contender contender, Sizes sizes, Rng rng) {
            this.contender = contender;
            this.sizes = sizes;
            this.rng = rng;
        }

        @Override
        public long step(int thread) {
            return thread == 0 ? produce() : consume();
        }

        private long produce() {
            long t = tail.get();
            if (t - producerHeadCache == RING) {
                producerHeadCache = head.get();
                if (t - producerHeadCache == RING) {
                    Thread.onSpinWait();
                    return 0;
                }
            }
            long size = sizes.draw(rng);
            long handle = contender.alloc(size);
            Contender.write(contender.address(handle), size);
            int slot = (int) (t & (RING - 1));
            ring[slot] = handle;
            ringSizes[slot] = size;
            tail.lazySet(t + 1);
            return 0;
        }

        private long consume() {
            long h = head.get();
            if (h == consumerTailCache) {
                consumerTailCache = tail.get();
                if (h == consumerTailCache) {
                    Thread.onSpinWait();
                    return 0;
                }
            }
            int slot = (int) (h & (RING - 1));
            long handle = ring[slot];
            sink += Contender.read(contender.address(handle), ringSizes[slot]);
            contender.free(handle);
            head.lazySet(h + 1);
            return 1;
        }

        @Override
        public long liveBytes() {
            long bytes = 0;
            for (long h = head.get(), t = tail.get(); h < t; h++) {
                bytes += ringSizes[(int) (h & (RING - 1))];
            }
            return bytes;
        }

        @Override
        public void close() {
            while (head.get() < tail.get()) {
                consume();
            }
        }
    }
}
