/**
 * Leak tracking and memory-error checks for any {@link org.allockit.core.Allocator}, the way C programs
 * wrap malloc/free: {@link org.allockit.leak.LeakTracker#wrap LeakTracker.wrap(allocator, level)}.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>level</dt><dd>{@link org.allockit.leak.Level}: COUNT (exact live blocks and bytes), SAMPLED (plus
 *       the site of about one allocation per 512 KiB), FULL (every site, double frees named), PARANOID
 *       (FULL plus red zones, poison and quarantine).</dd>
 *   <dt>site</dt><dd>{@link org.allockit.leak.Site}: the stack (16 frames by default) and an example
 *       thread of an allocation, one record per distinct stack ({@code SiteTable}).</dd>
 *   <dt>live blocks</dt><dd>{@code LiveBlocks} stripes: Agrona maps from address to a handle,
 *       {@code handle >= 0} the size of a block without a site, {@code handle < 0} the complement of a
 *       {@code BlockRecords} record number (size, site, birth, front).
 *       Invariant per stripe: {@code bytes == sum of the sizes of its blocks}.</dd>
 *   <dt>red zones</dt><dd>{@code GuardedBlock}: patterned bytes before (0xFA) and after (0xFB) each
 *       PARANOID block, checked on free; freed blocks are filled with 0xFD.</dd>
 *   <dt>quarantine</dt><dd>{@code Quarantine}: recently freed blocks, newest holding their poisoned memory
 *       (PARANOID, bounded in bytes), all remembered by address (bounded in blocks) to name double frees.</dd>
 *   <dt>report</dt><dd>{@link org.allockit.leak.LeakReport}: live blocks by site, largest first, with
 *       the memory errors and unreachable handles; text and JSON. {@link org.allockit.leak.Snapshot}s
 *       diff by site.</dd>
 *   <dt>unreachable handle</dt><dd>{@link org.allockit.leak.UnreachableHandles}: objects over off-heap
 *       blocks watched with a {@link java.lang.ref.Cleaner}, reported if collected unreleased.</dd>
 * </dl>
 *
 * The JUnit 5 extension is in {@link org.allockit.leak.junit}.
 */
package org.allockit.leak;
