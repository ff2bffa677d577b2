package org.allockit.bench.contender;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.lang.foreign.MemorySegment;

/**
 * Netty's pooled direct buffers, allocated and released as a Netty program does. The shoot-out
 * runs its workload threads as {@code FastThreadLocalThread}s, like Netty's event loops, and the
 * allocators are built with their thread caches on for every thread so JMH's threads get them too.
 *
 * <p>Thread safety: safe from any thread; a buffer may be released by another thread.
 */
final class NettyContender extends Contender {

    private final ByteBufAllocator allocator;
    private final HandleTable<ByteBuf> buffers = new HandleTable<>();

    private NettyContender(String name, ByteBufAllocator allocator) {
        super(name);
        this.allocator = allocator;
    }

    /** {@code PooledByteBufAllocator}: jemalloc-style arenas, size classes and thread caches. */
    static NettyContender pooled() {
        return new NettyContender(Contenders.NETTY_POOLED, new PooledByteBufAllocator(true,
                PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
                PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
                PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
                true));
    }

    /** {@code AdaptiveByteBufAllocator}: Netty 4.2's magazines of size-classed chunks. */
    static NettyContender adaptive() {
        return new NettyContender(Contenders.NETTY_ADAPTIVE, new AdaptiveByteBufAllocator(true, true));
    }

    /**
     * Whether Netty runs with its Unsafe memory access (direct memory addresses) or without it (NIO
     * buffer paths, what JDK 24+ gives without {@code --sun-misc-unsafe-memory-access=allow}).
     */
    static String mode() {
        return PlatformDependent.hasUnsafe() ? "with Unsafe memory access" : "without Unsafe memory access (NIO buffer paths)";
    }

    @Override
    public long alloc(long size) {
        int capacity = Math.toIntExact(size);
        ByteBuf buffer = allocator.directBuffer(capacity);
        return buffers.put(buffer, addressOf(buffer));
    }

    /** Netty has no aligned allocation: a buffer with room for the alignment, used from its aligned byte. */
    @Override
    public long alloc(long size, long alignment) {
        ByteBuf buffer = allocator.directBuffer(Math.toIntExact(size + alignment - 1));
        long address = addressOf(buffer);
        return buffers.put(buffer, (address + alignment - 1) & -alignment);
    }

    private static long addressOf(ByteBuf buffer) {
        if (buffer.hasMemoryAddress()) {
            return buffer.memoryAddress();
        }
        return MemorySegment.ofBuffer(buffer.internalNioBuffer(0, buffer.capacity())).address();
    }

    @Override
    public void free(long handle) {
        buffers.remove(handle).release();
    }

    @Override
    public long address(long handle) {
        return buffers.address(handle);
    }

    /** Netty's own resize: {@code capacity(n)}, which reallocates inside the pool and copies. */
    @Override
    public long realloc(long handle, long oldSize, long newSize) {
        ByteBuf buffer = buffers.get(handle);
        buffer.capacity(Math.toIntExact(newSize));
        buffers.replace(handle, buffer, addressOf(buffer));
        return handle;
    }

    @Override
    public boolean threadSafe() {
        return true;
    }

    @Override
    public long footprint() {
        return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
    }

    @Override
    public void close() {
        buffers.forEach(ByteBuf::release);
    }
}
