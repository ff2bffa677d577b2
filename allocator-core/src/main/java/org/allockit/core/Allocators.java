package org.allockit.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The registry of allocators: every {@link AllocatorProvider} on the class path, by name. */
public final class Allocators {

    private Allocators() {
    }

    /** Every registered provider, sorted by name. */
    public static List<AllocatorProvider> providers() {
        List<AllocatorProvider> all = new ArrayList<>();
        ServiceLoader.load(AllocatorProvider.class, Allocators.class.getClassLoader()).forEach(all::add);
        all.sort(Comparator.comparing(AllocatorProvider::name));
        return all;
    }

    /** The provider called {@code name}; throws naming the known ones when there is none. */
    public static AllocatorProvider provider(String name) {
        List<AllocatorProvider> all = providers();
        for (AllocatorProvider p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no allocator named '" + name + "'; known: "
                + all.stream().map(AllocatorProvider::name).toList());
    }

    /** A new allocator called {@code name} with default options. */
    public static Allocator create(String name) {
        return provider(name).create(AllocatorOptions.defaults());
    }

    /** A new allocator called {@code name} over the given options. */
    public static Allocator create(String name, AllocatorOptions options) {
        return provider(name).create(options);
    }
}
