package org.allockit.bench.contender;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.allockit.core.HeapVisitor;

/**
 * One way of getting off-heap memory, as the workloads see it: a block is a {@code long} handle,
 * allocated with {@link #alloc(long)}, located with {@link #address(long)} and given back with
 * {@link #free(long)}. Our allocators and malloc use the block's address as its handle, so their
 * path through a workload allocates no Java objects; baselines that hand out objects (arenas,
 * ByteBuffers, Netty buffers) keep them in a {@link HandleTable}.
 *
 * <p>Workloads touch memory only through {@link #write(long, long)} and {@link #read(long, long)},
 * the same code for every contender: a write stamps the block's own address at its start and on
 * every cache line (every page for blocks above a page), a read sums those words and checks the
 * stamp, so two live blocks that overlap are caught.
 *
 * <p>Thread safety: as {@link #threadSafe()} says; a contender that is not thread-safe is used by
 * one thread at a time.
 */
public abstract class Contender implements AutoCloseable {

    /** Every byte of the process, for the touching code. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final long LINE = 64;
    private static final long PAGE = 4096;

    /** A figure the contender cannot tell. */
    public static final long UNKNOWN = -1;

    /**
     * Told of every touch a workload makes while a simulated run is on, so a simulator sees the
     * user's data; {@code null} otherwise, which costs the touching code one load and a test.
     */
    public interface Touches {
        /** The workload wrote (or read) the block {@code [address, address + size)} as {@link #write} (or {@link #read}) does. */
        void block(long address, long size, boolean write);

        /** The workload wrote (or read) the word at {@code address}. */
        void word(long address, boolean write);
    }

    private static Touches touches;

    private final String name;

    protected Contender(String name) {
        this.name = name;
    }

    /**
     * Reports every touch from now on to {@code listener} ({@code null}: stop). Set and cleared by the
     * thread that then runs a workload alone; no other workload may run meanwhile.
     */
    public static void tap(Touches listener) {
        touches = listener;
    }

    /** The distance between the words {@link #write} and {@link #read} touch in a block of {@code size} bytes. */
    public static long stride(long size) {
        return size <= PAGE ? LINE : PAGE;
    }

    /** The contender's name: the registry name of an allocator, or a baseline's name. */
    public final String name() {
        return name;
    }

    /** Allocates {@code size} bytes and returns the block's handle. */
    public abstract long alloc(long size);

    /** Allocates {@code size} bytes at a multiple of {@code alignment} (a power of two); returns the handle. */
    public abstract long alloc(long size, long alignment);

    /** Gives back the block; a contender that cannot free single blocks does nothing. */
    public abstract void free(long handle);

    /** The native address of the block's first byte. */
    public abstract long address(long handle);

    /**
     * Resizes a block of {@code oldSize} bytes to {@code newSize}, keeping its first
     * {@code min(oldSize, newSize)} bytes; returns the (possibly new) handle. By default allocates,
     * copies and frees, which is what a user of a contender without a resize does.
     */
    public long realloc(long handle, long oldSize, long newSize) {
        long fresh = alloc(newSize);
        MemorySegment.copy(ALL, address(handle), ALL, address(fresh), Math.min(oldSize, newSize));
        free(handle);
        return fresh;
    }

    /** Whether blocks may be allocated and freed from several threads at once, and freed by another thread. */
    public abstract boolean threadSafe();

    /** Bytes the contender holds from the OS now, or {@link #UNKNOWN}. */
    public abstract long footprint();

    /**
     * Reports the contender's address space by state for a heap map; false when it cannot. Called
     * with no workload thread running.
     */
    public boolean walk(HeapVisitor visitor) {
        return false;
    }

    /** Gives everything back; the contender is unusable afterwards. */
    @Override
    public abstract void close();

    /**
     * Writes the block: its address at its start, then one word per cache line (per page above a
     * page) and its last word.
     */
    public static void write(long address, long size) {
        Touches t = touches;
        if (t != null) {
            t.block(address, size, true);
        }
        if (size < Long.BYTES) {
            if (size > 0) {
                ALL.set(ValueLayout.JAVA_BYTE, address, (byte) address);
            }
            return;
        }
        long stride = stride(size);
        for (long offset = 0; offset <= size - Long.BYTES; offset += stride) {
            ALL.set(WORD, address + offset, address);
        }
        if (size >= 2 * Long.BYTES) {
            // the last word, unless it would overlap the stamp
            ALL.set(WORD, address + size - Long.BYTES, address);
        }
    }

    /**
     * Reads back what {@link #write} wrote and returns the sum; throws when the first word is not the
     * block's own address, which means another block was written over it.
     */
    public static long read(long address, long size) {
        Touches t = touches;
        if (t != null) {
            t.block(address, size, false);
        }
        if (size < Long.BYTES) {
            return size > 0 ? ALL.get(ValueLayout.JAVA_BYTE, address) : 0;
        }
        long first = ALL.get(WORD, address);
        if (first != address) {
            throw new IllegalStateException(String.format(
                    "block at 0x%x was overwritten: it holds 0x%x; two live blocks overlap", address, first));
        }
        long stride = stride(size);
        long sum = 0;
        for (long offset = stride; offset <= size - Long.BYTES; offset += stride) {
            sum += ALL.get(WORD, address + offset);
        }
        return sum + first;
    }

    /** Reads one word at {@code address}: the workloads' pointer chasing. */
    public static long word(long address) {
        Touches t = touches;
        if (t != null) {
            t.word(address, false);
        }
        return ALL.get(WORD, address);
    }

    /** Writes one word at {@code address}. */
    public static void word(long address, long value) {
        Touches t = touches;
        if (t != null) {
            t.word(address, true);
        }
        ALL.set(WORD, address, value);
    }

    @Override
    public String toString() {
        return name;
    }
}
