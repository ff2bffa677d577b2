package org.allockit.bench.workload;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.allockit.bench.contender.Contender;

/**
 * {@code larson}: mimalloc-bench's server simulation. Each thread keeps 4096 live blocks of 16–512 B
 * and replaces one at random per step; one step in eight passes the old block to a shared mailbox
 * instead of freeing it and frees whatever block it finds there, most likely another thread's, so
 * frees cross threads the way requests handed between a server's threads do.
 */
public final class Larson implements Workload {

    public static final String NAME = "larson";
    static final int SLOTS = 4096;
    static final int MAILBOX = 256;
    private static final long EMPTY = -1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "per thread 4096 live 16-512 B blocks replaced at random, 1 in 8 freed by another thread; op = one replacement";
    }

    @Override
    public List<Integer> threadCounts() {
        return List.of(1, 2);
    }

    @Override
    public boolean freesAcrossThreads() {
        return true;
    }

    @Override
    public Run start(Contender contender, int threads, long seed) {
        return new LarsonRun(contender, threads, seed);
    }

    private static final class LarsonRun implements Run {
        private final Contender contender;
        private final Sizes sizes;
        private final LiveSet[] live;
        private final Rng[] rngs;
        private final long[] sinks;
        private final AtomicLongArray mailbox = new AtomicLongArray(MAILBOX);

        LarsonRun(Contender contender, int threads, long seed) {
            this.contender = contender;
            this.sizes = Sizes.uniform(seed, 16, 512);
            this.live = new LiveSet[threads];
            this.rngs = new Rng[threads];
            this.sinks = new long[threads];
            for (int t = 0; t < threads; t++) {
                rngs[t] = new Rng(seed + t);
                live[t] = new LiveSet(contender, SLOTS);
            }
            for (int i = 0; i < MAILBOX; i++) {
                mailbox.set(i, EMPTY);
            }
        }

        /** Each thread allocates its own live set on its first step, so its blocks come from its own caches. */
        @Override
        public long step(int thread) {
            LiveSet mine = live[thread];
            Rng rng = rngs[thread];
            if (mine.bytes() == 0) {
                mine.fill(sizes, rng);
            }
            long r = rng.next();
            int slot = (int) ((r >>> 32) & (SLOTS - 1));
            if ((r & 7) != 0) {
                mine.replace(slot, sizes.draw(rng));
                return 1;
            }
            long handed = mine.swap(slot, sizes.draw(rng));
            long found = mailbox.getAndSet((int) ((r >>> 8) & (MAILBOX - 1)), handed);
            if (found != EMPTY) {
                sinks[thread] += Contender.read(contender.address(found), Long.BYTES);
                contender.free(found);
            }
            return 1;
        }

        @Override
        public long liveBytes() {
            long bytes = 0;
            for (LiveSet set : live) {
                bytes += set.bytes();
            }
            return bytes;
        }

        @Override
        public void close() {
            for (LiveSet set : live) {
                if (set.bytes() != 0) {
                    set.clear();
                }
            }
            for (int i = 0; i < MAILBOX; i++) {
                long handle = mailbox.getAndSet(i, EMPTY);
                if (handle != EMPTY) {
                    contender.free(handle);
                }
            }
        }
    }
}
