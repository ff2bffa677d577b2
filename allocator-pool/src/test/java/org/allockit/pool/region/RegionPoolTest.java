package org.allockit.pool.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.Allocators;
import org.allockit.core.Feature;
import org.allockit.core.HeapVisitor;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;
import org.junit.jupiter.api.Test;

class RegionPoolTest {

    private static RegionPool pool(long blockSize) {
        return new RegionPool(Backing.of(PageSource.os()), blockSize, false);
    }

    /** The start of every block, in chain order, read from a heap walk. */
    private static List<Long> blocks(RegionPool pool) {
        List<Long> starts = new ArrayList<>();
        pool.walk((address, bytes, state) -> {
            if (state == HeapVisitor.State.METADATA) {
                starts.add(address);
            }
        });
        return starts;
    }

    @Test
    void bumpsAlignedBlocksOneAfterAnother() {
        try (RegionPool pool = pool(RegionPool.DEFAULT_BLOCK_SIZE)) {
            long a = pool.alloc(20);
            long b = pool.alloc(20);
            assertEquals(0, a % 16);
            assertEquals(a + 32, b, "20 bytes rounded up to the 16-byte alignment");
            long c = pool.allocUnaligned(3);
            long d = pool.allocUnaligned(5);
            assertEquals(c + 3, d, "unaligned requests are packed");
            assertEquals(1, blocks(pool).size());
        }
    }

    @Test
    void sizeZeroGivesDistinctBlocks() {
        try (RegionPool pool = pool(1024)) {
            assertTrue(pool.alloc(0) != pool.alloc(0));
        }
    }

    @Test
    void largeRequestsAreSeparateAndTheOnlyOnesFreedAlone() {
        try (RegionPool pool = pool(1024)) {
            long small = pool.alloc(100);
            long large = pool.alloc(5000);
            long aligned = pool.alloc(64, 4096);
            assertEquals(0, aligned % 4096, "alignments beyond 16 are served as large blocks");
            assertEquals(5000, pool.usableSize(large));
            assertEquals(2, pool.stats().groups().get(1).liveBlocks());
            pool.free(large);
            pool.free(aligned);
            assertEquals(0, pool.stats().groups().get(1).liveBlocks());
            var refused = assertThrows(UnsupportedOperationException.class, () -> pool.free(small));
            assertTrue(refused.getMessage().contains("small block"), refused.getMessage());
            var foreign = assertThrows(InvalidAddressException.class, () -> pool.free(large));
            assertEquals(InvalidAddressException.Reason.FOREIGN, foreign.reason());
            pool.verify();
            assertFalse(pool.features().contains(Feature.INDIVIDUAL_FREE));
        }
    }

    @Test
    void emptyLargeRecordsAreReused() {
        try (RegionPool pool = pool(1024)) {
            pool.free(pool.alloc(5000));
            long metadata = pool.stats().metadataBytes();
            pool.free(pool.alloc(6000));
            assertEquals(metadata, pool.stats().metadataBytes(), "the freed record took the new block");
        }
    }

    @Test
    void blocksFailedMoreThanFourTimesAreNoLongerSearched() {
        try (RegionPool pool = pool(256)) {
            long usable = 256 - RegionBlock.DATA;
            pool.alloc(usable - 32); // block 1 keeps 32 bytes free
            // As in Nginx, a new block counts a failure on every block from current up to the old tail,
            // so block 1 fails first when block 3 is chained.
            for (int i = 0; i < 6; i++) {
                pool.alloc(usable - 16);
            }
            List<Long> chain = blocks(pool);
            assertEquals(7, chain.size());
            long first = chain.get(0);
            assertTrue(inBlock(pool.alloc(16), first), "after five failures block 1 is still searched");
            pool.alloc(usable - 16); // block 8: sixth failure of block 1, more than four: current moves on
            assertFalse(inBlock(pool.alloc(8), first), "block 1 has 16 free bytes but is no longer searched");
            pool.verify();
        }
    }

    private static boolean inBlock(long address, long block) {
        return address >= block && address < block + 256;
    }

    @Test
    void resetKeepsTheBlocksAndFreesLargeOnes() {
        try (RegionPool pool = pool(1024)) {
            long first = pool.alloc(16);
            for (int i = 0; i < 100; i++) {
                pool.alloc(200);
            }
            pool.alloc(10_000);
            long blockBytes = pool.stats().groups().get(0).bytes();
            pool.reset();
            var stats = pool.stats();
            assertEquals(0, stats.liveBlocks());
            assertEquals(blockBytes, stats.footprintBytes(), "blocks kept, large block freed");
            assertEquals(first, pool.alloc(16), "the first block is reused from its start");
            pool.verify();
        }
    }

    @Test
    void statsShowFootprintAndWaste() {
        try (RegionPool pool = pool(4096)) {
            for (int i = 0; i < 10; i++) {
                pool.alloc(1000);
            }
            var stats = pool.stats();
            assertEquals(10, stats.liveBlocks());
            assertEquals(10_000, stats.liveRequestedBytes());
            assertEquals(3 * 4096, stats.footprintBytes(), "four 1000-byte blocks per 4 KiB block");
            long fullTail = 4096 - RegionBlock.DATA - 4 * 1000 - 3 * 8; // 1000-byte requests pad to 1008
            long lastTail = 4096 - RegionBlock.DATA - 2 * 1000 - 8;
            assertEquals(2 * fullTail + lastTail, stats.groups().get(0).freeBytes());
        }
    }

    @Test
    void cleanupsRunNewestFirstAndFailuresAreCollected() {
        List<String> ran = new ArrayList<>();
        RegionPool pool = pool(1024);
        pool.addCleanup(() -> ran.add("file"));
        pool.addCleanup(() -> {
            ran.add("socket");
            throw new IllegalStateException("socket");
        });
        pool.addCleanup(() -> {
            ran.add("lock");
            throw new java.io.IOException("lock");
        });
        var failed = assertThrows(CleanupFailedException.class, pool::close);
        assertEquals(List.of("lock", "socket", "file"), ran);
        assertInstanceOf(java.io.IOException.class, failed.getCause());
        assertEquals(1, failed.getSuppressed().length);
        assertThrows(AllocatorClosedException.class, () -> pool.alloc(8), "closed even though cleanups failed");
        pool.close();
        assertEquals(3, ran.size(), "closing again runs nothing");
    }

    @Test
    void everyCallAfterCloseIsRefused() {
        RegionPool pool = pool(1024);
        long block = pool.alloc(8);
        pool.close();
        assertThrows(AllocatorClosedException.class, () -> pool.alloc(8));
        assertThrows(AllocatorClosedException.class, () -> pool.free(block));
        assertThrows(AllocatorClosedException.class, pool::reset);
        assertThrows(AllocatorClosedException.class, pool::stats);
        assertThrows(AllocatorClosedException.class, () -> pool.addCleanup(() -> { }));
    }

    @Test
    void badSizesAreRejected() {
        try (RegionPool pool = pool(1024)) {
            assertThrows(InvalidSizeException.class, () -> pool.alloc(-1));
            assertThrows(InvalidSizeException.class, () -> new RegionPool(Backing.of(PageSource.os()), 8, false));
            pool.verify();
        }
    }

    @Test
    void registeredWithMallocBacking() {
        try (var pool = Allocators.create("region")) {
            assertInstanceOf(RegionPool.class, pool);
            long large = pool.alloc(100_000);
            pool.free(large);
            assertThrows(IllegalArgumentException.class, () -> Allocators.create("region",
                    org.allockit.core.AllocatorOptions.defaults().withSetting("blocksize", "1K")));
        }
    }
}
