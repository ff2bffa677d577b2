package org.allockit.bench.jmh;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;

/**
 * One contender of the Netty comparisons, behind slots that hold live blocks: an allocator of the
 * registry (by address), a Netty allocator ({@code netty-adaptive}, {@code netty-pooled}; direct
 * buffers), or {@code bare-list}, a single free list of 256-byte blocks over one segment, the floor
 * any allocator's fast path is measured against. Each slot is used by one thread.
 */
final class Contender implements AutoCloseable {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int BARE_BLOCK = 256;

    private final Allocator heap;
    private final ByteBufAllocator netty;
    private final Arena arena;
    private long bareFree;
    private final long[] addresses;
    private final ByteBuf[] buffers;

    Contender(String name, int slots) {
        addresses = new long[slots];
        buffers = new ByteBuf[slots];
        switch (name) {
            case "netty-adaptive" -> {
                heap = null;
                arena = null;
                netty = new AdaptiveByteBufAllocator(true, true); // magazines cached per thread: the best case
            }
            case "netty-pooled" -> {
                heap = null;
                arena = null;
                netty = new PooledByteBufAllocator(true);
            }
            case "bare-list" -> {
                heap = null;
                netty = null;
                int blocks = slots + 64;
                arena = Arena.ofShared();
                long base = arena.allocate((long) blocks * BARE_BLOCK, 64).address();
                for (int i = blocks - 1; i >= 0; i--) {
                    long block = base + (long) i * BARE_BLOCK;
                    ALL.set(WORD, block, bareFree);
                    bareFree = block;
                }
            }
            default -> {
                heap = Allocators.create(name);
                netty = null;
                arena = null;
            }
        }
    }

    /** Puts a new block of {@code size} bytes (at least 8) in {@code slot}, writing its first word. */
    void allocate(int slot, int size) {
        if (heap != null) {
            long address = heap.alloc(size);
            ALL.set(WORD, address, size);
            addresses[slot] = address;
        } else if (netty != null) {
            ByteBuf buffer = netty.directBuffer(size);
            buffer.setLong(0, size);
            buffers[slot] = buffer;
        } else {
            long address = bareFree;
            bareFree = ALL.get(WORD, address);
            ALL.set(WORD, address, size);
            addresses[slot] = address;
        }
    }

    /** Gives back the block in {@code slot}. */
    void free(int slot) {
        if (heap != null) {
            heap.free(addresses[slot]);
        } else if (netty != null) {
            buffers[slot].release();
            buffers[slot] = null;
        } else {
            long address = addresses[slot];
            ALL.set(WORD, address, bareFree);
            bareFree = address;
        }
    }

    /** Replaces the block in {@code slot}. */
    void replace(int slot, int size) {
        free(slot);
        allocate(slot, size);
    }

    @Override
    public void close() {
        if (heap != null) {
            heap.close();
        }
        if (arena != null) {
            arena.close();
        }
    }
}
