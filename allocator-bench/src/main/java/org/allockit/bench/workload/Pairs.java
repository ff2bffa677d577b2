package org.allockit.bench.workload;

import java.util.List;
import org.allockit.bench.contender.Contender;

/**
 * {@code pairs}: allocate a random 16–256 B block, write it, read it and free it at once. The
 * fastest path of every allocator: a thread cache or a bin hit, nothing live in between.
 */
public final class Pairs implements Workload {

    public static final String NAME = "pairs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "allocate a random 16-256 B block, write and read it, free it; op = one pair";
    }

    @Override
    public List<Integer> threadCounts() {
        return List.of(1);
    }

    @Override
    public Run start(Contender contender, int threads, long seed) {
        return new PairsRun(contender, Sizes.uniform(seed, 16, 256), new Rng(seed));
    }

    private static final class PairsRun implements Run {
        private final Contender contender;
        private final Sizes sizes;
        private final Rng rng;
        private long sink;

        PairsRun(Contender contender, Sizes sizes, Rng rng) {
            this.contender = contender;
            this.sizes = sizes;
            this.rng = rng;
        }

        @Override
        public long step(int thread) {
            long size = sizes.draw(rng);
            long handle = contender.alloc(size);
            long address = contender.address(handle);
            Contender.write(address, size);
            sink += Contender.read(address, size);
            contender.free(handle);
            return 1;
        }

        @Override
        public long liveBytes() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
