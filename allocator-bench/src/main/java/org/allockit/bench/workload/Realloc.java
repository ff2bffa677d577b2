package org.allockit.bench.workload;

import java.util.List;
import org.allockit.bench.contender.Contender;

/**
 * {@code realloc}: four buffers growing by appends of 256 B–16 KiB, each append a resize to the exact
 * new length, until a buffer passes 4 MiB and starts over. An allocator that grows in place (or
 * remaps) copies nothing; one that cannot copies the whole buffer each time.
 */
public final class Realloc implements Workload {

    public static final String NAME = "realloc";
    static final int BUFFERS = 4;
    static final long LIMIT = 4L << 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "4 buffers grown by 256 B-16 KiB appends (resize to the exact length) up to 4 MiB; op = one append";
    }

    @Override
    public List<Integer> threadCounts() {
        return List.of(1);
    }

    @Override
    public Run start(Contender contender, int threads, long seed) {
        return new ReallocRun(contender, Sizes.uniform(seed, 256, 16 << 10), new Rng(seed));
    }

    private static final class ReallocRun implements Run {
        private final Contender contender;
        private final Sizes appends;
        private final Rng rng;
        private final long[] handles = new long[BUFFERS];
        private final long[] lengths = new long[BUFFERS];
        private long sink;

        ReallocRun(Contender contender, Sizes appends, Rng rng) {
            this.contender = contender;
            this.appends = appends;
            this.rng = rng;
            for (int i = 0; i < BUFFERS; i++) {
                begin(i, appends.draw(rng));
            }
        }

        private void begin(int buffer, long length) {
            long handle = contender.alloc(length);
            Contender.write(contender.address(handle), length);
            handles[buffer] = handle;
            lengths[buffer] = length;
        }

        @Override
        public long step(int thread) {
            int i = rng.below(BUFFERS);
            long append = appends.draw(rng);
            long old = lengths[i];
            if (old + append > LIMIT) {
                end(i);
                begin(i, append);
                return 1;
            }
            long handle = contender.realloc(handles[i], old, old + append);
            long address = contender.address(handle);
            Contender.write(address + old, append);
            Contender.word(address, address);
            handles[i] = handle;
            lengths[i] = old + append;
            return 1;
        }

        private void end(int buffer) {
            long handle = handles[buffer];
            sink += Contender.read(contender.address(handle), lengths[buffer]);
            contender.free(handle);
        }

        @Override
        public long liveBytes() {
            long bytes = 0;
            for (long length : lengths) {
                bytes += length;
            }
            return bytes;
        }

        @Override
        public void close() {
            for (int i = 0; i < BUFFERS; i++) {
                end(i);
            }
        }
    }
}
