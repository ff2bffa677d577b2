package org.allockit.pool.region;

import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.AllocatorProvider;
import org.allockit.pool.Backing;

/**
 * Registers the region pool as {@code region}. Settings: {@code block_size} (default 16K),
 * {@code track_sizes} ({@code true} to record small block sizes, a debugging mode) and {@code backing} (a registry name or {@code pages}; default {@code malloc} when registered, else the
 * options' page source).
 */
public final class RegionPoolProvider implements AllocatorProvider {

    @Override
    public String name() {
        return RegionPool.NAME;
    }

    @Override
    public String description() {
        return "Nginx-style region pool: bump allocation in 16 KiB blocks, freed all at once";
    }

    @Override
    public Allocator create(AllocatorOptions options) {
        options.rejectUnknown(name(), Backing.with(Set.of("block_size", Backing.TRACK_SIZES)));
        long blockSize = options.size("block_size", RegionPool.DEFAULT_BLOCK_SIZE);
        return new RegionPool(Backing.from(options, "malloc"), blockSize, Backing.trackSizes(options));
    }
}
