package org.allockit.bench.contender;

import java.lang.foreign.MemorySegment;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * {@code ByteBuffer.allocateDirect}, dropped to free: its memory goes back only when the garbage
 * collector finds the buffer unreachable and its cleaner runs, which is how most Java code uses it.
 * Its footprint is the JVM's direct buffer pool, which counts buffers not yet cleaned.
 *
 * <p>Thread safety: safe from any thread.
 */
final class DirectBufferContender extends Contender {

    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();

    private final HandleTable<ByteBuffer> buffers = new HandleTable<>();
    private final long poolAtStart = DIRECT.getMemoryUsed();

    DirectBufferContender() {
        super(Contenders.DIRECT_BUFFER);
    }

    @Override
    public long alloc(long size) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size));
        return buffers.put(buffer, MemorySegment.ofBuffer(buffer).address());
    }

    /** {@code alignedSlice} of a buffer with room for the alignment, as NIO users align. */
    @Override
    public long alloc(long size, long alignment) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size + alignment - 1))
                .alignedSlice(Math.toIntExact(alignment));
        return buffers.put(buffer, MemorySegment.ofBuffer(buffer).address());
    }

    @Override
    public void free(long handle) {
        buffers.remove(handle);
    }

    @Override
    public long address(long handle) {
        return buffers.address(handle);
    }

    @Override
    public boolean threadSafe() {
        return true;
    }

    @Override
    public long footprint() {
        return Math.max(0, DIRECT.getMemoryUsed() - poolAtStart);
    }

    @Override
    public void close() {
    }
}
