/**
 * A ptmalloc-style multi-arena heap: glibc's design of arenas per thread over allockit's
 * dlmalloc-style heap.
 *
 * <p>Glossary. An <b>arena</b> ({@link org.allockit.core.pt.Arena}) is one independent boundary-tag
 * heap ({@link org.allockit.core.dl.DlHeap}) with one lock. A <b>heap</b> is a window of address space
 * of {@code heap_size} bytes (64 MiB) aligned to its size, reserved whole for one arena
 * ({@link org.allockit.core.pt.ArenaHeaps}); the <b>heap table</b>
 * ({@link org.allockit.core.pt.HeapTable}) maps each window to its arena, so the owner of any address
 * is found by masking. A <b>thread cache</b> ({@link org.allockit.core.pt.ThreadCache}) is glibc's
 * tcache: a few blocks per small size, kept without a lock, whose total is capped by one
 * {@link org.allockit.core.thread.CacheBudget} however many threads there are.
 *
 * <p>Invariants: every address handed out lies in a window the table marks with its arena (or as a
 * direct mapping); a cached block is in use as far as its arena knows and carries the heap's key;
 * {@code budget remaining + sum of (credit + cached bytes) == tcache_cap}.
 *
 * <p>Measured (see the README for the commands): peak footprint on the three sample traces of
 * {@code ../shared/traces} within 1.01 × glibc's resident-set growth measured by a C replayer.
 */
package org.allockit.core.pt;
