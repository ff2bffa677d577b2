/**
 * The memory model: a trace-driven cache, TLB and page simulator, and the harness that measures an
 * allocator's locality and fragmentation costs in it.
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li>{@link org.allockit.bench.sim.CacheLevel} — one set-associative level holding only tags, with
 *       a replacement policy (true LRU, FIFO, seeded random, tree-PLRU) and counts per source (user
 *       data, allocator metadata) and kind (fetch, read, write). TLBs are cache levels whose lines are
 *       page numbers.</li>
 *   <li>{@link org.allockit.bench.sim.CacheHierarchy} — split I1/D1 in front of any number of shared
 *       levels; a level is looked up only on a miss above it, with the whole access.</li>
 *   <li>{@link org.allockit.bench.sim.TlbHierarchy} — dTLB for 4 KiB pages, dTLB for 2 MiB pages,
 *       shared STLB; an STLB miss is a page walk.</li>
 *   <li>{@link org.allockit.bench.sim.PageModel} — first touch faults, released ranges fault again,
 *       regions marked huge map as 2 MiB pages; resident set sampled over time.</li>
 *   <li>{@link org.allockit.bench.sim.Simulator} — the three fed one access at a time, allocation-free.</li>
 *   <li>{@link org.allockit.bench.sim.AccessTraceReader} — byte-level lackey/din parsing straight into
 *       a simulator.</li>
 *   <li>{@link org.allockit.bench.sim.AllocatorSimulation} with {@link org.allockit.bench.sim.SimProbe}
 *       — a real allocator run with a probe feeding the simulator, its metadata split from user data.</li>
 * </ul>
 *
 * <h2>Cachegrind's rules</h2>
 * With the {@code cachegrind} preset the nine counters equal those of valgrind 3.19's
 * {@code --tool=cachegrind --cache-sim=yes} for the same run, replayed from a
 * {@code --tool=lackey --trace-mem=yes} trace: true LRU per set; write-allocate; an access spanning
 * two lines looks both up, counts once and misses at most once; {@code M} is one read; the last level
 * is looked up only on a first-level miss; accesses wider than the smallest line are clamped to it.
 * {@code CachegrindEquivalenceTest} checks this on three recorded programs and five configurations
 * (how they were recorded: {@code src/test/resources/sim/README.md}).
 *
 * <h2>Speed (measured 2026-11-22 on the 2-core CI machine at load average 18-26: wall times are
 * several times the CPU times)</h2>
 * A lackey trace of {@code sortnums 50000} (65,284,060 lines, 930 MB plain text) recorded as in the
 * README above, replayed with {@code ./allockit simulate --trace big.lackey} (cachegrind preset):
 * 3.4-5.0 s of process CPU (user), 13.6-25 s wall; the parse-and-simulate loop alone, in process,
 * runs at 21-37 M lines per CPU-second. {@code valgrind --tool=cachegrind --cache-sim=yes} running
 * the same program with the same caches takes 0.64-0.76 s of CPU and 2.8-3.0 s wall: on this tight
 * loop cachegrind is faster than reading its lackey trace back (lackey itself took 3 min 45 s to
 * write it). On {@code /bin/true} (146,480 lines) cachegrind takes 0.34-0.41 s CPU, the replay
 * 0.78-0.95 s, nearly all of it JVM start-up. Parsing on a helper thread overlaps it with the
 * simulation; on this loaded machine that saved no wall time and cost ~10% more CPU.
 *
 * <p>JMH {@code SimulatorBenchmark} (accesses fed in process, 1 in 8 to random lines of 64 MiB):
 * allocation-free (≤ 0.005 B/op); skylake-sp with TLBs and pages at 0.35-0.67 of the cachegrind
 * preset's throughput in the same run (1.7-5.9 M/s against 4.2-13.1 M/s wall-clock, errors as large
 * as the scores on this machine); by CPU time 10-11.5 M against 15-18 M accesses per CPU-second.
 */
package org.allockit.bench.sim;
