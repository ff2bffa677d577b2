package org.allockit.bench.workload;

import java.util.List;
import org.allockit.bench.contender.Contender;

/**
 * {@code traverse}: locality. Setting up builds a linked list of 100,000 nodes of 16–256 B, frees
 * every other node and allocates 50,000 new ones, each linked in where a freed one was, so the list
 * order follows where the allocator put the replacements. A step walks the whole list, reading each
 * node; an operation is one node visited. The heap is left as the list made it, for the heap map.
 *
 * <p>Node layout: word 0 is the node's own address (the stamp every block carries), word 1 the
 * address of the next node (0 at the end).
 */
public final class Traverse implements Workload {

    public static final String NAME = "traverse";
    public static final int NODES = 100_000;
    private static final long NEXT = Long.BYTES;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "list of 100,000 16-256 B nodes, every other one freed and reallocated, then walked; op = one node visited";
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
    public Run start(Contender contender, int threads, long seed) {
        return new TraverseRun(contender, Sizes.uniform(seed, 16, 256), new Rng(seed));
    }

    private static final class TraverseRun implements Run {
        private final Contender contender;
        private final long[] handles = new long[NODES];
        private final long[] sizes = new long[NODES];
        private final long head;
        private long liveBytes;
        private long sink;

        TraverseRun(Contender contender, Sizes table, Rng rng) {
            this.contender = contender;
            long previous = 0;
            long first = 0;
            for (int i = 0; i < NODES; i++) {
                long address = node(i, table.draw(rng));
                if (previous == 0) {
                    first = address;
                } else {
                    Contender.word(previous + NEXT, address);
                }
                previous = address;
            }
            this.head = first;
            for (int i = 1; i < NODES; i += 2) {
                long before = contender.address(handles[i - 1]);
                long address = contender.address(handles[i]);
                Contender.word(before + NEXT, Contender.word(address + NEXT));
                sink += Contender.read(address, sizes[i]);
                contender.free(handles[i]);
                liveBytes -= sizes[i];
            }
            for (int i = 1; i < NODES; i += 2) {
                long before = contender.address(handles[i - 1]);
                long after = Contender.word(before + NEXT);
                long address = node(i, table.draw(rng));
                Contender.word(address + NEXT, after);
                Contender.word(before + NEXT, address);
            }
        }

        /** Allocates node {@code i}, writes it and ends it (next = 0); returns its address. */
        private long node(int i, long size) {
            long handle = contender.alloc(size);
            long address = contender.address(handle);
            Contender.write(address, size);
            Contender.word(address + NEXT, 0);
            handles[i] = handle;
            sizes[i] = size;
            liveBytes += size;
            return address;
        }

        @Override
        public long step(int thread) {
            long visited = 0;
            for (long node = head; node != 0; node = Contender.word(node + NEXT)) {
                sink += Contender.read(node, Long.BYTES);
                visited++;
            }
            return visited;
        }

        @Override
        public long liveBytes() {
            return liveBytes;
        }

        @Override
        public void close() {
            for (int i = 0; i < NODES; i++) {
                sink += Contender.read(contender.address(handles[i]), sizes[i]);
                contender.free(handles[i]);
            }
        }
    }
}
