package org.allockit.bench.workload;

import java.util.List;
import org.allockit.bench.contender.Contender;

/**
 * A live set of blocks where each step frees one at random and allocates its replacement: the
 * steady state of a server. Three workloads are this shape with different sizes:
 * {@code netty} (Netty's allocator benchmark: 8192 live 256 B blocks), {@code pareto}
 * (mimalloc-bench's alloc-test: Pareto sizes up to 1 KiB, 10,000 live) and {@code large}
 * (1–8 MiB blocks, 16 live).
 */
public final class Churn implements Workload {

    private final String name;
    private final String description;
    private final int slots;
    private final java.util.function.LongFunction<Sizes> sizes;

    private Churn(String name, String description, int slots, java.util.function.LongFunction<Sizes> sizes) {
        this.name = name;
        this.description = description;
        this.slots = slots;
        this.sizes = sizes;
    }

    public static Churn netty() {
        return new Churn("netty", "8192 live 256 B blocks, free one at random and allocate its replacement; op = one replacement",
                8192, seed -> Sizes.fixed(256));
    }

    public static Churn pareto() {
        return new Churn("pareto", "10,000 live blocks of Pareto sizes 16 B-1 KiB, replace one at random; op = one replacement",
                10_000, seed -> Sizes.pareto(seed, 16, 1024, 1.0));
    }

    public static Churn large() {
        return new Churn("large", "16 live blocks of 1-8 MiB, replace one at random (written once per page); op = one replacement",
                16, seed -> Sizes.uniform(seed, 1L << 20, 8L << 20));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<Integer> threadCounts() {
        return List.of(1);
    }

    /** Blocks live at any time. */
    public int slots() {
        return slots;
    }

    @Override
    public Run start(Contender contender, int threads, long seed) {
        Rng rng = new Rng(seed);
        Sizes table = sizes.apply(seed);
        LiveSet live = new LiveSet(contender, slots);
        live.fill(table, rng);
        return new Run() {
            @Override
            public long step(int thread) {
                live.replace(rng.below(slots), table.draw(rng));
                return 1;
            }

            @Override
            public long liveBytes() {
                return live.bytes();
            }

            @Override
            public void close() {
                live.clear();
            }
        };
    }
}
