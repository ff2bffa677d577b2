package org.allockit.bench.workload;

import java.util.List;
import org.allockit.bench.contender.Contender;
import org.allockit.core.trace.Trace;

/**
 * {@code trace:FILE}: replays a recorded allocation trace over a contender, the trace's blocks
 * indexed by the dense slots the trace reader assigned. A step replays the next 4096 operations; a
 * pass ends at the trace's end, and the run may stop only there, so the heap it leaves is the
 * trace's. The next pass first frees what the previous one left live. An operation is one line of
 * the trace.
 */
public final class TraceWorkload implements Workload {

    static final int CHUNK = 4096;

    private final Trace trace;

    public TraceWorkload(Trace trace) {
        this.trace = trace;
    }

    public Trace trace() {
        return trace;
    }

    @Override
    public String name() {
        return "trace:" + trace.name();
    }

    @Override
    public String description() {
        return String.format("replay of %s: %,d ops, peak %,d live blocks / %.2f MiB; op = one trace line",
                trace.name(), trace.operations(), trace.slotCount(), trace.peakLiveBytes() / 1048576.0);
    }

    @Override
    public List<Integer> threadCounts() {
        return List.of(1);
    }

    @Override
    public boolean mapsHeap() {
        return true;
    }

    @Override
    public boolean chartsFootprint() {
        return true;
    }

    @Override
    public Run start(Contender contender, int threads, long seed) {
        return new Replay(contender, trace);
    }

    private static final class Replay implements Run {
        private final Contender contender;
        private final Trace trace;
        private final long[] handles;
        private final long[] sizes;
        private final boolean[] live;
        private int next;
        private long liveBytes;
        private long sink;

        Replay(Contender contender, Trace trace) {
            this.contender = contender;
            this.trace = trace;
            this.handles = new long[trace.slotCount()];
            this.sizes = new long[trace.slotCount()];
            this.live = new boolean[trace.slotCount()];
        }

        @Override
        public long step(int thread) {
            if (next == trace.operations()) {
                freeLive();
                next = 0;
            }
            int end = Math.min(trace.operations(), next + CHUNK);
            for (int i = next; i < end; i++) {
                replay(i);
            }
            long done = end - next;
            next = end;
            return done;
        }

        private void replay(int i) {
            int slot = trace.slot(i);
            long size = trace.size(i);
            switch (trace.kind(i)) {
                case Trace.ALLOC -> born(slot, contender.alloc(size), size);
                case Trace.ALIGNED -> born(slot, contender.alloc(size, trace.alignment(i)), size);
                case Trace.REALLOC -> {
                    long old = sizes[slot];
                    long handle = contender.realloc(handles[slot], old, size);
                    long address = contender.address(handle);
                    if (size > old) {
                        Contender.write(address + old, size - old);
                    }
                    if (size >= Long.BYTES) {
                        Contender.word(address, address);
                    }
                    handles[slot] = handle;
                    sizes[slot] = size;
                    liveBytes += size - old;
                }
                default -> die(slot);
            }
        }

        private void born(int slot, long handle, long size) {
            Contender.write(contender.address(handle), size);
            handles[slot] = handle;
            sizes[slot] = size;
            live[slot] = true;
            liveBytes += size;
        }

        private void die(int slot) {
            sink += Contender.read(contender.address(handles[slot]), sizes[slot]);
            contender.free(handles[slot]);
            live[slot] = false;
            liveBytes -= sizes[slot];
        }

        private void freeLive() {
            for (int slot = 0; slot < live.length; slot++) {
                if (live[slot]) {
                    die(slot);
                }
            }
        }

        @Override
        public boolean atRest(int thread) {
            return next == trace.operations();
        }

        @Override
        public long liveBytes() {
            return liveBytes;
        }

        @Override
        public void close() {
            freeLive();
        }
    }
}
