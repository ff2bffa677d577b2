package org.allockit.core;

/**
 * One entry of the allocator registry, found with {@link java.util.ServiceLoader}: each module
 * lists its providers in {@code META-INF/services/org.allockit.core.AllocatorProvider}, so a new
 * allocator joins the CLI, the shoot-out and the tests without editing them.
 */
public interface AllocatorProvider {

    /** The registry name ({@code dl}, {@code tc}, {@code malloc}). */
    String name();

    /** One line saying what the allocator is. */
    String description();

    /** A new allocator over the given options. */
    Allocator create(AllocatorOptions options);
}
