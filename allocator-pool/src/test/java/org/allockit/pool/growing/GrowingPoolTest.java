package org.allockit.pool.growing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.Allocators;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;
import org.allockit.pool.Fill;
import org.junit.jupiter.api.Test;

class GrowingPoolTest {

    private static ChunkCache cache(long reserve) {
        return new ChunkCache(Backing.of(PageSource.os()), reserve);
    }

    /** Chunk sizes in table order, read from a heap walk (each chunk reports used then free). */
    private static List<Long> chunkSizes(GrowingPool pool) {
        List<long[]> ranges = new ArrayList<>();
        pool.walk((address, bytes, state) -> ranges.add(new long[] {address, bytes, state.ordinal()}));
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            long[] r = ranges.get(i);
            boolean followedByItsFreeTail = r[2] == HeapVisitor.State.IN_USE.ordinal() && i + 1 < ranges.size()
                    && ranges.get(i + 1)[0] == r[0] + r[1];
            sizes.add(followedByItsFreeTail ? r[1] + ranges.get(++i)[1] : r[1]);
        }
        return sizes;
    }

    @Test
    void chunksDoubleFrom4KiBTo512KiB() {
        try (ChunkCache cache = cache(0); GrowingPool pool = new GrowingPool(cache)) {
            for (int i = 0; i < 1200; i++) {
                pool.alloc(1000);
            }
            List<Long> sizes = chunkSizes(pool);
            assertEquals(List.of(4096L, 8192L, 16384L, 32768L, 65536L, 131072L, 262144L, 524288L, 524288L),
                    sizes);
            pool.verify();
        }
    }

    @Test
    void aRequestLargerThanTheNextChunkGetsItsOwn() {
        try (ChunkCache cache = cache(0); GrowingPool pool = new GrowingPool(cache)) {
            pool.alloc(10);
            pool.alloc(100_000);
            assertEquals(List.of(4096L, 131072L), chunkSizes(pool));
            pool.alloc(5000);
            assertEquals(2, chunkSizes(pool).size(), "the large chunk's free tail serves what fits");
            pool.alloc(30_000);
            assertEquals(8192L * 4, chunkSizes(pool).get(2), "no room left: the next chunk rounds 30 000 up");
        }
    }

    @Test
    void clearKeepsAndReusesTheChunks() {
        try (ChunkCache cache = cache(0); GrowingPool pool = new GrowingPool(cache)) {
            long first = pool.alloc(100);
            for (int i = 0; i < 50; i++) {
                pool.alloc(1000);
            }
            long footprint = pool.stats().footprintBytes();
            pool.clear();
            assertEquals(0, pool.stats().liveBlocks());
            assertEquals(footprint, pool.stats().footprintBytes());
            assertEquals(first, pool.alloc(100));
            for (int i = 0; i < 50; i++) {
                pool.alloc(1000);
            }
            assertEquals(footprint, pool.stats().footprintBytes(), "the same chunks served the same requests");
            pool.verify();
        }
    }

    @Test
    void freeAllGivesChunksToTheCacheUpToItsReserve() {
        try (ChunkCache cache = cache(16 * 1024); GrowingPool pool = new GrowingPool(cache)) {
            for (int i = 0; i < 30; i++) {
                pool.alloc(1000); // chunks of 4, 8 and 16 KiB
            }
            pool.freeAll();
            assertEquals(0, pool.stats().footprintBytes());
            assertEquals(12 * 1024, cache.cachedBytes(), "4 + 8 KiB kept; the 16 KiB chunk would pass the reserve");
            try (GrowingPool other = new GrowingPool(cache)) {
                other.alloc(10);
                assertEquals(8 * 1024, cache.cachedBytes(), "the 4 KiB chunk was reused");
                assertEquals(1, cache.hits());
            }
        }
    }

    @Test
    void acquireDataMovesChunksAndAccounting() {
        try (ChunkCache cache = cache(1 << 20); GrowingPool source = new GrowingPool(cache);
             GrowingPool target = new GrowingPool(cache)) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long block = source.alloc(1000);
                Fill.write(block, 1000, i);
                blocks.add(block);
            }
            long footprint = source.stats().footprintBytes();
            target.acquireData(source, false);
            assertEquals(20, target.stats().liveBlocks());
            assertEquals(20_000, target.stats().liveRequestedBytes());
            assertEquals(footprint, target.stats().footprintBytes());
            assertEquals(0, source.stats().liveBlocks());
            assertEquals(0, source.stats().footprintBytes());
            for (int i = 0; i < 20; i++) {
                Fill.check(blocks.get(i), 1000, i);
            }
            target.verify();
            source.verify();
        }
    }

    @Test
    void acquireDataCanLeaveTheSourceItsCurrentChunk() {
        try (ChunkCache cache = cache(1 << 20); GrowingPool source = new GrowingPool(cache);
             GrowingPool target = new GrowingPool(cache)) {
            for (int i = 0; i < 6; i++) {
                source.alloc(1000); // 4 in the 4 KiB chunk, 2 in the 8 KiB current chunk
            }
            target.alloc(8);
            target.acquireData(source, true);
            assertEquals(1 + 4, target.stats().liveBlocks());
            assertEquals(2, source.stats().liveBlocks(), "the current chunk and its blocks stay");
            assertEquals(8192, source.stats().footprintBytes());
            long next = source.alloc(1000);
            assertTrue(source.stats().footprintBytes() == 8192, "the source goes on filling its current chunk");
            assertTrue(next != 0);
            target.verify();
            source.verify();
        }
    }

    @Test
    void blocksCannotBeFreedAlone() {
        try (ChunkCache cache = cache(0); GrowingPool pool = new GrowingPool(cache)) {
            long block = pool.alloc(64);
            assertThrows(UnsupportedOperationException.class, () -> pool.free(block));
            var foreign = assertThrows(InvalidAddressException.class, () -> pool.free(block + 100_000));
            assertEquals(InvalidAddressException.Reason.FOREIGN, foreign.reason());
            assertThrows(IllegalArgumentException.class, () -> pool.acquireData(pool, false));
            pool.verify();
        }
    }

    @Test
    void everyCallAfterCloseIsRefused() {
        GrowingPool pool = (GrowingPool) Allocators.create("growing");
        pool.alloc(10);
        pool.close();
        assertThrows(AllocatorClosedException.class, () -> pool.alloc(8));
        assertThrows(AllocatorClosedException.class, pool::clear);
        assertThrows(AllocatorClosedException.class, pool::freeAll);
        pool.close();
    }
}
