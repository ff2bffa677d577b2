package org.allockit.core.glibc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.EnumSet;
import java.util.Set;
import org.allockit.core.Allocator;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.Feature;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.OutOfNativeMemoryError;
import org.allockit.core.os.ResidentSet;

/**
 * The C library's allocator ({@code malloc}, {@code free}, {@code realloc}, {@code posix_memalign},
 * {@code malloc_usable_size}, {@code malloc_trim}, {@code mallinfo2}) called through FFM downcalls:
 * allockit's first baseline, registered as {@code malloc}.
 *
 * <p>The fast calls are linked as critical downcalls (no thread-state transition), the cheapest way
 * the JDK can call C, so the baseline is as fast as FFM allows. Nothing is tracked on the Java side:
 * {@link #stats()} reads glibc's own {@code mallinfo2()} (in-use bytes include glibc's chunk headers
 * and blocks parked in its tcache) and takes the footprint as the process's resident-set growth since
 * creation, so none of the figures is exact.
 *
 * <p>Detects no bad address: glibc aborts the whole process on some double frees and corrupts its heap
 * on others, so callers must never pass an address it did not return. Sizes, alignments and calls
 * after {@code close()} are checked. {@code close()} cannot free live blocks (glibc cannot enumerate
 * them); it only trims. Thread-safe, as glibc is; {@code close()} must not race other calls.
 */
public final class MallocAllocator implements Allocator {

    /** glibc guarantees this alignment for every plain {@code malloc}. */
    private static final long MALLOC_ALIGNMENT = 16;

    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle REALLOC;
    private static final MethodHandle POSIX_MEMALIGN;
    private static final MethodHandle USABLE_SIZE;
    private static final MethodHandle TRIM;
    private static final MethodHandle MALLINFO2;
    private static final StructLayout MALLINFO2_LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option critical = Linker.Option.critical(false);
        MALLOC = linker.downcallHandle(libc.findOrThrow("malloc"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), critical);
        FREE = linker.downcallHandle(libc.findOrThrow("free"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG), critical);
        REALLOC = linker.downcallHandle(libc.findOrThrow("realloc"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), critical);
        POSIX_MEMALIGN = linker.downcallHandle(libc.findOrThrow("posix_memalign"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG));
        USABLE_SIZE = linker.downcallHandle(libc.findOrThrow("malloc_usable_size"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), critical);
        TRIM = linker.downcallHandle(libc.findOrThrow("malloc_trim"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MALLINFO2 = linker.downcallHandle(libc.findOrThrow("mallinfo2"), FunctionDescriptor.of(MALLINFO2_LAYOUT));
    }

    private final long residentAtStart = ResidentSet.bytes();
    private long peakFootprint;
    private boolean closed;

    @Override
    public String name() {
        return "malloc";
    }

    @Override
    public long alloc(long size) {
        return alloc(size, MALLOC_ALIGNMENT);
    }

    @Override
    public long alloc(long size, long alignment) {
        InvalidSizeException.check("malloc", size, alignment);
        checkOpen("alloc");
        long address = alignment <= MALLOC_ALIGNMENT ? malloc(size) : memalign(size, alignment);
        if (address == 0) {
            throw outOfMemory(size);
        }
        return address;
    }

    @Override
    public void free(long address) {
        checkOpen("free");
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public long reallocate(long address, long newSize) {
        InvalidSizeException.check("malloc", newSize, MALLOC_ALIGNMENT);
        checkOpen("reallocate");
        long moved;
        try {
            moved = (long) REALLOC.invokeExact(address, Math.max(newSize, 1L));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (moved == 0) {
            throw outOfMemory(newSize);
        }
        return moved;
    }

    @Override
    public long usableSize(long address) {
        checkOpen("usableSize");
        try {
            return (long) USABLE_SIZE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public AllocatorStats stats() {
        checkOpen("stats");
        long inUse;
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            inUse = info.get(ValueLayout.JAVA_LONG, 7 * 8) + info.get(ValueLayout.JAVA_LONG, 4 * 8);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        long footprint = Math.max(0, ResidentSet.bytes() - residentAtStart);
        synchronized (this) {
            peakFootprint = Math.max(peakFootprint, footprint);
            return new AllocatorStats(AllocatorStats.UNKNOWN, AllocatorStats.UNKNOWN, inUse, footprint, peakFootprint,
                    AllocatorStats.UNKNOWN, AllocatorStats.UNKNOWN, AllocatorStats.UNKNOWN);
        }
    }

    /** glibc checks its own heap on every call and aborts on corruption; there is nothing more to walk from here. */
    @Override
    public void verify() {
        checkOpen("verify");
    }

    /** {@code malloc_trim(0)}: gives back the top of every arena and the free pages inside them. */
    @Override
    public long trim() {
        checkOpen("trim");
        long before = ResidentSet.bytes();
        try {
            int ignoredReleased = (int) TRIM.invokeExact(0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return Math.max(0, before - ResidentSet.bytes());
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.INDIVIDUAL_FREE, Feature.REALLOCATE, Feature.THREAD_SAFE);
    }

    @Override
    public void close() {
        if (!closed) {
            trim();
            closed = true;
        }
    }

    private static long malloc(long size) {
        try {
            return (long) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long memalign(long size, long alignment) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            int rc = (int) POSIX_MEMALIGN.invokeExact(out, alignment, Math.max(size, 1L));
            return rc == 0 ? out.get(ValueLayout.JAVA_LONG, 0) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private OutOfNativeMemoryError outOfMemory(long size) {
        trim();
        return new OutOfNativeMemoryError("malloc", size, "glibc returned NULL");
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new AllocatorClosedException("malloc", operation);
        }
    }
}
