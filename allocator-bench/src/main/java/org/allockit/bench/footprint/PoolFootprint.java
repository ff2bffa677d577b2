package org.allockit.bench.footprint;

import java.util.Locale;
import org.agrona.concurrent.UnsafeBuffer;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Allocators;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;
import org.allockit.pool.growing.ChunkCache;
import org.allockit.pool.growing.GrowingPool;
import org.allockit.pool.object.ObjectPool;
import org.allockit.pool.object.Pooled;
import org.allockit.pool.object.StructPool;
import org.allockit.pool.region.RegionPool;
import org.allockit.pool.small.SmallObjectAllocator;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints what the pools cost in memory: the small-object allocator's peak footprint for one million
 * live 32-byte blocks against the live bytes rounded to size steps (target at most 1.05), and the
 * on-heap size (JOL, the whole object graph) of each pool next to its off-heap footprint.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
 * -cp allocator-bench/target/benchmarks.jar org.allockit.bench.footprint.PoolFootprint}
 */
public final class PoolFootprint {

    private PoolFootprint() {
    }

    public static void main(String[] args) {
        smallObjects(1_000_000, 32, "malloc");
        smallObjects(1_000_000, 32, "pages");
        heapSizes();
    }

    private static void smallObjects(int blocks, int size, String backing) {
        Backing from = backing.equals("pages") ? Backing.of(PageSource.os()) : Backing.of(Allocators.create(backing));
        try (SmallObjectAllocator small = new SmallObjectAllocator(from)) {
            for (int i = 0; i < blocks; i++) {
                small.alloc(size);
            }
            AllocatorStats stats = small.stats();
            long rounded = blocks * small.stepSize(size);
            System.out.printf(Locale.ROOT, "small (%s backing): %,d live %d B blocks: live rounded %,d B, "
                            + "peak footprint %,d B = %.4f x; on-heap metadata %,d B%n", backing, blocks, size,
                    rounded, stats.peakFootprintBytes(), (double) stats.peakFootprintBytes() / rounded,
                    GraphLayout.parseInstance(small).totalSize());
        }
    }

    private static void heapSizes() {
        try (RegionPool region = new RegionPool(Backing.of(PageSource.os()));
             ChunkCache cache = new ChunkCache(Backing.of(PageSource.os()), 1 << 20);
             GrowingPool growing = new GrowingPool(cache);
             SmallObjectAllocator small = new SmallObjectAllocator(Backing.of(PageSource.os()));
             StructPool structs = new StructPool(Backing.of(PageSource.os()), 32, 4096)) {
            for (int i = 0; i < 1000; i++) {
                region.alloc(64);
                growing.alloc(64);
                small.alloc(64);
                structs.allocate();
            }
            row("region pool (1000 x 64 B)", region, region.stats().footprintBytes());
            row("growing pool (1000 x 64 B)", growing, growing.stats().footprintBytes());
            row("small-object allocator (1000 x 64 B)", small, small.stats().footprintBytes());
            row("struct pool (1000 x 32 B records)", structs, structs.stats().footprintBytes());
            ObjectPool<StringBuilder> objects = new ObjectPool<>("jol", StringBuilder::new, sb -> sb.setLength(0), 64);
            Pooled<StringBuilder> handle = objects.acquire();
            row("object pool (max 64 idle)", objects, 0);
            handle.release();
            // A thread's cache hangs off the thread, not the pool: an object header, an int and its slot array.
            System.out.printf(Locale.ROOT, "%-45s %,10d B per platform thread%n", "object pool thread cache (32 slots)",
                    16 + GraphLayout.parseInstance((Object) new Object[ObjectPool.DEFAULT_LOCAL_CAPACITY]).totalSize());
            System.out.printf(Locale.ROOT, "%-45s %,10d B (handle %d B + object %d B)%n", "pooled StringBuilder + handle",
                    GraphLayout.parseInstance(handle).totalSize() - GraphLayout.parseInstance(objects).totalSize(),
                    org.openjdk.jol.info.ClassLayout.parseInstance(handle).instanceSize(),
                    GraphLayout.parseInstance(handle.get()).totalSize());
            System.out.printf(Locale.ROOT, "%-45s %,10d B%n", "struct record flyweight (UnsafeBuffer)",
                    GraphLayout.parseInstance(new UnsafeBuffer(0, 0)).totalSize());
        }
    }

    private static void row(String what, Object pool, long offHeap) {
        System.out.printf(Locale.ROOT, "%-45s %,10d B on heap, %,10d B off heap%n", what,
                GraphLayout.parseInstance(pool).totalSize(), offHeap);
    }
}
