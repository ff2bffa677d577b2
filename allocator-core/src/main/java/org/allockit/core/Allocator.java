package org.allockit.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Set;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An off-heap memory allocator: hands out blocks of native memory by address and takes them back.
 *
 * <p>The address API is the allocator's own: {@link #alloc(long)} and {@link #alloc(long, long)}
 * return the native address of a block (a {@code long}), {@link #free(long)} gives it back,
 * {@link #reallocate(long, long)} resizes it and {@link #usableSize(long)} says how many bytes it
 * really has. The address methods are named {@code alloc} rather than {@code allocate} because an
 * allocator is also a {@link SegmentAllocator}, whose {@code allocate(long)} returns a
 * {@link MemorySegment}, and Java cannot overload on the return type; so an allocator can be passed
 * wherever the JDK takes a {@code SegmentAllocator} ({@code allocateFrom}, downcalls returning
 * structs) and the segments it returns are given back with {@link #free(MemorySegment)}.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>{@code alloc(size, alignment)} accepts every size from 0 and every power-of-two alignment from
 *       1 to at least {@link #MAX_ALIGNMENT}; the returned address is a multiple of the alignment and
 *       {@code usableSize(address) >= size}. A size of 0 returns a unique freeable block.</li>
 *   <li>Bad input throws the specific exceptions of this package, named after the value and the
 *       allocator, and leaves the allocator usable: {@link InvalidSizeException},
 *       {@link InvalidAlignmentException}, {@link InvalidAddressException} (never returned, interior,
 *       foreign, already freed: {@link DoubleFreeException}), {@link AllocatorClosedException} and
 *       {@link OutOfNativeMemoryError}, thrown only after the allocator tried to give memory back.
 *       Which address errors an allocator detects, and at what cost, its {@link #features()} and its
 *       javadoc say.</li>
 *   <li>{@link #verify()} walks the allocator's own structures and throws
 *       {@link HeapCorruptionException} on the first broken invariant.</li>
 * </ul>
 *
 * <p>Thread safety is each implementation's to state (see {@link Feature#THREAD_SAFE}).
 */
public interface Allocator extends SegmentAllocator, AutoCloseable {

    /** The largest alignment every allocator supports: 1 GiB. */
    long MAX_ALIGNMENT = 1L << 30;

    /**
     * The bound on what any allocator accepts: a request is refused with {@link InvalidSizeException}
     * when its size, or its size plus its alignment, exceeds it (beyond it, sizes padded with headers
     * and alignment could no longer be addressed).
     */
    long MAX_SIZE = Long.MAX_VALUE >>> 2;

    /** The name this allocator has in the registry ({@code dl}, {@code tc}, {@code malloc}, ...). */
    String name();

    /** Allocates {@code size} bytes aligned to the allocator's natural alignment (16 unless stated). */
    long alloc(long size);

    /** Allocates {@code size} bytes at an address that is a multiple of {@code alignment}. */
    long alloc(long size, long alignment);

    /** Gives back a block returned by {@code alloc} or {@code reallocate}. */
    void free(long address);

    /**
     * Resizes a block, preserving its first {@code min(old, new)} bytes; may move it. Returns the
     * new address (the old one is then invalid). Reallocating address 0 allocates.
     */
    long reallocate(long address, long newSize);

    /** The number of bytes the block really has, at least the size that was requested. */
    long usableSize(long address);

    /** Counters of what the allocator holds; cheap enough to call often, not on a fast path. */
    AllocatorStats stats();

    /** Walks the allocator's own structures; throws {@link HeapCorruptionException} on the first broken invariant. */
    void verify();

    /** Gives free memory back to the OS where the allocator can; returns the bytes given back. */
    default long trim() {
        return 0;
    }

    /**
     * Reports every range of the allocator's address space with its state, for heap maps. Returns
     * false, reporting nothing, when the allocator cannot walk its heap ({@link Feature#HEAP_WALK}
     * absent). Not a fast path: may take the allocator's locks for the whole walk.
     */
    default boolean walk(HeapVisitor visitor) {
        return false;
    }

    /** What this allocator supports and which misuse it detects. */
    Set<Feature> features();

    /** Gives every page back to the OS; any later call throws {@link AllocatorClosedException}. */
    @Override
    void close();

    /** A bounds-checked segment over exactly the usable bytes of a live block. */
    default MemorySegment segment(long address) {
        return MemorySegment.ofAddress(address).reinterpret(usableSize(address));
    }

    /** An Agrona view of a live block's usable bytes (blocks up to 2 GiB). */
    default MutableDirectBuffer buffer(long address) {
        long usable = usableSize(address);
        if (usable > Integer.MAX_VALUE) {
            throw new InvalidSizeException(name(), usable, "is too large for a DirectBuffer view (max 2 GiB)");
        }
        return new UnsafeBuffer(address, (int) usable);
    }

    /** {@link SegmentAllocator}: a segment of exactly {@code byteSize} bytes over a new block. */
    @Override
    default MemorySegment allocate(long byteSize, long byteAlignment) {
        return MemorySegment.ofAddress(alloc(byteSize, byteAlignment)).reinterpret(byteSize);
    }

    /** Gives back a segment returned by {@link #allocate(long, long)} or {@link #segment(long)}. */
    default void free(MemorySegment segment) {
        free(segment.address());
    }
}
