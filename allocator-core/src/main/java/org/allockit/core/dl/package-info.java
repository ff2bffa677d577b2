/**
 * A dlmalloc-style heap (after Doug Lea's dlmalloc 2.8), written from the design over memory from
 * {@link org.allockit.core.os.PageSource}.
 *
 * <p>Glossary. A <em>chunk</em> is a run of heap memory with a boundary tag ({@link
 * org.allockit.core.dl.Chunk}, the one layout class); a <em>segment</em> is one reservation of
 * pages that chunks tile up to a 16-byte fence ({@link org.allockit.core.dl.Segments}); a
 * <em>bin</em> holds free chunks by size ({@link org.allockit.core.dl.SmallBins} below 256 bytes,
 * {@link org.allockit.core.dl.TreeBins} above); <em>dv</em>, the designated victim, is the remainder
 * of the last split; <em>top</em> is the free chunk at the end of the newest segment, grown by new
 * segments; a <em>direct mapping</em> is a chunk on pages of its own.
 *
 * <p>The heap, {@link org.allockit.core.dl.DlHeap}, is single-threaded ({@code dl-unlocked} in the
 * registry); {@link org.allockit.core.dl.LockedDlHeap} puts it behind one lock ({@code dl}).
 * {@link org.allockit.core.dl.Verifier} checks dlmalloc's debug invariants for {@code verify()}.
 *
 * <p>Reproduce the figures: {@code java -jar allocator-bench/target/benchmarks.jar PairsBenchmark
 * -p allocator=malloc,dl,dl-unlocked -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc};
 * {@code ... ProbeOverheadBenchmark -f 3 -wi 3 -w 1s -i 5 -r 1s}; and for footprint on the traces,
 * {@code ./allockit replay --allocator dl --trace ../shared/traces/sqlite3_orders.trace.gz} (and
 * {@code --allocator malloc} for glibc).
 */
package org.allockit.core.dl;
