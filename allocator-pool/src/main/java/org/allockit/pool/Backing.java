package org.allockit.pool;

import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorOptions;
import org.allockit.core.Allocators;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.PageSource;
import org.allockit.core.os.PageSourceException;

/**
 * Where a pool gets the memory it carves up: either any {@link Allocator} of the registry
 * ({@link OfAllocator}) or OS pages directly ({@link OfPages}, every request rounded up to whole pages).
 * A pool asks for a few large pieces (blocks, chunks, slabs) and gives each back with the size it
 * asked for, so both kinds can serve it; {@link #footprint(long)} says what a request really costs.
 *
 * <p>Thread safety is the backing's: the OS page source and {@code malloc} are thread-safe.
 */
public sealed interface Backing extends AutoCloseable permits Backing.OfAllocator, Backing.OfPages {

    /** The setting every pool provider reads: a registry name, or {@code pages} for the OS page source. */
    String SETTING = "backing";

    /** {@code bytes} bytes at a multiple of {@code alignment}; throws {@link OutOfNativeMemoryError} when refused. */
    long obtain(long bytes, long alignment);

    /**
     * {@link #obtain} on behalf of the pool called {@code pool}: when the backing runs out, the error
     * names the pool (the backing's own error is its cause), as every allocator's errors name it.
     */
    default long obtainFor(String pool, long bytes, long alignment) {
        try {
            return obtain(bytes, alignment);
        } catch (OutOfNativeMemoryError e) {
            throw outOfMemory(pool, e);
        }
    }

    /** The backing's out-of-memory error, told in the name of the pool that asked. */
    static OutOfNativeMemoryError outOfMemory(String pool, OutOfNativeMemoryError cause) {
        OutOfNativeMemoryError error = new OutOfNativeMemoryError(pool, cause.requested(),
                "its backing refused: " + cause.getMessage());
        error.initCause(cause);
        return error;
    }

    /** Gives back a piece returned by {@link #obtain} for the same number of bytes. */
    void give(long address, long bytes);

    /** What a request of {@code bytes} costs in footprint (the size after the backing's rounding). */
    long footprint(long bytes);

    /** The backing's name, for stats and messages ({@code malloc}, {@code pages}). */
    String name();

    /** Closes the backing allocator when this backing created it; never closes one the user passed. */
    @Override
    void close();

    /** A backing over an allocator the caller owns (and closes). */
    static Backing of(Allocator allocator) {
        return new OfAllocator(allocator, false);
    }

    /** A backing over a page source: each piece is its own reservation, rounded up to whole pages. */
    static Backing of(PageSource pages) {
        return new OfPages(pages);
    }

    /**
     * The backing a pool provider uses: the {@code backing} setting if given (a registry name or
     * {@code pages}), else {@code fallback} when it is registered ({@code malloc}), else the options'
     * page source. A backing allocator created here is owned by the backing and closed with it.
     */
    static Backing from(AllocatorOptions options, String fallback) {
        String name = options.settings().get(SETTING);
        if (name == null) {
            boolean registered = Allocators.providers().stream().anyMatch(p -> p.name().equals(fallback));
            name = registered ? fallback : "pages";
        }
        if (name.equals("pages")) {
            return of(options.pages());
        }
        AllocatorOptions inner = new AllocatorOptions(options.pages(), options.probe(), java.util.Map.of());
        return new OfAllocator(Allocators.create(name, inner), true);
    }

    /** The setting of the bump pools' debugging mode that records block sizes ({@code true} or {@code false}). */
    String TRACK_SIZES = "track_sizes";

    /** Whether the options ask for size tracking; anything but {@code true} or {@code false} is refused. */
    static boolean trackSizes(AllocatorOptions options) {
        String value = options.settings().getOrDefault(TRACK_SIZES, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("setting '" + TRACK_SIZES + "': '" + value + "' is not true or false");
        }
        return value.equals("true");
    }

    /** The settings every pool knows besides its own. */
    static Set<String> with(Set<String> own) {
        var all = new java.util.HashSet<>(own);
        all.add(SETTING);
        return Set.copyOf(all);
    }

    /** Pieces are blocks of a backing allocator. */
    record OfAllocator(Allocator allocator, boolean owned) implements Backing {

        @Override
        public long obtain(long bytes, long alignment) {
            return allocator.alloc(bytes, alignment);
        }

        @Override
        public void give(long address, long bytes) {
            allocator.free(address);
        }

        @Override
        public long footprint(long bytes) {
            return bytes;
        }

        @Override
        public String name() {
            return allocator.name();
        }

        @Override
        public void close() {
            if (owned) {
                allocator.close();
            }
        }
    }

    /** Pieces are reservations of whole pages; alignments beyond a page are asked of the page source. */
    record OfPages(PageSource pages) implements Backing {

        @Override
        public long obtain(long bytes, long alignment) {
            long rounded = footprint(bytes);
            try {
                return pages.reserve(rounded, Math.max(alignment, pages.pageSize()));
            } catch (PageSourceException e) {
                OutOfNativeMemoryError error = new OutOfNativeMemoryError("pages", bytes, e.getMessage());
                error.initCause(e);
                throw error;
            }
        }

        @Override
        public void give(long address, long bytes) {
            pages.release(address, footprint(bytes));
        }

        @Override
        public long footprint(long bytes) {
            return PageSource.roundUp(Math.max(bytes, 1), pages.pageSize());
        }

        @Override
        public String name() {
            return "pages";
        }

        @Override
        public void close() {
        }
    }
}
