/**
 * A tcmalloc-style heap ({@code tc}): three tiers over pages of 8 KiB.
 *
 * <h2>Nouns</h2>
 * <ul>
 *   <li><b>Size class</b> ({@link org.allockit.core.tc.SizeClasses}): one of 90 object sizes from
 *       8 B to 256 KiB, generated so rounding wastes at most 12.5% over the 16-byte alignment.</li>
 *   <li><b>Span</b>: a run of pages, free, cut into objects of one class, or one large block.</li>
 *   <li><b>Page heap</b>: the spans, carved from 2 MiB regions, free ones kept by length and coalesced;
 *       the <b>pagemap</b> finds the span of any page, so blocks carry no header.</li>
 *   <li><b>Central free list</b> (per class): spans with free objects. <b>Transfer cache</b> (per
 *       class): whole batches passed between thread caches without touching spans.</li>
 *   <li><b>Thread cache</b>: per thread, one LIFO list per class; allocate is a pop, free a push.</li>
 * </ul>
 *
 * <h2>Why the front end does not multiply with threads</h2>
 * The front end is per thread (found through a {@code ThreadLocal}: no lock, no atomic, no allocation
 * once the thread has its cache), but what the caches hold is bounded by one global
 * {@code CacheBudget} ({@code cache_cap}, 32 MiB by default). A cache claims budget in 64 KiB steps
 * before it holds more and never holds more than it claimed, so the bytes cached by all threads
 * together never exceed the cap, whether there are 2 threads or 10,000 virtual ones; a thread that
 * finds no budget left runs uncached (each alloc and free goes to its transfer cache under a lock)
 * until budget comes back. Budget comes back when a cache scavenges itself (it drops half of what
 * each list left unused since the last scavenge and returns the budget it no longer needs) and when
 * its thread has terminated: a cache whose owner {@code isAlive()} reports dead is drained by whichever
 * thread next runs short of budget (the stealing step, done every 16 new caches or every 256 failed
 * claims). A live thread that stops allocating keeps its claim until it allocates again or dies; that
 * is the price of an owner-only fast path, and it never breaks the cap.
 *
 * <p>Per-class list limits follow tcmalloc's dynamic sizing: a list's maximum length starts at one
 * object, grows by a batch each time it runs dry and shrinks after repeated overflows, so a thread
 * that uses one class holds only a few batches of it. A free from another thread than the allocating
 * one is simply pushed on the freeing thread's list: objects migrate between threads through the
 * transfer caches.
 *
 * <h2>Errors and their cost</h2>
 * {@code free} finds the span through the pagemap and the object's index by one multiplication by a
 * reciprocal: an address in no span is FOREIGN, an address off an object boundary (or in a large
 * block) is INTERIOR, and a block whose span is free is a double free; all at no extra cost. A
 * double free of a small block whose span is still in use can only be seen with the
 * {@code checking=true} setting: each span then keeps one bit per object, set while a user holds it;
 * every allocation and free does one more pagemap lookup and one atomic read-modify-write of that
 * bit (a shared cache line between threads), and an 8 KiB span of 16-byte objects carries 64 bytes of
 * bits. Without checking, a double free of a small block corrupts nothing of the heap's own
 * structures until the block is handed out twice.
 *
 * <h2>Release to the OS</h2>
 * Each byte of spans returned to the page heap earns {@code release_rate} bytes of credit (0.25 by
 * default); the largest resident free span is given back with {@code MADV_DONTNEED} once the credit
 * covers it, so the spans just freed, the likeliest to be reused, stay resident. {@code trim()} drains the
 * calling thread's cache, the caches of dead threads and the transfer caches, and releases every free
 * span. {@code stats().footprintBytes()} is the reserved regions minus the released spans.
 *
 * <h2>Sampling and probes</h2>
 * About one allocation per {@code sample_interval} bytes (2 MiB, drawn exponentially per thread) is
 * given a span of its own and reported to the {@link org.allockit.core.tc.AllocationSampler}; its free is
 * reported too, found through its span. A {@link org.allockit.core.MemoryProbe} sees every read and
 * write of free-object links (the heap's only metadata in native memory; spans and the pagemap are
 * Java objects), every block handed out and taken back, and every page range reserved or released.
 *
 * <h2>Measured</h2>
 * On a shared 2-core VM (load about 20, so only ratios within one run mean anything), JMH
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc} unless noted; about 0 B/op for {@code tc} throughout:
 * <ul>
 *   <li>Random 16–256 B alloc+free pairs ({@code PairsBenchmark -p allocator=tc,malloc}): tc 0.70 ×
 *       glibc malloc through FFM (102 vs 146 ns/op, both with wide error bars).</li>
 *   <li>The same on FastThreadLocalThreads beside Netty, Netty's leak detector off
 *       ({@code NettyPairsBenchmark -wi 5 -w 2s}): tc 0.30 × Netty's AdaptiveByteBufAllocator,
 *       0.19 × pooled, 1.09 × malloc, 5.1 × a bare free list (122, 405, 655, 112, 24 ns/op).</li>
 *   <li>Netty's shape, 8192 live 256 B blocks replaced at random ({@code NettyShapeBenchmark -wi 5 -w 2s}):
 *       tc 0.087 × adaptive, 0.079 × pooled, 0.44 × malloc (189, 2174, 2401, 430 ns/op).</li>
 *   <li>Two threads ({@code PairsBenchmark -bm thrpt -t 2} against {@code -t 1}): 0.83 × the one-thread
 *       throughput for tc, 1.01 × for malloc; with no idle core on the VM this measures the load, not
 *       the heap. The producer/consumer shape ({@code XmallocBenchmark}): tc 1.01 × malloc, both
 *       dominated by waiting for the other thread to be scheduled.</li>
 *   <li>The 10,000-virtual-thread test ({@code TcHeapConcurrencyTest}) holds every thread alive
 *       after it allocated and freed 32 blocks: the caches together stay under the 1 MiB cap.</li>
 * </ul>
 */
package org.allockit.core.tc;
