package org.allockit.bench.contender;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorProvider;
import org.allockit.core.Allocators;

/**
 * The contenders of the shoot-out by name: every allocator of the registry (so an allocator joins by
 * registering, with nothing to edit here) and the baselines a Java programmer would otherwise use.
 */
public final class Contenders {

    /** glibc malloc, the registry's {@code malloc}: the reference every ratio is taken against. */
    public static final String MALLOC = "malloc";
    public static final String ARENA_CONFINED = "arena-confined";
    public static final String ARENA_SLICING = "arena-slicing";
    public static final String DIRECT_BUFFER = "direct-buffer";
    public static final String NETTY_POOLED = "netty-pooled";
    public static final String NETTY_ADAPTIVE = "netty-adaptive";

    private static final List<Baseline> BASELINES = List.of(
            new Baseline(ARENA_CONFINED, "Arena.ofConfined() per block, closed to free", ConfinedArenaContender::new),
            new Baseline(ARENA_SLICING, "one Arena.ofShared() + slicingAllocator, never frees", SlicingArenaContender::new),
            new Baseline(DIRECT_BUFFER, "ByteBuffer.allocateDirect, left to its cleaner", DirectBufferContender::new),
            new Baseline(NETTY_POOLED, "Netty PooledByteBufAllocator direct buffers", NettyContender::pooled),
            new Baseline(NETTY_ADAPTIVE, "Netty AdaptiveByteBufAllocator direct buffers", NettyContender::adaptive));

    private Contenders() {
    }

    private record Baseline(String name, String description, Supplier<Contender> factory) {
    }

    /** Every contender's name: the registry's allocators first, then the baselines. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (AllocatorProvider provider : Allocators.providers()) {
            names.add(provider.name());
        }
        BASELINES.forEach(b -> names.add(b.name()));
        return names;
    }

    /** One line saying what the contender is. */
    public static String describe(String name) {
        for (Baseline b : BASELINES) {
            if (b.name().equals(name)) {
                return name.startsWith("netty") ? b.description() + ", " + NettyContender.mode() : b.description();
            }
        }
        return Allocators.provider(name).description();
    }

    /** An allocator of the registry, already built (with a probe, say), as a contender; it closes the allocator. */
    public static Contender of(Allocator allocator) {
        return new RegistryContender(allocator);
    }

    /** Whether {@code name} is an allocator of the registry rather than a baseline. */
    public static boolean inRegistry(String name) {
        return Allocators.providers().stream().anyMatch(p -> p.name().equals(name));
    }

    /** A new contender called {@code name}; throws naming the known ones when there is none. */
    public static Contender create(String name) {
        for (Baseline b : BASELINES) {
            if (b.name().equals(name)) {
                return b.factory().get();
            }
        }
        if (!inRegistry(name)) {
            throw new IllegalArgumentException("no contender named '" + name + "'; known: " + names());
        }
        return new RegistryContender(Allocators.create(name));
    }
}
