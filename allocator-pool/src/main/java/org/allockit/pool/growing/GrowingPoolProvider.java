package org.allockit.pool.growing;

import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;
import org.allockit.pool.Backing;

/**
 * Registers the growing pool as {@code growing}, over a chunk cache of its own. Settings:
 * {@code initial_chunk} (4K), {@code max_chunk} (512K), {@code reserve_limit} of the cache (16M),
 * {@code track_sizes} ({@code true} to record block sizes, a debugging mode) and
 * {@code backing} (a registry name or {@code pages}; default {@code malloc} when registered).
 */
public final class GrowingPoolProvider implements AllocatorProvider {

    private static final long DEFAULT_RESERVE_LIMIT = 16L << 20;

    @Override
    public String name() {
        return GrowingPool.NAME;
    }

    @Override
    public String description() {
        return "Doris-style growing pool: chunks doubling 4 KiB to 512 KiB, cleared or freed all at once";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        options.rejectUnknown(name(), Backing.with(Set.of("initial_chunk", "max_chunk", "reserve_limit",
                Backing.TRACK_SIZES)));
        ChunkCache cache = new ChunkCache(Backing.from(options, "malloc"),
                options.size("reserve_limit", DEFAULT_RESERVE_LIMIT));
        return new GrowingPool(cache, true, options.size("initial_chunk", GrowingPool.DEFAULT_INITIAL_CHUNK),
                options.size("max_chunk", GrowingPool.DEFAULT_MAX_CHUNK), Backing.trackSizes(options));
    }
}
